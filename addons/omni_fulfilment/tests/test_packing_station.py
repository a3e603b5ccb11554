# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import TransactionCase

from odoo.addons.omni_order.tests.common import OmniOrderTestMixin

from .common import CourierMixin


class TestPackingStation(CourierMixin, OmniOrderTestMixin, TransactionCase):
    """The packing station's scans: delivery, products (fractions through a
    bundle), weight, tracking label, validate command."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls._setup_couriers(codes=("SF",))
        cls.channel.require_scan_packing = True
        cls.cup.barcode = "6900000000011"
        cls.tea.barcode = "6900000000035"
        [result] = cls.env["omni.order"].import_orders(
            "TMALL01",
            [cls._order("ST1", paid_amount="300", shipping_fee="0",
                        lines=[{"platform_sku": "TM-GIFT-BOX", "quantity": "5", "unit_price": "60"}])],
        )  # fmt: skip
        cls.order = cls.env["omni.order"].browse(result["order_id"])
        cls.picking = cls.order.sale_order_id.picking_ids
        cls.Picking = cls.env["stock.picking"]

    def _scan(self, code, **kwargs):
        return self.Picking.omni_packing_scan(code, picking_id=self.picking.id, **kwargs)

    def test_delivery_barcode_opens_it(self):
        result = self.Picking.omni_packing_scan(self.picking.name)
        self.assertEqual(result["picking"]["id"], self.picking.id)
        self.assertEqual(result["picking"]["unit_code"], "TMALL01")
        self.assertEqual(result["picking"]["order_numbers"], "ST1")
        self.assertEqual(result["picking"]["lines_left"], 2)

    def test_product_before_delivery_is_refused(self):
        with self.assertRaises(UserError) as err:
            self.Picking.omni_packing_scan("6900000000011")
        self.assertIn("scan the delivery first", str(err.exception))

    def test_fraction_left_asks_the_quantity(self):
        # 5 gift boxes × 0.5 kg of tea = 2.5 kg: two unit scans, then 0.5 asked
        self._scan("6900000000035")
        self._scan("6900000000035")
        result = self._scan("6900000000035")
        self.assertEqual(result["ask_quantity"], {"barcode": "6900000000035", "left": 0.5})
        tea = self.picking.move_ids.filtered(lambda m: m.product_id == self.tea)
        self.assertEqual(tea.omni_packed_qty, 2, "asking packs nothing")
        with self.assertRaises(UserError) as err:
            self._scan("6900000000035", quantity=0.6)
        self.assertIn("only 0.5 left to pack", str(err.exception))
        with self.assertRaises(UserError):
            self._scan("6900000000035", quantity=0)
        self._scan("6900000000035", quantity=0.5)
        self.assertEqual(tea.omni_packed_qty, 2.5)
        with self.assertRaises(UserError) as err:
            self._scan("6900000000035")
        self.assertIn("one more is too many", str(err.exception))

    def test_whole_parcel_by_scans(self):
        self._scan("6900000000011", quantity=10)
        result = self._scan("6900000000035", quantity=2.5)
        self.assertTrue(result["picking"]["complete"])
        self.picking.omni_packing_set_parcel(weight=3.4, courier_code="sf")
        result = self._scan("SF0001112223")
        self.assertEqual(self.picking.omni_tracking_no, "SF0001112223")
        self.assertEqual(self.picking.omni_courier_code, "SF")
        self.assertIn("Tracking number SF0001112223 recorded", result["message"])
        with patch.object(type(self.Picking), "_check_warn_sms", side_effect=AssertionError("SMS asked")):
            result = self._scan("O-BTN.validate")
        self.assertEqual(self.picking.state, "done")
        self.assertTrue(result["picking"]["done"])
        self.assertEqual(self.order.state, "shipped")
        self.assertEqual(sorted(self.picking.move_ids.mapped("quantity")), [2.5, 10.0])

    def test_validate_refuses_a_partly_packed_delivery(self):
        self._scan("6900000000011", quantity=4)
        with self.assertRaises(UserError) as err:
            self._scan("O-BTN.validate")
        self.assertIn("is not fully packed", str(err.exception))
        self.assertIn("(4/10)", str(err.exception))
        self.assertNotEqual(self.picking.state, "done")

    def test_unknown_code_on_an_unfinished_parcel_is_no_tracking_number(self):
        with self.assertRaises(UserError) as err:
            self._scan("SF0001112223")
        self.assertIn("is not a product", str(err.exception))
        self.assertFalse(self.picking.omni_tracking_no)

    def test_shipped_delivery_cannot_be_reopened(self):
        self.picking.omni_courier_code = "SF"
        self._scan("6900000000011", quantity=10)
        self._scan("6900000000035", quantity=2.5)
        self.picking.action_omni_pack_validate()
        with self.assertRaises(UserError):
            self.Picking.omni_packing_scan(self.picking.name)
        with self.assertRaises(UserError):
            self.picking.omni_packing_set_parcel(weight=1.0)
