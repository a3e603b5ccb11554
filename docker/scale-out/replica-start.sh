#!/bin/bash
# The streaming replica: on its first start, a base backup of db-primary
# (with a replication slot, so the primary keeps the WAL the standby still
# needs) and standby.signal + primary_conninfo written by -R; then PostgreSQL
# as a hot standby. Odoo 18 sends its read-only requests here
# (db_replica_host in odoo-web.conf).
# Arguments are passed on to postgres; PRIMARY_HOST, PRIMARY_PORT and PGDATA
# default to the compose file's (scripts/scale_out_here.py runs this same
# script on one machine without Docker).
set -euo pipefail
export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
PRIMARY_HOST="${PRIMARY_HOST:-db-primary}"
PRIMARY_PORT="${PRIMARY_PORT:-5432}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    until pg_isready -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U replicator; do sleep 1; done
    pg_basebackup -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U replicator -D "$PGDATA" \
        -X stream -R -C -S omni_replica_1 --checkpoint=fast
    chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on -c max_connections=300 -c hot_standby_feedback=on "$@"
