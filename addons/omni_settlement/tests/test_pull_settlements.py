# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Settlements pulled through the channel's platform adapter (Taobao/Tmall:
taobao.bill.bills.get) from the stand-in TOP router, imported as a
statement through the same import as a file."""

from datetime import datetime
from urllib.parse import urlsplit

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tests.common import HOST, _super_send

from odoo.addons.omni_platform.tests.platform_stub import PlatformStub

from .. import readers_api
from .common import PostingCase

APP_KEY, SECRET, SESSION = "12345678", "top-secret-9c1e", "session-77ab"
ACCOUNTS = [
    {"account_id": 1, "account_name": "交易付款", "account_type": 2},
    {"account_id": 2, "account_name": "天猫佣金(类目)", "account_type": 3},
    {"account_id": 3, "account_name": "提现", "account_type": 1},
]
PAID = {"4060000001626596939": 35.90, "4060000002145260219": 152.00}


def bill(bid, pay_time, account_id, fen, trade=""):
    return {"bid": bid, "account_id": account_id, "trade_id": trade, "order_id": trade, "amount": fen,
            "pay_time": pay_time, "book_time": pay_time, "biz_time": pay_time}  # fmt: skip


@tagged("post_install", "-at_install")
class TestPullSettlements(PostingCase):
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
        groups = ["omni_settlement.group_settlement_manager", "account.group_account_invoice",
                  "omni_channel.group_omni_channel_user"]  # fmt: skip
        cls.manager = cls.env["res.users"].create(
            {"name": "Settlement manager", "login": "settle_manager_pull", "email": "pull@example.com",
             "groups_id": [Command.link(cls.env.ref(group).id) for group in groups]}
        )  # fmt: skip
        cls.settlement_user = cls.env["res.users"].create(
            {"name": "Settlement user", "login": "settle_user_pull", "email": "pull_user@example.com",
             "groups_id": [Command.link(cls.env.ref("omni_settlement.group_settlement_user").id),
                           Command.link(cls.env.ref("omni_channel.group_omni_channel_user").id)]}
        )  # fmt: skip

    def setUp(self):
        super().setUp()
        self.stub = PlatformStub(app_key=APP_KEY, app_secret=SECRET, access_token=SESSION).start()
        self.addCleanup(self.stub.stop)
        self.stub.top_bill_accounts = ACCOUNTS
        self.stub.top_bills = [
            bill(9001, "2026-11-01 00:00:07", 1, 3590, "4060000001626596939"),
            bill(9002, "2026-11-01 00:00:08", 2, 72, "4060000001626596939"),
            bill(9003, "2026-11-25 09:00:00", 1, 15200, "4060000002145260219"),
            bill(9004, "2026-11-25 09:00:01", 2, 304, "4060000002145260219"),
            bill(9005, "2026-11-28 10:00:00", 3, -10000),
        ]
        self.channels["TMALL01"].write(
            {"adapter_kind": "taobao_top", "api_base_url": self.stub.router_url, "api_app_key": APP_KEY,
             "api_app_secret": SECRET, "api_access_token": SESSION}
        )  # fmt: skip

    def test_pull_imports_a_statement_once(self):
        Settlement = self.env["omni.settlement"].with_user(self.manager)
        sid = Settlement.pull_settlements("TMALL01", "2026-11-01", "2026-11-30")
        statement = self.env["omni.settlement"].browse(sid)
        self.assertEqual(statement.file_format, "api")
        self.assertEqual((str(statement.date_from), str(statement.date_to)), ("2026-11-01", "2026-11-30"))
        self.assertEqual(statement.line_count, 5)
        lines = statement.line_ids
        sales = lines.filtered(lambda line: line.kind == "sale")
        self.assertEqual(sorted(sales.mapped("order_ref")), sorted(PAID))
        self.assertEqual(set(sales.mapped("state")), {"matched"}, "booked as the platform paid them")
        fees = lines.filtered(lambda line: line.kind == "fee")
        self.assertAlmostEqual(sum(fees.mapped("amount")), -3.76, places=2)
        self.assertEqual(lines.filtered(lambda line: line.kind == "payout").amount, -100.00)
        # 30 day windows: one accounts call, one bills call a day
        self.assertEqual(len(self.stub.requests_for(api_method="taobao.bill.bills.get")), 30)

        # the same period again: the same lines, the same statement, nothing added
        again = Settlement.pull_settlements("TMALL01", "2026-11-01", "2026-11-30")
        self.assertEqual(again, sid)
        self.assertEqual(self.env["omni.settlement"].search_count([("channel_id", "=", statement.channel_id.id)]), 1)
        self.assertEqual(statement.line_count, 5)

        # a later pull over the end of the period: what was pulled already is a duplicate
        self.stub.top_bills.append(bill(9006, "2026-12-01 08:00:00", 2, 50, "4060000002145260219"))
        later = self.env["omni.settlement"].browse(Settlement.pull_settlements("TMALL01", "2026-11-28", "2026-12-01"))
        self.assertNotEqual(later, statement)
        self.assertEqual(sorted(later.line_ids.mapped("state")), ["duplicate", "matched"])

        statement.with_user(self.manager).action_post()
        self.assertEqual(statement.state, "posted")

    def test_pull_needs_manager_and_an_adapter(self):
        with self.assertRaises(AccessError):
            self.env["omni.settlement"].with_user(self.settlement_user).pull_settlements(
                "TMALL01", "2026-11-01", "2026-11-30"
            )
        self.assertFalse(self.stub.requests, "nothing asked from the platform")
        self.channels["TMALL01"].adapter_kind = "generic_rest"
        with self.assertRaisesRegex(UserError, "statement file"):
            self.env["omni.settlement"].with_user(self.manager).pull_settlements("TMALL01", "2026-11-01", "2026-11-30")

    def test_channel_button_pulls_last_month(self):
        with freeze_time("2026-12-10 04:00:00"):
            action = self.channels["TMALL01"].with_user(self.manager).action_pull_settlements()
        statement = self.env["omni.settlement"].browse(action["res_id"])
        self.assertEqual((action["res_model"], statement.file_format), ("omni.settlement", "api"))
        self.assertEqual((str(statement.date_from), str(statement.date_to)), ("2026-11-01", "2026-11-30"))
        self.assertEqual(statement.line_count, 5)


@tagged("post_install", "-at_install")
class TestPulledFile(PostingCase):
    """A file of pulled lines (a Douyin channel's, as its adapter gives them)
    goes through import_file like an export: read as pulled lines, classified
    by the channel's table, the fees held in a line kept apart."""

    def test_douyin_pulled_lines_through_import_file(self):
        order = next(iter(self.orders["DY01"]))
        lines = [
            {"serial_no": f"RN1/{order}", "line_at": "2026-11-03 10:00:00", "order_ref": order, "sub_order_ref": "",
             "type_text": "货款结算入账", "amount": "22.39", "fee_amount": "-1.02", "balance": None,
             "raw": {"request_no": "RN1"}},
            {"serial_no": f"RN2/{order}/1", "line_at": "2026-11-09 10:00:00", "order_ref": order, "sub_order_ref": "",
             "type_text": "结算后退款", "amount": "-5.00", "fee_amount": "0.00", "balance": None, "raw": {}},
            {"serial_no": "RN3/x/2", "line_at": "2026-11-10 10:00:00", "order_ref": "", "sub_order_ref": "",
             "type_text": "保证金退款", "amount": "100.00", "fee_amount": "0.00", "balance": None, "raw": {}},
        ]  # fmt: skip
        content = readers_api.api_content(
            lines, "DY01", "douyin", datetime(2026, 11, 1), datetime(2026, 12, 1)
        )  # fmt: skip
        statement = self.import_bytes("DY01", "dy.json", content)
        self.assertEqual((statement.file_format, str(statement.date_to)), ("api", "2026-11-30"))
        by_serial = {line.serial_no: line for line in statement.line_ids}
        sale = by_serial[f"RN1/{order}"]
        self.assertEqual((sale.kind, sale.omni_order_id.platform_order_no), ("sale", order))
        self.assertAlmostEqual(sale.gross_amount, 23.41, places=2)
        self.assertEqual(by_serial[f"RN2/{order}/1"].kind, "refund")
        self.assertEqual(by_serial["RN3/x/2"].state, "unmapped", "a word the table does not know waits")
        # the same lines again (in another order): the same file, the same statement
        again = readers_api.api_content(lines[::-1], "DY01", "douyin", datetime(2026, 11, 1), datetime(2026, 12, 1))
        self.assertEqual(self.import_bytes("DY01", "dy2.json", again), statement)

    def test_bad_pulled_file_refused(self):
        content = b'{"format": "omni_platform_settlements", "lines": [{"serial_no": ""}]}'
        with self.assertRaisesRegex(UserError, "not a file of settlement lines"):
            self.import_bytes("DY01", "bad.json", content)
        self.assertFalse(self.env["omni.settlement"].search([("file_name", "=", "bad.json")]))
