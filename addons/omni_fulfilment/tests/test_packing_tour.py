# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from odoo.addons.omni_order.tests.common import OmniOrderTestMixin


@tagged("post_install", "-at_install")
class TestPackingTour(OmniOrderTestMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.channel.require_scan_packing = True
        cls.honey.barcode = "6900000000028"
        cls.env["product.product"].create({"name": "Stranger", "barcode": "6900000000099"})
        [result] = cls.env["omni.order"].import_orders(
            "TMALL01",
            [cls._order("TOUR-PK", paid_amount="60", shipping_fee="0",
                        lines=[{"platform_sku": "TM-HONEY-500G", "quantity": "2", "unit_price": "30"}])],
        )  # fmt: skip
        cls.order = cls.env["omni.order"].browse(result["order_id"])
        cls.picking = cls.order.sale_order_id.picking_ids

    def test_packing_screen(self):
        self.start_tour(
            f"/odoo/action-stock.action_picking_tree_all/{self.picking.id}", "omni_packing_tour", login="admin"
        )
        self.assertEqual(self.picking.state, "done")
        self.assertEqual(self.order.state, "shipped")
        self.assertEqual(self.picking.move_ids.omni_packed_qty, 2)
