# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from odoo.addons.omni_order.tests.common import OmniOrderTestMixin


# a project test: it needs omni_order and omni_purchase, which do not depend on each other
@tagged("post_install", "-at_install")
class TestChannelBundles(OmniOrderTestMixin, TransactionCase):
    """A platform bundle sold on a channel is bought as its components."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-11-11 02:00:00"):
            cls._setup_omni_order()

    def test_shipped_bundle_counts_in_its_components(self):
        with freeze_time("2026-11-11 02:00:00"):
            [result] = self.env["omni.order"].import_orders(
                "TMALL01",
                [self._order("PB1", order_time="2026-11-11 10:00:00", paid_amount="300", shipping_fee="0",
                             lines=[{"platform_sku": "TM-GIFT-BOX", "quantity": "3", "unit_price": "100"}])],
            )  # fmt: skip
            picking = self.env["omni.order"].browse(result["order_id"]).sale_order_id.picking_ids
            picking.move_ids.picked = True
            picking.button_validate()
            self.assertEqual(picking.state, "done")
        with freeze_time("2026-11-12 02:00:00"):  # the next day: the 11th is a complete day
            lines = self.env["omni.purchase.suggestion"]._refresh(
                self.warehouse, (self.tea | self.cup | self.honey).ids
            )
        by_product = {line.product_id: line for line in lines}
        self.assertEqual(by_product[self.tea].sales_7, 1.5, "3 boxes × 0.5 kg of tea")
        self.assertEqual(by_product[self.cup].sales_7, 6, "3 boxes × 2 cups")
        self.assertEqual(by_product[self.honey].sales_7, 0)
        self.assertEqual(by_product[self.cup].free_qty, 994)
        self.assertEqual(by_product[self.cup].last_sale_date.isoformat(), "2026-11-11")
