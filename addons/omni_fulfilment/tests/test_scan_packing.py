# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import TransactionCase

from odoo.addons.omni_order.tests.common import OmniOrderTestMixin

from .common import CourierMixin


class TestScanPacking(CourierMixin, OmniOrderTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.channel.require_scan_packing = True
        cls.cup.barcode = "6900000000011"
        cls.honey.barcode = "6900000000028"
        cls.env["product.product"].create({"name": "Stranger", "barcode": "6900000000099"})
        [result] = cls.env["omni.order"].import_orders(
            "TMALL01",
            [cls._order("PK1", paid_amount="120.00", shipping_fee="0",
                        lines=[{"platform_sku": "TM-CUP-SET", "quantity": "1", "unit_price": "60"},
                               {"platform_sku": "TM-HONEY-500G", "quantity": "2", "unit_price": "30"}])],
        )  # fmt: skip
        cls.order = cls.env["omni.order"].browse(result["order_id"])
        cls.picking = cls.order.sale_order_id.picking_ids
        cls.picking.carrier_id = cls._setup_couriers(codes=("SF",))["SF"]

    def _scan(self, barcode, times=1):
        result = None
        for _i in range(times):
            result = self.picking.omni_scan(barcode)
        return result

    def test_scanning_everything_lets_the_delivery_ship(self):
        result = self._scan("6900000000011", 4)
        self.assertEqual((result["packed"], result["ordered"], result["complete"]), (4, 4, False))
        result = self._scan("6900000000028", 2)
        self.assertTrue(result["complete"])
        self.picking.button_validate()
        self.assertEqual(self.picking.state, "done")
        self.assertEqual(self.order.state, "shipped")

    def test_barcode_that_is_no_product(self):
        with self.assertRaises(UserError) as err:
            self._scan("123")
        self.assertIn("Barcode 123 is not a product", str(err.exception))

    def test_product_of_another_order_refused(self):
        with self.assertRaises(UserError) as err:
            self._scan("6900000000099")
        self.assertIn("Stranger is not in delivery", str(err.exception))

    def test_over_packing_refused(self):
        self._scan("6900000000028", 2)
        with self.assertRaises(UserError) as err:
            self._scan("6900000000028")
        self.assertIn("one more is too many", str(err.exception))
        self.assertEqual(self.picking.move_ids.filtered(lambda m: m.product_id == self.honey).omni_packed_qty, 2)

    def test_under_packed_delivery_cannot_be_validated(self):
        self._scan("6900000000011", 3)
        with self.assertRaises(UserError) as err:
            self.picking.button_validate()
        self.assertIn("not fully packed", str(err.exception))
        self.assertIn("(3/4)", str(err.exception))
        self.assertNotEqual(self.picking.state, "done")

    def test_manager_ships_packed_part_and_backorders_the_rest(self):
        self._scan("6900000000011", 4)
        self._scan("6900000000028", 1)
        self.picking.with_context(omni_split_backorder=True).button_validate()
        self.assertEqual(self.picking.state, "done")
        backorder = self.order.sale_order_id.picking_ids - self.picking
        self.assertEqual(backorder.move_ids.product_id, self.honey)
        self.assertEqual(backorder.move_ids.product_uom_qty, 1)
        self.assertEqual(self.order.state, "confirmed", "not shipped while a backorder is open")

    def test_clerk_cannot_split(self):
        clerk = self._create_omni_user("omni_packer", self.company, "omni_channel.group_omni_channel_user",
                                       "stock.group_stock_user")  # fmt: skip
        self._scan("6900000000011", 4)
        with self.assertRaises(UserError):
            self.picking.with_user(clerk).with_context(omni_split_backorder=True).button_validate()

    def test_scanning_not_required_keeps_standard_validation(self):
        self.channel.require_scan_packing = False
        self.picking.move_ids.picked = True
        self.picking.button_validate()
        self.assertEqual(self.picking.state, "done")
