# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from odoo.addons.omni_order.tests.common import OmniOrderTestMixin

from .common import CourierMixin


@tagged("post_install", "-at_install")
class TestPackingTour(CourierMixin, OmniOrderTestMixin, HttpCase):
    """The packing station driven as a scanner drives it: every code typed
    key by key into the focused field, then Enter."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls._setup_couriers(codes=("SF",))
        cls.channel.require_scan_packing = True
        cls.channel.ships_without_courier = False
        cls.cup.barcode = "6900000000011"
        cls.honey.barcode = "6900000000028"
        cls.tea.barcode = "6900000000035"
        cls.env["product.product"].create({"name": "Stranger", "barcode": "6900000000099"})
        [result] = cls.env["omni.order"].import_orders(
            "TMALL01",
            [cls._order("TOUR-PK", paid_amount="90", shipping_fee="0",
                        lines=[{"platform_sku": "TM-GIFT-BOX", "quantity": "1", "unit_price": "60"},
                               {"platform_sku": "TM-HONEY-500G", "quantity": "1", "unit_price": "30"}])],
        )  # fmt: skip
        cls.order = cls.env["omni.order"].browse(result["order_id"])
        cls.picking = cls.order.sale_order_id.picking_ids
        cls.picking.write({"name": "OMNI/TOUR/0001", "omni_courier_code": "SF"})

    def test_packing_station_by_scanner(self):
        self.start_tour("/odoo/action-omni_fulfilment.action_omni_packing_station", "omni_packing_tour", login="admin")
        self.assertEqual(self.picking.state, "done")
        self.assertEqual(self.order.state, "shipped")
        self.assertEqual(self.picking.omni_tracking_no, "SF1234567890")
        self.assertAlmostEqual(self.picking.omni_parcel_weight, 1.2)
        tea = self.picking.move_ids.filtered(lambda m: m.product_id == self.tea)
        self.assertEqual((tea.omni_packed_qty, tea.quantity), (0.5, 0.5))

    def test_wrong_field_scans(self):
        """A tracking label scanned into the weight field and a product's
        barcode into the quantity prompt are those scans (issue 23); a weight
        out of range is refused in red."""
        self._setup_couriers(codes=("SF", "ZTO"))
        self.couriers["ZTO"].omni_tracking_pattern = "7730"
        [result] = self.env["omni.order"].import_orders(
            "TMALL01",
            [self._order("TOUR-WF", paid_amount="60", shipping_fee="0",
                        lines=[{"platform_sku": "TM-TEA-250G", "quantity": "2", "unit_price": "15"},
                               {"platform_sku": "TM-HONEY-500G", "quantity": "1", "unit_price": "30"}])],
        )  # fmt: skip
        order = self.env["omni.order"].browse(result["order_id"])
        picking = order.sale_order_id.picking_ids
        picking.name = "OMNI/TOUR/0002"
        self.assertFalse(picking.carrier_id)
        self.start_tour(
            "/odoo/action-omni_fulfilment.action_omni_packing_station", "omni_packing_wrong_field_tour", login="admin"
        )
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.carrier_id, self.couriers["ZTO"])
        self.assertEqual(picking.carrier_tracking_ref, "773012345678")
        self.assertAlmostEqual(picking.omni_parcel_weight, 1.5)

    def test_station_asks_the_courier_of_an_unknown_label(self):
        self._setup_couriers(codes=("SF", "ZTO"))
        [result] = self.env["omni.order"].import_orders("TMALL01", [self._order("TOUR-AC")])
        picking = self.env["omni.order"].browse(result["order_id"]).sale_order_id.picking_ids
        picking.name = "OMNI/TOUR/0003"
        for move in picking.move_ids:
            picking.omni_scan(move.product_id.barcode, quantity=move.product_uom_qty)
        self.assertTrue(picking.omni_packing_complete)
        self.start_tour(
            "/odoo/action-omni_fulfilment.action_omni_packing_station", "omni_packing_ask_courier_tour", login="admin"
        )
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.carrier_id, self.couriers["ZTO"])
        self.assertEqual(picking.carrier_tracking_ref, "YT1234567890")
