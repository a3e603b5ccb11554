# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase

from odoo.addons.omni_order.tests.common import OmniOrderTestMixin

from .common import CourierMixin


class TestPackingGuards(CourierMixin, OmniOrderTestMixin, TransactionCase):
    """A scanner types into whatever field has the cursor (issue 23): a code
    the station knows is that scan wherever it lands, only a plausible
    number is a weight or a quantity, and the server refuses what is out of
    the company's limits whoever calls."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls._setup_couriers(codes=("SF", "ZTO", "YTO"))
        cls.couriers["SF"].omni_tracking_pattern = "SF"
        cls.couriers["ZTO"].omni_tracking_pattern = "7730, 7731"
        cls.couriers["YTO"].omni_tracking_pattern = r"^YT\d{13}$"
        cls.channel.require_scan_packing = True
        cls.channel.ships_without_courier = False
        cls.cup.barcode = "6900000000011"
        cls.tea.barcode = "6900000000035"
        [result] = cls.env["omni.order"].import_orders(
            "TMALL01",
            [cls._order("GD1", paid_amount="300", shipping_fee="0",
                        lines=[{"platform_sku": "TM-GIFT-BOX", "quantity": "5", "unit_price": "60"}])],
        )  # fmt: skip
        cls.order = cls.env["omni.order"].browse(result["order_id"])
        cls.picking = cls.order.sale_order_id.picking_ids
        cls.Picking = cls.env["stock.picking"]

    def _scan(self, code, **kwargs):
        return self.Picking.omni_packing_scan(code, picking_id=self.picking.id, **kwargs)

    def _pack_all(self):
        self._scan("6900000000011", quantity=10)
        return self._scan("6900000000035", quantity=2.5)

    # ------------------------------------------------------------------
    # Limits

    def test_weight_beyond_the_company_limit_is_refused_whoever_writes_it(self):
        with self.assertRaises(ValidationError) as err:
            self.picking.omni_packing_set_parcel(weight=773012345678)
        self.assertIn(self.picking.name, str(err.exception))
        self.assertIn("773012345678 kg", str(err.exception), "the value as typed")
        self.assertIn("100 kg", str(err.exception))
        with self.assertRaises(ValidationError):
            self.picking.write({"omni_parcel_weight": 100.5})
        with self.assertRaises(ValidationError):
            self.picking.write({"omni_parcel_weight": -1})
        self.picking.omni_packing_set_parcel(weight=100)
        self.assertEqual(self.picking.omni_parcel_weight, 100)
        self.env.company.omni_max_parcel_weight = 30
        with self.assertRaises(ValidationError):
            self.picking.omni_packing_set_parcel(weight=31)

    def test_quantity_beyond_the_company_limit_is_refused(self):
        self.env.company.omni_max_pack_quantity = 5
        with self.assertRaises(UserError) as err:
            self._scan("6900000000011", quantity=6)
        self.assertIn("no plausible quantity", str(err.exception))
        self.assertIn(self.picking.name, str(err.exception))
        with self.assertRaises(UserError) as err:
            self.picking.omni_scan("6900000000011", quantity=6.90123e12)
        self.assertIn("no plausible quantity", str(err.exception))
        self.assertEqual(sum(self.picking.move_ids.mapped("omni_packed_qty")), 0)

    def test_limits_are_company_settings(self):
        settings = self.env["res.config.settings"].create({"omni_max_parcel_weight": 40, "omni_max_pack_quantity": 50})
        settings.execute()
        self.assertEqual((self.env.company.omni_max_parcel_weight, self.env.company.omni_max_pack_quantity), (40, 50))

    # ------------------------------------------------------------------
    # Wrong-field scans

    def test_weight_field_takes_a_plausible_number_as_the_weight(self):
        self._pack_all()
        result = self._scan("1,25", field="weight")
        self.assertEqual(result["entered"], "weight")
        self.assertEqual(self.picking.omni_parcel_weight, 1.25)
        self.assertIn("Scan the tracking label", result["message"])

    def test_tracking_label_scanned_into_the_weight_field_is_the_tracking_number(self):
        self._pack_all()
        result = self._scan("773012345678", field="weight")
        self.assertEqual(result["entered"], "tracking")
        self.assertEqual(self.picking.omni_parcel_weight, 0, "no weight recorded")
        self.assertEqual(self.picking.carrier_tracking_ref, "773012345678")
        self.assertEqual(self.picking.carrier_id, self.couriers["ZTO"], "the courier comes from the number's prefix")
        self.assertIn("courier ZTO", result["message"])

    def test_weight_out_of_range_in_the_weight_field_is_refused(self):
        self._pack_all()
        with self.assertRaises(ValidationError) as err:
            self._scan("250", field="weight")
        self.assertIn(f"no plausible weight for {self.picking.name}", str(err.exception))
        self.assertEqual(self.picking.omni_parcel_weight, 0)
        self.assertFalse(self.picking.carrier_tracking_ref)

    def test_label_of_a_courier_without_pattern_in_the_weight_field_of_a_packed_parcel(self):
        with self.assertRaises(ValidationError, msg="not packed yet: no label expected"):
            self._scan("999012345678", field="weight")
        self._pack_all()
        result = self._scan("999012345678", field="weight")
        self.assertEqual(result["entered"], "tracking")
        self.assertEqual(self.picking.carrier_tracking_ref, "999012345678")
        self.assertEqual(self.picking.omni_parcel_weight, 0)
        self.assertEqual(result["level"], "warning", "no courier known: the station asks")

    def test_text_in_the_weight_field_is_no_weight(self):
        with self.assertRaises(UserError) as err:
            self._scan("abc", field="weight")
        self.assertIn("neither a weight nor a code", str(err.exception))

    def test_product_scanned_into_the_quantity_prompt_is_a_product_scan(self):
        self._scan("6900000000035", quantity=2)
        result = self._scan("6900000000035")
        self.assertEqual(result["ask_quantity"], {"barcode": "6900000000035", "left": 0.5})
        result = self._scan("6900000000011", field="quantity", ask_barcode="6900000000035")
        self.assertEqual(result["entered"], "product")
        cup = self.picking.move_ids.filtered(lambda m: m.product_id == self.cup)
        tea = self.picking.move_ids.filtered(lambda m: m.product_id == self.tea)
        self.assertEqual((cup.omni_packed_qty, tea.omni_packed_qty), (1, 2), "one cup, the tea still waits")
        result = self._scan("0,5", field="quantity", ask_barcode="6900000000035")
        self.assertEqual(tea.omni_packed_qty, 2.5)
        self.assertFalse(result["ask_quantity"])

    def test_delivery_and_command_scanned_anywhere_are_those_scans(self):
        other = self.picking.copy()
        result = self._scan(other.name, field="weight")
        self.assertEqual((result["entered"], result["picking"]["id"]), ("delivery", other.id))
        self._pack_all()
        self.picking.write({"omni_courier_code": "SF", "carrier_tracking_ref": "SF1234567890"})
        result = self._scan("O-BTN.validate", field="quantity", ask_barcode="6900000000035")
        self.assertEqual(self.picking.state, "done")
        self.assertTrue(result["picking"]["done"])

    # ------------------------------------------------------------------
    # Courier from the tracking number

    def test_tracking_number_pattern_fills_the_courier(self):
        self.picking.omni_courier_code = "SF"
        result = self._scan("YT1234567890123")
        self.assertEqual(self.picking.carrier_id, self.couriers["YTO"], "the label is what the parcel travels with")
        self.assertEqual(self.picking.carrier_tracking_ref, "YT1234567890123")
        self.assertEqual(result["entered"], "tracking")
        with self.assertRaises(UserError) as err:
            self._scan("SF9999999999")
        self.assertIn("already has tracking number YT1234567890123", str(err.exception))

    def test_no_matching_courier_asks_which_courier(self):
        self.couriers["YTO"].omni_tracking_pattern = "7730"
        result = self._scan("773012345678")
        self.assertFalse(self.picking.carrier_id, "two couriers match: none is guessed")
        self.assertEqual(self.picking.carrier_tracking_ref, "773012345678")
        self.assertEqual(result["level"], "warning")
        self.assertIn("which courier", result["message"])
        self.assertTrue(result["picking"]["courier_missing"])
        self.assertEqual([c["code"] for c in result["picking"]["couriers"]], ["YTO", "ZTO"])
        data = self.picking.omni_packing_set_parcel(courier_code="ZTO")
        self.assertFalse(data["courier_missing"])

    def test_tracking_pattern_must_be_a_valid_expression(self):
        with self.assertRaises(ValidationError):
            self.couriers["SF"].omni_tracking_pattern = "^SF(\\d"

    # ------------------------------------------------------------------
    # Courier required

    def test_channel_delivery_is_not_shipped_without_a_courier(self):
        self._pack_all()
        with self.assertRaises(UserError) as err:
            self.picking.button_validate()
        self.assertIn(f"Choose the courier of {self.picking.name}", str(err.exception))
        with self.assertRaises(UserError):
            self.picking._action_done()
        with self.assertRaises(UserError):
            self._scan("O-BTN.validate")
        self.assertNotEqual(self.picking.state, "done")
        self.picking.omni_courier_code = "ZTO"
        self._scan("O-BTN.validate")
        self.assertEqual(self.picking.state, "done")

    def test_pick_up_channel_ships_without_a_courier(self):
        self.channel.ships_without_courier = True
        self._pack_all()
        self._scan("O-BTN.validate")
        self.assertEqual(self.picking.state, "done")
        self.assertFalse(self.picking.carrier_id)

    def test_core_delivery_by_an_inventory_user_needs_no_courier(self):
        user = self.env["res.users"].create(
            {
                "name": "Core Stock User",
                "login": "core_stock_gd",
                "groups_id": [Command.set(self.env.ref("stock.group_stock_user").ids)],
            }
        )
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        self.env["stock.quant"]._update_available_quantity(self.cup, warehouse.lot_stock_id, 5)
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "move_ids": [Command.create({"name": "cup", "product_id": self.cup.id, "product_uom_qty": 2,
                                     "product_uom": self.cup.uom_id.id, "location_id": warehouse.lot_stock_id.id,
                                     "location_dest_id": self.env.ref("stock.stock_location_customers").id})],
            }
        )  # fmt: skip
        picking.action_confirm()
        picking = picking.with_user(user)
        picking.move_ids.quantity = 2
        picking.move_ids.picked = True
        self.assertIs(picking.button_validate(), True)
        self.assertEqual(picking.state, "done")
