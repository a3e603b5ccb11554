#!/usr/bin/env bash
# Odoo's own test suites of the core modules our addons extend, run on a
# database with every addon of addons/ installed: Odoo's flows must keep
# working with our addons (validating a delivery as a plain Inventory user,
# reading a sale order as a salesman, warehouses, quantities...).
#   scripts/test_core.sh                    the suites of CORE_SUITES
#   scripts/test_core.sh PYTEST-ARGS...     e.g. -k test_link_assign
#   CORE_SUITES="stock sale" scripts/test_core.sh   other suites (their failures
#                                    that plain Odoo has too are not listed below)
# The database is omni_core_<hash of the addon list> (ODOO_CORE_DB overrides
# it), created once and reused like scripts/test.sh's. Exits non-zero when a
# test fails that is not in KNOWN_FAILURES below.
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"

CORE_SUITES="${CORE_SUITES:-sale_stock stock_delivery delivery stock_account purchase_stock}"

# Failures of Odoo 18's own suites that happen on plain Odoo too (same core
# modules, none of our addons), as pytest node ids relative to $ODOO_SRC. Each
# line says why; a failure not listed here fails this script.
KNOWN_FAILURES=(
    # plain Odoo 18 (same modules, no demo data) fails it too: the MTO + buy
    # procurement hands stock.move.create a res.partner record where an id is
    # expected ("can't adapt type 'res.partner'")
    addons/purchase_stock/tests/test_create_picking.py::TestCreatePicking::test_08_check_update_qty_mto_chain
    # passes or fails by the database's id sequences, on plain Odoo too: it
    # gives a purchase line the id of a uom.category ("ipad_uom.id") as its
    # unit, which exists in uom_uom only while the category sequence is below
    # the highest unit id; every run of this suite advances that sequence, so
    # a reused database starts failing it (FK purchase_order_line_product_uom)
    addons/purchase_stock/tests/test_onchange_product.py::TestOnchangeProductId::test_onchange_product_id
)

setup_all
ensure_chromium
addons="$(project_addons)"
# the modules whose suites run here come along (purchase_stock for its suite,
# l10n_cn as in scripts/test.sh)
BASE_MODULES="$BASE_MODULES,l10n_cn,purchase_stock"
DB="${ODOO_CORE_DB:-omni_core_$(echo "$BASE_MODULES,$addons" | sha256sum | cut -c1-10)}"
ensure_database "$DB"

args=("$@")
paths=()
for suite in $CORE_SUITES; do
    [ -d "$ODOO_SRC/addons/$suite/tests" ] || die "no test suite for '$suite' in $ODOO_SRC/addons"
    paths+=("addons/$suite/tests")
done
report="$LOCAL/test_core.xml"
cd "$ODOO_SRC"
set +e
"$PY" -m pytest --odoo-config="$RUN_CONF" --odoo-database="$DB" --odoo-http \
    --odoo-log-level=warn -p no:cacheprovider --junitxml="$report" -q "${paths[@]}" "${args[@]}"
rc=$?
set -e
[ $rc -eq 5 ] && die "pytest collected no test"
[ -s "$report" ] || die "pytest wrote no report ($report); exit code $rc"

# failures and errors of the run, less the known ones
"$PY" - "$report" "${KNOWN_FAILURES[@]}" <<'PYEOF'
import sys
import xml.etree.ElementTree as ET

report, known = sys.argv[1], set(sys.argv[2:])
failed = []
for case in ET.parse(report).iter("testcase"):
    if case.find("failure") is not None or case.find("error") is not None:
        *module, cls = case.get("classname", "").split(".")
        failed.append(f"{'/'.join(module)}.py::{cls}::{case.get('name')}")
unexpected = sorted(f for f in failed if f not in known)
print(f"[omni] core suites: {len(failed)} failed, {len(failed) - len(unexpected)} of them known upstream failures")
for name in unexpected:
    print(f"[omni] UNEXPECTED FAILURE: {name}")
sys.exit(1 if unexpected else 0)
PYEOF
