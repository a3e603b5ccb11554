#!/usr/bin/env bash
# The test suite run on another day: shows that no test depends on the day it
# runs.
#
#   scripts/test_on_date.sh "2028-02-29 07:55:00" [PYTEST-ARGS...]
#
# The instant is UTC. The test process (its HTTP server threads included)
# starts its clock at that instant and lets it tick on: the root conftest.py
# starts freezegun (tick=True) when OMNI_TEST_NOW is set, and makes Odoo's
# transaction timestamp (create_date, write_date: SQL now() otherwise) follow
# the same clock. The tests' own freeze_time still wins where they set one.
# The database (omni_on_date, or ODOO_TEST_DB) is built or updated at the real
# time, as a live database was set up before the day comes.
#
# Not moved: SQL now() inside raw queries and the tours' browser clock.
# libfaketime (moving the whole process and PostgreSQL) was tried first:
# Debian's 0.9.10 makes Python's time.sleep() fail (EINVAL) or hang, and the
# server's lock_timeout never fires.
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"

[ $# -ge 1 ] || die "usage: $0 'YYYY-MM-DD HH:MM:SS' [pytest args]"
when="$1"; shift
date -u -d "$when" >/dev/null 2>&1 || die "not a date/time: $when"
log "Tests with the clock at $when UTC"
OMNI_TEST_NOW="$(date -u -d "$when" '+%Y-%m-%d %H:%M:%S')" ODOO_TEST_DB="${ODOO_TEST_DB:-omni_on_date}" \
    exec bash "$ROOT/scripts/test.sh" "$@"
