#!/bin/bash
# The streaming replica: on its first start, a base backup of db-primary
# (with a replication slot, so the primary keeps the WAL the standby still
# needs) and standby.signal + primary_conninfo written by -R; then PostgreSQL
# as a hot standby. Odoo 18 sends its read-only requests here
# (db_replica_host in odoo-web.conf).
set -euo pipefail
export PGDATA=/var/lib/postgresql/data
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    until pg_isready -h db-primary -p 5432 -U replicator; do sleep 1; done
    pg_basebackup -h db-primary -p 5432 -U replicator -D "$PGDATA" \
        -X stream -R -C -S omni_replica_1 --checkpoint=fast
    chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on -c max_connections=300 -c hot_standby_feedback=on
