# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

import pytz

from odoo.tests import HttpCase, tagged

from .common import RetailLedgerTestMixin


@tagged("post_install", "-at_install")
class TestRetailLedgerTour(RetailLedgerTestMixin, HttpCase):
    """The accountant's screens in the browser: Generate wizard, retail
    records list and form, Post, ledger check."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_retail_ledger()
        shanghai = pytz.timezone("Asia/Shanghai")
        # the wizard proposes yesterday in the user's time zone; ship at noon that day
        cls.admin = cls.env.ref("base.user_admin")
        cls.admin.tz = "Asia/Shanghai"
        cls.day = datetime.now(shanghai).date() - timedelta(days=1)
        noon = shanghai.localize(datetime.combine(cls.day, time(12, 0))).astimezone(pytz.UTC).replace(tzinfo=None)
        # platform prices include tax: the day's total is what the buyers paid (130.00 + 88.00)
        cls.l1 = cls._import("TMALL01", "TOUR-L1", [("TM-TEA-250G", "2", "50.00"), ("TM-HONEY-500G", "1", "30.00")])
        cls.l2 = cls._import("TMALL01", "TOUR-L2", [("TM-CUP-SET", "1", "88.00")], payment_method="cod")
        for order in (cls.l1, cls.l2):
            cls._ship(order, when=noon)
        cls.sale_orders = (cls.l1 | cls.l2).sale_order_id

    def test_generate_post_and_check(self):
        self.assertTrue(
            self.admin.has_group("omni_retail_ledger.group_retail_ledger_accountant"),
            "the accounting administrator is a Retail Ledger accountant",
        )
        self.assertEqual(round(sum(self.sale_orders.mapped("amount_total")), 2), 218.0)
        self.assertFalse(self.Record.search([]))
        self.start_tour("/odoo", "omni_retail_ledger_tour", login="admin")
        record = self.Record.search([])
        self.assertEqual(len(record), 1, "one record: TMALL01, sales, yesterday")
        self.assertEqual((record.unit_code, record.kind, record.date), ("TMALL01", "sale", self.day))
        self.assertEqual(record.state, "posted")
        self.assertEqual(record.line_ids.sale_order_id, self.sale_orders)
        self.assertEqual(
            (record.amount_untaxed, record.amount_tax, record.amount_total, record.amount_cod),
            (
                round(sum(self.sale_orders.mapped("amount_untaxed")), 2),
                round(sum(self.sale_orders.mapped("amount_tax")), 2),
                218.0,
                88.0,
            ),
        )
        move = record.move_id
        self.assertEqual((move.state, move.date), ("posted", self.day))
        self.assertEqual(self._move_balance(move, self.clearing_tmall), 130.0)
        self.assertEqual(self._move_balance(move, self.cod_sf), 88.0)
        check = self.env["omni.retail.check.report"].search([("channel_id", "=", self.channel.id)])
        self.assertEqual(
            [(c.date, c.warehouse_total, c.posted_total, c.has_difference) for c in check],
            [(self.day, 218.0, 218.0, False)],
        )
