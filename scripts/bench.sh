#!/usr/bin/env bash
# Run a benchmark against its own database (omni_bench, created once with all
# project addons, reused afterwards):
#   scripts/bench.sh order_intake [--orders 10000] [--naive-orders 1000] [--workers 1,2]
# Benchmarks print the naive path and ours side by side, ratio last.
# --smoke: the script's tiny sizes (seconds); scripts/bench_smoke.sh (CI) runs
# every script so on databases of its own.
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"
name="${1:?usage: scripts/bench.sh NAME [ARGS] (see scripts/bench_*.py)}"; shift
[ -f "$ROOT/scripts/bench_$name.py" ] || die "no scripts/bench_$name.py"
setup_all
DB="${ODOO_BENCH_DB:-omni_bench}"
ensure_database "$DB"
cd "$ROOT"
exec "$PY" "scripts/bench_$name.py" --config "$RUN_CONF" --db "$DB" --odoo-src "$ODOO_SRC" "$@"
