#!/bin/bash
# Writes /etc/odoo/odoo.conf from the project's odoo.conf with the image's
# paths and the master password from ODOO_ADMIN_PASSWD (required: the
# project never ships a default one), then runs the official entrypoint,
# which adds the database host/user/password from HOST, USER, PASSWORD.
set -euo pipefail
: "${ODOO_ADMIN_PASSWD:?set ODOO_ADMIN_PASSWD (the master password)}"
OCA_ADDONS="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/odoo/addons"
python3 - "$OCA_ADDONS" <<'PY'
import configparser, os, sys
cp = configparser.RawConfigParser()
cp.read("/etc/odoo/odoo.project.conf")
o = cp["options"]
o["addons_path"] = f"/mnt/extra-addons,{sys.argv[1]},/usr/lib/python3/dist-packages/odoo/addons"
o["data_dir"] = "/var/lib/odoo"
o["admin_passwd"] = os.environ["ODOO_ADMIN_PASSWD"]
o["db_name"] = os.environ.get("ODOO_DB", o.get("db_name", "omni"))
o["proxy_mode"] = os.environ.get("ODOO_PROXY_MODE", "True")
o["workers"] = os.environ.get("ODOO_WORKERS", "4")
o["max_cron_threads"] = os.environ.get("ODOO_CRON_THREADS", "1")
with open("/etc/odoo/odoo.conf", "w") as fh:
    cp.write(fh)
PY
exec /entrypoint.sh "$@"
