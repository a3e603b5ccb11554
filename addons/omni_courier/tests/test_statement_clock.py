# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo.tests import TransactionCase, tagged

from .common import CourierTestMixin, xlsx_bytes


@tagged("post_install", "-at_install")
class TestStatementClock(CourierTestMixin, TransactionCase):
    """A statement period's days are the company's (China time here), not
    the importing user's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_courier()
        # 20:00 UTC on the 23rd: the 24th in China, still the 23rd in New York
        cls.pickings["SF1006"].date_done = datetime(2026, 11, 23, 20, 0, 0)

    def _missing(self, tz):
        self.env.user.tz = tz
        statement = self._import(
            xlsx_bytes([["SF1001", "2026-11-24", "南京", 1.2, 12, 0]]), date_from="2026-11-24", date_to="2026-11-24"
        )
        return statement.line_ids.filtered(lambda line: line.state == "missing").mapped("tracking_no")

    def test_period_in_company_days_for_a_user_far_away(self):
        self.assertEqual(self._missing("America/New_York"), ["SF1006"])

    def test_period_in_company_days_for_a_user_in_china(self):
        self.assertEqual(self._missing("Asia/Shanghai"), ["SF1006"])


@tagged("post_install", "-at_install")
class TestChannelOrderDeliveryCost(CourierTestMixin, TransactionCase):
    """A courier invoiced at its real cost never adds a line to a channel
    order: the order's total stays what the buyer paid."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()

    def test_real_cost_courier_adds_nothing_to_a_channel_order(self):
        product = self.env["product.product"].create({"name": "Freight", "type": "service"})
        carrier = self.env["delivery.carrier"].create(
            {"name": "Real cost", "product_id": product.id, "invoice_policy": "real", "fixed_price": 9.0}
        )
        [result] = self.env["omni.order"].import_orders("TMALL01", [self._order("DC1")])
        order = self.env["omni.order"].browse(result["order_id"])
        picking = order.sale_order_id.picking_ids
        picking.write({"carrier_id": carrier.id, "carrier_price": 9.0})
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertAlmostEqual(order.sale_order_id.amount_total, 105.0, places=2)
        self.assertFalse(order.sale_order_id.order_line.filtered("is_delivery"))
