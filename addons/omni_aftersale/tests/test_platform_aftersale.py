# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged

from odoo.addons.omni_order.tests.common import OmniOrderTestMixin


@tagged("post_install", "-at_install")
class TestPlatformAftersale(OmniOrderTestMixin, TransactionCase):
    """A shipped order that the platform refunds or holds afterwards becomes
    an after-sales case, once per platform status (issue 25)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        [result] = cls.env["omni.order"].import_orders("TMALL01", [cls._order("AS-P1")])
        cls.order = cls.env["omni.order"].browse(result["order_id"])
        picking = cls.order.sale_order_id.picking_ids
        picking.move_ids.picked = True
        picking.button_validate()

    def _platform_says(self, state, status):
        # entries as the adapters list them after a pull (platforms/base.py ``skipped``)
        return self.env["omni.order"]._omni_apply_platform_states(
            self.channel, [{"platform_order_no": "AS-P1", "status": status, "unknown": False, "state": state}]
        )

    def test_refund_after_shipping_opens_one_case(self):
        self.assertEqual(self.order.state, "shipped")
        Aftersale = self.env["omni.aftersale"]
        # Douyin: shipped (order_status 3), a return under way on its SKU order
        self.assertEqual(self._platform_says("hold", "3 已发货, after_sale_status 7"), [])
        case = Aftersale.search([("omni_order_id", "=", self.order.id)])
        self.assertEqual(len(case), 1)
        self.assertEqual((case.source, case.state), ("platform", "draft"))
        self.assertEqual(case.platform_refund_no, "AS-P1/3 已发货, after_sale_status 7")
        self.assertIn("after_sale_status 7", case.reason)
        self.assertEqual(self.order.state, "shipped")
        self.assertFalse(self.order.hold_reason, "a shipped order is not held")
        # the same news in the next, overlapping pull: no second case
        self._platform_says("hold", "3 已发货, after_sale_status 7")
        self.assertEqual(Aftersale.search_count([("omni_order_id", "=", self.order.id)]), 1)
        # refunded in the end (Taobao: the trade closes after the goods came back)
        self._platform_says("cancelled", "TRADE_CLOSED")
        self.assertEqual(Aftersale.search_count([("omni_order_id", "=", self.order.id)]), 2)
        self.assertEqual(self.order.state, "shipped")
