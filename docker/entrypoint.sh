#!/bin/bash
# Writes /etc/odoo/odoo.conf from the project's odoo.conf with the image's
# paths and the master password from ODOO_ADMIN_PASSWD (required: the
# project never ships a default one), and the options of ODOO_EXTRA_CONF
# when set (a node's role in docker/scale-out), then runs the official entrypoint,
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
# the official entrypoint takes db_host/port/user/password from the config
# file when they are in it (the project's says False): drop them, so that
# HOST, PORT, USER and PASSWORD decide
for key in ("db_host", "db_port", "db_user", "db_password"):
    o.pop(key, None)
# a node's own options (docker/scale-out: web, job and runner nodes) win
extra = os.environ.get("ODOO_EXTRA_CONF")
if extra:
    node = configparser.RawConfigParser()
    if not node.read(extra):
        sys.exit(f"ODOO_EXTRA_CONF: cannot read {extra}")
    for section in node.sections():
        if not cp.has_section(section):
            cp.add_section(section)
        for key, value in node[section].items():
            cp[section][key] = value
with open("/etc/odoo/odoo.conf", "w") as fh:
    cp.write(fh)
PY
exec /entrypoint.sh "$@"
