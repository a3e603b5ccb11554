#!/usr/bin/env bash
# The test suite run on another day: shows that no test depends on the day it
# runs. Every clock the tests read is moved, not only Python's: libfaketime
# (Debian's faketime) starts the tests' process, its HTTP server threads and the
# browser of the tours at the given instant, and a PostgreSQL of its own (a
# throw-away cluster under .local/, started under the same libfaketime) answers
# now() from the same instant, so create_date, date_done and SQL now() agree.
# The clock then runs on from that instant as usual: every process gets the
# same offset from the real clock, so they agree with each other.
#
#   scripts/test_on_date.sh "2026-12-31 23:30:00" [PYTEST-ARGS...]
#
# The instant is UTC. A fresh database is built at that instant and dropped
# with its cluster afterwards (OMNI_KEEP_DATE_CLUSTER=1 keeps both). Exits with
# the test run's code.
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"

[ $# -ge 1 ] || die "usage: $0 'YYYY-MM-DD HH:MM:SS' [pytest args]"
when="$1"; shift
date -u -d "$when" >/dev/null 2>&1 || die "not a date/time: $when"
# an offset, not a start instant ("@..."): each process would start its own
# clock at the instant, and pg_ctl takes a server started after it for stale
offset="$(( $(date -u -d "$when" +%s) - $(date -u +%s) ))"
sign="+"; [ "$offset" -lt 0 ] && sign=""

setup_all
ensure_debian_tool faketime "clocks set to another day" faketime
libfaketime="$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)"
[ -n "$libfaketime" ] || die "libfaketime is needed (Debian package faketime)"
# libfaketime by its environment (not the faketime wrapper, which waits for
# the server it starts); a relative offset needs no state shared between
# processes. The monotonic clock moves by the same offset (left real,
# libfaketime shifts absolute sleeps into the past: sleep() fails with EINVAL).
fake=(env LD_PRELOAD="$libfaketime" FAKETIME="${sign}${offset}")

pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
[ -x "$pg_bin/postgres" ] || die "no PostgreSQL server binaries in /usr/lib/postgresql"
port="${OMNI_DATE_PGPORT:-5499}"
cluster="$LOCAL/pg-on-date-$port"
sock="$cluster/socket"
pg_user="$(id -un)"
# the server refuses to run as root: the cluster then belongs to 'postgres'
run_pg() {
    if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$(printf '%q ' "$@")"; else "$@"; fi
}

stop_cluster() {
    run_pg "$pg_bin/pg_ctl" -D "$cluster/data" -m fast stop >/dev/null 2>&1 || true
    [ -n "${OMNI_KEEP_DATE_CLUSTER:-}" ] || rm -rf "$cluster"
}
trap stop_cluster EXIT

stop_cluster
mkdir -p "$cluster/data" "$sock"
[ "$(id -u)" = 0 ] && chown -R postgres: "$cluster" && chmod 755 "$LOCAL"
log "PostgreSQL cluster in $cluster, clock at $when UTC"
run_pg "$pg_bin/initdb" -D "$cluster/data" -U postgres --auth=trust -E UTF8 >/dev/null
# pg_ctl does not wait (-W): it compares its clock with a start time that the
# server writes unfaked, and would wait forever; pg_isready waits instead
run_pg "${fake[@]}" "$pg_bin/pg_ctl" -D "$cluster/data" -W -l "$cluster/server.log" \
    -o "-p $port -k $sock -c listen_addresses='' -c fsync=off -c full_page_writes=off" start >/dev/null
for _ in $(seq 60); do
    "$pg_bin/pg_isready" -q -h "$sock" -p "$port" && break
    sleep 1
done
"$pg_bin/pg_isready" -q -h "$sock" -p "$port" || die "the PostgreSQL of $cluster did not start (see server.log)"
psql -h "$sock" -p "$port" -U postgres -d postgres -qc "create role \"$pg_user\" login createdb superuser" >/dev/null
psql -h "$sock" -p "$port" -U postgres -d postgres -qc "create database \"$pg_user\" owner \"$pg_user\"" >/dev/null
log "PostgreSQL says now() = $(psql -h "$sock" -p "$port" -d postgres -tAc 'select now()')"

set +e
PGHOST="$sock" PGPORT="$port" ODOO_TEST_DB="omni_on_date" \
    "${fake[@]}" bash "$ROOT/scripts/test.sh" "$@"
rc=$?
set -e
log "Tests on $when UTC: exit code $rc"
exit $rc
