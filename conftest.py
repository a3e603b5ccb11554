"""pytest set-up shared by every test run by scripts/test.sh."""

import os

import pytest


def pytest_configure(config):
    """``OMNI_TEST_NOW`` (set by scripts/test_on_date.sh): the whole run, the
    HTTP server threads included, lives at that UTC instant, its clock ticking
    on from there, so the suite shows it does not depend on the day it runs."""
    when = os.environ.get("OMNI_TEST_NOW")
    if not when:
        return
    from datetime import datetime

    from freezegun import freeze_time

    # tick: time goes on (timeouts, ordering); nested freeze_time of the tests
    # still wins while it is active
    freezer = freeze_time(when, tick=True)
    freezer.start()
    config.add_cleanup(freezer.stop)

    from odoo import sql_db

    # Odoo takes create_date / write_date from the transaction's SQL now(),
    # which the PostgreSQL server answers from the real clock: the moved
    # clock must give it too, as Odoo's own TestCursor does (datetime.now())
    def now(self):
        if self._now is None:
            self._now = datetime.utcnow()
        return self._now

    original = sql_db.Cursor.now
    sql_db.Cursor.now = now
    config.add_cleanup(lambda: setattr(sql_db.Cursor, "now", original))

    # XML-RPC answers by exact type: freezegun's date/datetime classes (made
    # while the clock is moved) and the real ones (read from PostgreSQL) both
    # as Odoo answers dates, whichever of them its module saw at import
    from freezegun.api import FakeDate, FakeDatetime, real_date, real_datetime

    from odoo.addons.base.controllers.rpc import OdooMarshaller

    for date_class in (FakeDate, real_date):
        OdooMarshaller.dispatch[date_class] = OdooMarshaller.dump_date
    for datetime_class in (FakeDatetime, real_datetime):
        OdooMarshaller.dispatch[datetime_class] = OdooMarshaller.dump_datetime


@pytest.fixture(scope="session", autouse=True)
def load_static_paths_once(load_registry):
    """Map the addons' static folders (reading every manifest) once, in this
    thread, before any browser test: the browser's first parallel requests
    would otherwise read the manifests in several server threads at once, and
    Python 3.11.7's compile() is not thread-safe there (CPython gh-106905,
    "SystemError: AST constructor recursion depth mismatch"), which fails a
    tour now and then."""
    from odoo import http

    return http.root.statics
