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
