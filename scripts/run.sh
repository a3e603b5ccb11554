#!/usr/bin/env bash
# Command 1: set up (first time) and run the server on http://localhost:8069.
#   scripts/run.sh                 set up what is missing, then run Odoo
#   scripts/run.sh --setup-only    set up what is missing, do not start
#   scripts/run.sh -- ARGS         extra arguments for odoo-bin
# Environment: ODOO_SRC (default /opt/odoo-18.0), VENV, ODOO_ADMIN_PASSWD,
# ODOO_DB (default: db_name of odoo.conf), ODOO_DEMO=1 for demo data,
# PGHOST/PGPORT/PGUSER/PGPASSWORD for an existing PostgreSQL.
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"

setup_only=""
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --setup-only) setup_only=1 ;;
        --) shift; extra=("$@"); break ;;
        *) die "unknown option $1 (see the header of $0)" ;;
    esac
    shift
done

setup_all
DB="${ODOO_DB:-$(conf_get db_name omni)}"
ensure_database "$DB"
[ -n "$setup_only" ] && { log "Set-up done (database '$DB')."; exit 0; }

port="$(conf_get http_port 8069)"
log "Starting Odoo on http://localhost:$port (database '$DB', job runner on)"
cd "$ROOT"
exec "$PY" "$ODOO_SRC/odoo-bin" -c "$RUN_CONF" -d "$DB" "${extra[@]}"
