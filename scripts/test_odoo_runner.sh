#!/usr/bin/env bash
# One addon's tests through Odoo's own runner (odoo-bin --test-enable), the
# way OCA's CI and integrators run them; scripts/test.sh runs the same tests
# with pytest-odoo. Every test of addons/*/tests is an Odoo test case (BaseCase
# for the pure-Python ones) imported by its tests/__init__.py, so both find all.
#   scripts/test_odoo_runner.sh [ADDON]     default omni_platform
#   scripts/test_odoo_runner.sh omni_order,omni_courier     several addons
# Runs on scripts/test.sh's test database (ODOO_TEST_DB overrides it): updates
# ADDON (-u, its at_install tests run during the update, its post_install
# tests after loading) with --test-tags /ADDON. The log goes to
# .local/test_odoo_runner-ADDON.log. Fails when odoo-bin fails, when a test
# fails or errs, when an ERROR or CRITICAL line is logged, or when no test ran.
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"

addon="${1:-omni_platform}"
for name in ${addon//,/ }; do
    [ -f "$ROOT/addons/$name/__manifest__.py" ] || die "no addon addons/$name"
done
tags="$(sed -E 's#(^|,)#\1/#g' <<<"$addon")"

setup_all
ensure_chromium
# the same database as scripts/test.sh's (demo addon included)
export OMNI_WITH_DEMO_ADDONS=1
addons="$(project_addons)"
BASE_MODULES="$BASE_MODULES,l10n_cn"
DB="${ODOO_TEST_DB:-omni_test_$(echo "$addons" | sha256sum | cut -c1-10)}"
ensure_database "$DB"

logfile="$LOCAL/test_odoo_runner-${addon//,/+}.log"
log "odoo-bin --test-enable --test-tags $tags on '$DB' (log: $logfile)"
start=$SECONDS
set +e
odoo_bin -d "$DB" -u "$addon" --test-enable --test-tags "$tags" --stop-after-init \
    --log-level=test --logfile= >"$logfile" 2>&1
rc=$?
set -e
elapsed=$((SECONDS - start))

# "F failed, E error(s) of N tests when loading database ..." ends every test run
summary="$(grep -oE '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$logfile" | tail -1 || true)"
problems="$(grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$logfile" || true)"
if [ -n "$problems" ]; then
    printf '%s\n' "$problems" | cut -c1-300 >&2
fi
[ -n "$summary" ] || die "$addon: no test summary in $logfile (odoo-bin exit $rc)"
read -r failed errors ran < <(sed -E 's/([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests/\1 \2 \3/' <<<"$summary")
[ "$ran" -gt 0 ] || die "$addon: Odoo's runner ran no test (see $logfile)"
if [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$errors" -ne 0 ] || [ -n "$problems" ]; then
    die "$addon: $summary, odoo-bin exit $rc, ${elapsed} s (see $logfile)"
fi
log "$addon: Odoo's runner ran $ran tests, none failed (${elapsed} s)"
