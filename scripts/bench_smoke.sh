#!/usr/bin/env bash
# Smoke run of every benchmark (CI runs it after scripts/test.sh):
#   scripts/bench_smoke.sh [NAME...]       default: every scripts/bench_*.py
# Each scripts/bench_*.py but bench_common.py (a new one is included without
# being listed here) runs with --smoke: its own tiny sizes, seconds each, the
# same code paths and the same checks (mismatches 0, posted = shipped, ...).
# No timing is judged; a script that crashes, fails a check or runs over
# BENCH_SMOKE_TIMEOUT seconds (default 600) fails the run (exit 1).
#
# Databases: a template "<base>_tmpl" with every project addon (no demo),
# created like the benchmark database (scripts/bench.sh) on the first run
# and updated when addon code changes; each script then runs on a fresh
# copy "<base>_<name>" of it (createdb -T, filestore copied), dropped when
# the script passes and kept for a look when it fails. <base> is
# ODOO_BENCH_SMOKE_DB, default omni_bench_smoke. The order-intake script
# starts Odoo servers on ports the system picks free (127.0.0.1), never on
# ODOO_HTTP_PORT, so the smoke run sits beside a running test server.
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"
setup_all
cd "$ROOT"

BASE="${ODOO_BENCH_SMOKE_DB:-omni_bench_smoke}"
TEMPLATE="${BASE}_tmpl"
LIMIT="${BENCH_SMOKE_TIMEOUT:-600}"
FILESTORE="$(conf_get data_dir "$LOCAL/data")/filestore"

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    for script in scripts/bench_*.py; do
        name="$(basename "$script" .py)"; name="${name#bench_}"
        [ "$name" = common ] || names+=("$name")
    done
fi
for name in "${names[@]}"; do
    [ -f "scripts/bench_$name.py" ] || die "no scripts/bench_$name.py"
done

drop_copy() {  # drop_copy DBNAME
    # WITH (FORCE) ends the script's leftover sessions, but refuses (not being a superuser) while an
    # autovacuum worker is on the database (a copy just filled is often being analysed): PostgreSQL
    # ends that worker itself for a plain DROP, so a refused drop is tried again, plain first
    local attempt
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        if PGOPTIONS="--client-min-messages=warning" psql -q -d postgres -v ON_ERROR_STOP=1 \
                -c "DROP DATABASE IF EXISTS \"$1\"" 2>/dev/null \
            || PGOPTIONS="--client-min-messages=warning" psql -q -d postgres -v ON_ERROR_STOP=1 \
                -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)"; then
            rm -rf "${FILESTORE:?}/$1"
            return 0
        fi
        log "database '$1' still in use (attempt $attempt): trying again in 1 s"
        sleep 1
    done
    die "could not drop database '$1'"
}

ensure_database "$TEMPLATE"

failed=() summary=()
for name in "${names[@]}"; do
    db="${BASE}_$name"
    drop_copy "$db"
    createdb -T "$TEMPLATE" "$db"
    if [ -d "$FILESTORE/$TEMPLATE" ]; then cp -a "$FILESTORE/$TEMPLATE" "$FILESTORE/$db"; fi
    log "bench_$name --smoke on '$db'"
    start=$SECONDS
    set +e
    # SIGTERM first (order_intake then stops its servers), SIGKILL 30 s later
    timeout -s TERM -k 30 "$LIMIT" "$PY" "scripts/bench_$name.py" --config "$RUN_CONF" --db "$db" \
        --odoo-src "$ODOO_SRC" --smoke
    rc=$?
    set -e
    took=$((SECONDS - start))
    if [ $rc -eq 0 ]; then
        summary+=("$(printf '  %-28s ok      %4d s' "$name" "$took")")
        drop_copy "$db"
    else
        [ $rc -eq 124 ] && why="timeout after ${LIMIT} s" || why="exit $rc"
        summary+=("$(printf '  %-28s FAILED  %4d s  (%s; database %s kept)' "$name" "$took" "$why" "$db")")
        failed+=("$name")
    fi
done

log "benchmark smoke run (${#names[@]} scripts, ${SECONDS} s in all):"
printf '%s\n' "${summary[@]}" >&2
[ ${#failed[@]} -eq 0 ] || die "benchmark smoke run failed: ${failed[*]}"
