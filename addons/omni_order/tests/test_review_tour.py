# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .common import OmniOrderTestMixin


@tagged("post_install", "-at_install")
class TestReviewTour(OmniOrderTestMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.channel.auto_confirm = False
        results = cls.env["omni.order"].import_orders(
            "TMALL01",
            [
                cls._order("TOUR-EXC-1", buyer_note="请周末送货"),
                cls._order("TOUR-OK-1", receiver_name="王芳", phone="17714475366"),
            ],
        )
        cls.order = cls.env["omni.order"].browse(results[0]["order_id"])

    def test_review_screen(self):
        self.assertEqual(self.order.state, "exception")
        self.start_tour("/odoo/action-omni_order.omni_order_action", "omni_order_review_tour", login="admin")
        self.assertEqual(self.order.state, "confirmed")
        self.assertEqual(self.order.sale_order_id.state, "sale")
        override = self.order.override_ids
        self.assertEqual(len(override), 1)
        self.assertEqual(override.user_id.login, "admin")
        self.assertEqual(override.rule_id.check, "buyer_note")
        self.assertEqual(override.params, {"note": "请周末送货"})
        self.assertIn("weekend delivery agreed", override.reason)

    def test_merge_screen(self):
        Order = self.env["omni.order"]
        results = Order.import_orders(
            "TMALL01",
            [
                self._order("TOUR-MRG-1", receiver_name="赵磊", phone="13912345678", order_time="2026-11-11 09:00:00"),
                self._order(
                    "TOUR-MRG-2",
                    receiver_name="赵磊",
                    phone="13912345678",
                    buyer_note="请下午送",
                    paid_amount="36",
                    lines=[{"platform_sku": "TM-HONEY-500G", "quantity": "1", "unit_price": "30"}],
                ),
            ],
        )
        first, second = Order.browse([r["order_id"] for r in results])
        self.assertEqual((first.state, second.state), ("to_review", "exception"))
        self.start_tour("/odoo/action-omni_order.omni_order_action", "omni_order_merge_tour", login="admin")
        self.assertEqual(second.state, "merged")
        self.assertEqual(second.merged_into_id, first)
        self.assertFalse(second.exception_ids)
        self.assertEqual(first.state, "exception", "the survivor has the merged order's note to read")
        self.assertEqual(first.all_line_ids, first.line_ids | second.line_ids)
