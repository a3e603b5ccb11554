# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoSettlement(TransactionCase):
    """The demo company's month of platform settlements: the Tmall shop's
    Alipay statement matched against its shipped orders and posted, the JD
    shop's wallet export imported with its lines on the demo's JD orders."""

    def test_demo_settlements_imported_matched_posted(self):
        params = self.env["ir.config_parameter"].sudo()
        for key in ("omni.demo_loaded", "omni.demo_call_centre_loaded", "omni.demo_settlement_loaded"):
            params.set_param(key, "")
        self.assertTrue(self.env["omni.demo"]._load_demo())
        self.assertTrue(self.env["omni.demo"]._load_demo_settlement())
        self.assertFalse(self.env["omni.demo"]._load_demo_settlement(), "loaded once")
        company = self.env["res.company"].browse(int(params.get_param("omni.demo_loaded")))
        statements = self.env["omni.settlement"].search([("company_id", "=", company.id)])
        by_channel = {statement.channel_id.code: statement for statement in statements}
        self.assertEqual(set(by_channel), {"TMALL01", "JD01"})

        tmall = by_channel["TMALL01"]
        self.assertEqual((tmall.file_format, tmall.state), ("alipay", "posted"))
        self.assertEqual((tmall.date_to - tmall.date_from).days, 29, "a month")
        self.assertFalse(tmall.balance_break_line_id)
        sales = tmall.line_ids.filtered(lambda line: line.kind == "sale")
        self.assertGreaterEqual(len(sales), 2)
        self.assertEqual(set(sales.mapped("state")), {"matched"}, "paid as the ledger booked the shipped orders")
        self.assertEqual(sales.omni_order_id.channel_id.code, "TMALL01")
        refund = tmall.line_ids.filtered(lambda line: line.kind == "refund")
        self.assertEqual(refund.state, "matched", "the honey return: its after-sales order exists")
        self.assertEqual(set(tmall.line_ids.mapped("kind")), {"sale", "refund", "fee", "payout", "transfer"})
        self.assertEqual(tmall.move_ids.mapped("state"), ["posted"] * len(tmall.move_ids))
        wallet = tmall.channel_id.omni_settlement_journal_id.default_account_id
        moved = sum(tmall.move_ids.line_ids.filtered(lambda line: line.account_id == wallet).mapped("balance"))
        self.assertAlmostEqual(moved, tmall.closing_balance - tmall.opening_balance, places=2)
        self.assertTrue(all(order.omni_settlement_net for order in sales.omni_order_id))

        jd = by_channel["JD01"]
        self.assertEqual((jd.file_format, jd.state), ("jd", "imported"))
        self.assertFalse(jd.balance_break_line_id)
        order_lines = jd.line_ids.filtered("order_ref")
        self.assertEqual(len(order_lines), 4)
        self.assertEqual(set(order_lines.mapped("state")), {"not_shipped"}, "the demo's JD orders are not shipped")
        self.assertEqual(set(order_lines.omni_order_id.mapped("channel_id.code")), {"JD01"})
        self.assertEqual(set(jd.line_ids.mapped("kind")), {"sale", "fee", "payout", "internal"})
