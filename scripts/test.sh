#!/usr/bin/env bash
# Command 2: run every test with pytest-odoo.
#   scripts/test.sh                   all addons and tests/
#   scripts/test.sh PYTEST-ARGS...    e.g. addons/omni_channel -k unit_code
# The test database is named after the addon list (omni_test_<hash>): it is
# created once, reused while the list is unchanged, updated when addon code
# changes. Exits non-zero when any test fails.
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"

setup_all
ensure_chromium
# the demo addon is tested too (its tests make the demo in a transaction)
export OMNI_WITH_DEMO_ADDONS=1
addons="$(project_addons)"
# the Chinese chart of accounts is installed beside the addons: tests post
# into a company that uses it (nothing loads it into existing companies)
BASE_MODULES="$BASE_MODULES,l10n_cn"
DB="${ODOO_TEST_DB:-omni_test_$(echo "$addons" | sha256sum | cut -c1-10)}"
ensure_database "$DB"

cd "$ROOT"
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(addons tests)
set +e
"$PY" -m pytest --odoo-config="$RUN_CONF" --odoo-database="$DB" --odoo-http \
    --odoo-log-level=warn -p no:cacheprovider "${args[@]}"
rc=$?
set -e
[ $rc -eq 5 ] && die "pytest collected no test"
exit $rc
