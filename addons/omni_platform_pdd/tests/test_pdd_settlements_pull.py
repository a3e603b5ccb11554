# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""End to end: a Pinduoduo channel's settlements pulled through
``omni.settlement.pull_settlements`` from the stand-in router, imported as a
statement, matched and classified by the channel's fee-type table.

omni_settlement is not a dependency of this addon: the test runs when it is
installed in the database (as in the project's test database) and is skipped
otherwise."""

import unittest
from urllib.parse import urlsplit

from odoo import Command
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import get_db_name, tagged
from odoo.tests.common import HOST, _super_send

from odoo.addons.omni_settlement.tests.common import PostingCase

from .pdd_stub import PddStub
from .test_pdd_settlements import ORDER_1, ROWS

CLIENT_ID, SECRET, TOKEN = "pdd-client-e2e", "pdd-secret-e2e", "pdd-token-e2e"
# the sample book's order 261104-660000197886767 was paid 338.40 (its partial refund below)
PAID = {ORDER_1: 17.91, "261104-660000197886767": 338.40}


@tagged("post_install", "-at_install")
class TestPddPullSettlements(PostingCase):
    @classmethod
    def setUpClass(cls):
        if "omni.settlement" not in Registry(get_db_name()):
            raise unittest.SkipTest("omni_settlement is not installed")
        super().setUpClass()
        cls._book("PDD01", PAID, date="2026-10-31")
        groups = ["omni_settlement.group_settlement_manager", "account.group_account_invoice",
                  "omni_channel.group_omni_channel_user"]  # fmt: skip
        cls.manager = cls.env["res.users"].create(
            {"name": "PDD settlement manager", "login": "pdd_settle_manager", "email": "pdd@example.com",
             "groups_id": [Command.link(cls.env.ref(group).id) for group in groups]}
        )  # fmt: skip

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # the stand-in platform listens on 127.0.0.1: let the adapter reach it (other hosts stay blocked)
        if urlsplit(r.url).hostname in (HOST, "localhost", "127.0.0.1"):
            return _super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    def setUp(self):
        super().setUp()
        self.stub = PddStub(app_key=CLIENT_ID, app_secret=SECRET, access_token=TOKEN).start()
        self.addCleanup(self.stub.stop)
        self.stub.bill_rows = list(ROWS)
        self.channels["PDD01"].write(
            {"adapter_kind": "pinduoduo", "api_base_url": self.stub.router_url, "api_app_key": CLIENT_ID,
             "api_app_secret": SECRET, "api_access_token": TOKEN}
        )  # fmt: skip

    def test_pull_imports_matches_and_classifies(self):
        Settlement = self.env["omni.settlement"].with_user(self.manager)
        sid = Settlement.pull_settlements("PDD01", "2026-11-01", "2026-11-03")
        statement = self.env["omni.settlement"].browse(sid)
        self.assertEqual(statement.file_format, "api")
        self.assertEqual(statement.line_count, 6, "4 November is after the period")
        lines = statement.line_ids
        self.assertEqual(
            {f"{line.amount:.2f}": line.kind for line in lines},
            {"17.91": "sale", "-0.11": "fee", "338.40": "sale", "-169.20": "refund", "1.02": "fee",
             "-5957.00": "payout"},
        )  # fmt: skip
        sales = lines.filtered(lambda line: line.kind == "sale")
        self.assertEqual(sorted(sales.mapped("omni_order_id.platform_order_no")), sorted(PAID))
        by_order = {line.omni_order_id.platform_order_no: line for line in sales}
        self.assertEqual(by_order[ORDER_1].state, "matched", "settled as the ledger booked it")
        # the other order: half refunded on the platform, the ledger still has it whole
        refunded = by_order["261104-660000197886767"]
        self.assertEqual(refunded.state, "amount_diff")
        self.assertAlmostEqual(refunded.order_diff, -169.20, places=2)
        self.assertAlmostEqual(sum(lines.filtered(lambda line: line.kind == "fee").mapped("amount")), 0.91, places=2)
        self.assertAlmostEqual(lines.filtered(lambda line: line.kind == "refund").amount, -169.20, places=2)
        # 3 days: a bill URL call and a download each
        self.assertEqual(len(self.stub.requests_for(method="POST")), 3)
        self.assertEqual(len(self.stub.requests_for(method="GET")), 3)

        # the same period again: the same statement, nothing added
        self.assertEqual(Settlement.pull_settlements("PDD01", "2026-11-01", "2026-11-03"), sid)
        self.assertEqual(statement.line_count, 6)

    def test_empty_period_and_refusal(self):
        Settlement = self.env["omni.settlement"].with_user(self.manager)
        with self.assertRaisesRegex(UserError, "no settlement line"):
            Settlement.pull_settlements("PDD01", "2026-11-10", "2026-11-11")
        self.stub.fail_next(1, status=404, path="/bills/2026-11-01.csv")
        with self.assertRaisesRegex(UserError, r"PDD01.*HTTP 404"):
            Settlement.pull_settlements("PDD01", "2026-11-01", "2026-11-01")
        self.assertFalse(self.env["omni.settlement"].search([("channel_id", "=", self.channels["PDD01"].id)]))
