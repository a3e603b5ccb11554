# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The daily settlement pull: the cron queues one job per channel and
period, the job imports the days since the last day pulled as a statement,
a failure stays on the channel and its period is pulled again. The clock
is frozen: "today" is a fixed China date."""

import datetime
from urllib.parse import urlsplit

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tests.common import HOST, _super_send

from odoo.addons.omni_order.tests.common import JobsMixin
from odoo.addons.omni_platform.tests.platform_stub import PlatformStub

from .common import PostingCase
from .test_pull_settlements import ACCOUNTS, APP_KEY, PAID, SECRET, SESSION, bill

JOB = "_pull_settlements_job"
# 04:00 in China on 2026-11-26: "yesterday" is 2026-11-25
DAY_26 = "2026-11-25 20:00:00"
DAY_29 = "2026-11-28 20:00:00"


@tagged("post_install", "-at_install")
class TestSettlementPullCron(JobsMixin, PostingCase):
    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # the stand-in platform listens on 127.0.0.1: let the adapter reach it (other hosts stay blocked)
        if urlsplit(r.url).hostname in (HOST, "localhost"):
            return _super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._book("TMALL01", PAID)

    def setUp(self):
        super().setUp()
        self.stub = PlatformStub(app_key=APP_KEY, app_secret=SECRET, access_token=SESSION).start()
        self.addCleanup(self.stub.stop)
        self.stub.top_bill_accounts = ACCOUNTS
        # China time: the 25th's sale and its commission, a payout on the 28th
        self.stub.top_bills = [
            bill(9003, "2026-11-25 09:00:00", 1, 15200, "4060000002145260219"),
            bill(9004, "2026-11-25 09:00:01", 2, 304, "4060000002145260219"),
            bill(9005, "2026-11-28 10:00:00", 3, -10000),
        ]
        self.tmall = self.channels["TMALL01"]
        self.tmall.write(
            {"adapter_kind": "taobao_top", "api_base_url": self.stub.router_url, "api_app_key": APP_KEY,
             "api_app_secret": SECRET, "api_access_token": SESSION, "omni_settlement_pull_daily": True}
        )  # fmt: skip

    def _cron(self, at):
        with freeze_time(at):
            self.env["omni.channel"]._cron_pull_settlements()

    def _run_jobs(self, at):
        with freeze_time(at):
            return self._perform_jobs(JOB)

    def _statements(self):
        return self.env["omni.settlement"].search([("channel_id", "=", self.tmall.id)])

    def test_cron_pulls_yesterday_once_then_the_days_since(self):
        self._cron(DAY_26)
        self._cron(DAY_26)  # a second run (or one at the same time) queues nothing more
        jobs = self._jobs(JOB)
        self.assertEqual(len(jobs), 1, "one job per channel and period")
        self.assertEqual((jobs.records, jobs.args), (self.tmall, ["2026-11-25", "2026-11-25"]))

        self._run_jobs(DAY_26)
        statement = self.tmall.omni_settlement_pull_statement_id
        self.assertEqual((str(statement.date_from), str(statement.date_to)), ("2026-11-25", "2026-11-25"))
        self.assertEqual(statement.file_format, "api")
        self.assertEqual(sorted(statement.line_ids.mapped("serial_no")), ["9003", "9004"])
        self.assertEqual(set(statement.line_ids.filtered(lambda line: line.kind == "sale").mapped("state")),
                         {"matched"})  # fmt: skip
        self.assertEqual(str(self.tmall.omni_settlement_pulled_until), "2026-11-25")
        self.assertEqual(self.tmall.omni_settlement_pull_state, "ok")

        # up to date: the same day's cron queues nothing
        self._cron(DAY_26)
        self.assertFalse(self._jobs(JOB))

        # three days later: the days since the last day pulled, in one statement
        self._cron(DAY_29)
        self.assertEqual(self._jobs(JOB).args, ["2026-11-26", "2026-11-28"])
        self._run_jobs(DAY_29)
        later = self.tmall.omni_settlement_pull_statement_id
        self.assertNotEqual(later, statement)
        self.assertEqual((later.line_ids.serial_no, later.line_ids.kind), ("9005", "payout"))
        self.assertEqual(str(self.tmall.omni_settlement_pulled_until), "2026-11-28")

        # the same job run again: the same lines, the same statement, nothing added
        with freeze_time(DAY_29):
            again = self.tmall._pull_settlements_job("2026-11-26", "2026-11-28")
        self.assertEqual(again, later.id)
        self.assertEqual(len(self._statements()), 2)
        self.assertEqual(later.line_count, 1)

    def test_failure_stays_on_channel_and_the_period_is_pulled_again(self):
        self.tmall.api_access_token = "expired-session"
        self._cron(DAY_26)
        self._run_jobs(DAY_26)
        self.assertEqual(self.tmall.omni_settlement_pull_state, "failed")
        self.assertIn("Invalid session", self.tmall.omni_settlement_pull_error)
        self.assertIn(self.tmall.display_name, self.tmall.omni_settlement_pull_error)
        self.assertFalse(self.tmall.omni_settlement_pulled_until, "the period does not move")
        self.assertFalse(self._statements(), "nothing recorded")

        # the session renewed: the next run pulls the same period
        self.tmall.api_access_token = SESSION
        self._cron(DAY_26)
        self.assertEqual(self._jobs(JOB).args, ["2026-11-25", "2026-11-25"])
        self._run_jobs(DAY_26)
        self.assertEqual(self.tmall.omni_settlement_pull_state, "ok")
        self.assertFalse(self.tmall.omni_settlement_pull_error)
        self.assertEqual(len(self._statements()), 1)

    def test_a_day_without_lines_is_pulled_and_records_nothing(self):
        at = "2026-11-26 20:00:00"  # yesterday is the 26th: no line
        self._cron(at)
        self._run_jobs(at)
        self.assertEqual(
            (self.tmall.omni_settlement_pull_state, str(self.tmall.omni_settlement_pulled_until)), ("ok", "2026-11-26")
        )
        self.assertFalse(self._statements())

    def test_channels_that_do_not_pull(self):
        douyin = self.channels["DY01"]
        # switched on, but its adapter here has no settlement call: the reason shows on the channel, no job
        douyin.write({"adapter_kind": "generic_rest", "api_base_url": self.stub.url,
                      "omni_settlement_pull_daily": True})  # fmt: skip
        # switched off: nothing
        self.tmall.omni_settlement_pull_daily = False
        self._cron(DAY_26)
        self.assertFalse(self._jobs(JOB))
        self.assertEqual(douyin.omni_settlement_pull_state, "failed")
        self.assertIn("statement file", douyin.omni_settlement_pull_error)
        self.assertFalse(self.stub.requests, "nothing asked from any platform")

    def test_catch_up_is_capped(self):
        today = datetime.date(2026, 11, 26)
        self.assertEqual(self.tmall._omni_settlement_pull_period(today), (today - datetime.timedelta(days=1),) * 2)
        self.env.cr.execute(
            "UPDATE omni_channel SET omni_settlement_pulled_until = '2026-09-01' WHERE id = %s", [self.tmall.id]
        )
        self.tmall.invalidate_recordset()
        self.assertEqual(
            self.tmall._omni_settlement_pull_period(today), (datetime.date(2026, 10, 26), datetime.date(2026, 11, 25))
        )
        self.env.cr.execute(
            "UPDATE omni_channel SET omni_settlement_pulled_until = '2026-11-25' WHERE id = %s", [self.tmall.id]
        )
        self.tmall.invalidate_recordset()
        self.assertIsNone(self.tmall._omni_settlement_pull_period(today))
