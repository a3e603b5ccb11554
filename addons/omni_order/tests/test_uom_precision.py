# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A relation row of 4 decimals that the product's unit cannot keep (issue 23):
the import says so (row, unit, what to change), 'Allow 4 Decimals' makes it
keepable, and the next orders of the bundle confirm and ship 0.3333 per
bundle."""

from odoo.exceptions import UserError
from odoo.tests import Form, TransactionCase

from .common import OmniOrderTestMixin, b64, csv_bytes

MAPPING_HEADER = ["平台单位编码", "平台商家编码", "内部编码", "数量"]


class TestUomPrecision(OmniOrderTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        env = cls.env
        kg = env.ref("uom.product_uom_kgm")
        cls.units = env.ref("uom.product_uom_unit")
        cls.rice = env["product.product"].create(
            {"name": "Rice", "default_code": "RICE", "is_storable": True, "list_price": 10.0,
             "uom_id": kg.id, "uom_po_id": kg.id}
        )  # fmt: skip
        cls.oil = env["product.product"].create(
            {"name": "Oil 1 L", "default_code": "OIL", "is_storable": True, "list_price": 60.0}
        )
        for product in (cls.rice, cls.oil):
            env["stock.quant"]._update_available_quantity(product, cls.stock_location, 100)
        cls.clerk = cls._create_omni_user("uom_clerk", cls.company, "omni_channel.group_omni_channel_user")
        cls.manager = cls._create_omni_user("uom_manager", cls.company, "omni_channel.group_omni_channel_manager")
        cls.Order = env["omni.order"]

    def _bundle_order(self, number, **values):
        values.setdefault("lines", [{"platform_sku": "JD-COMBO-A", "quantity": "1", "unit_price": "45"}])
        values.setdefault("paid_amount", "51")
        [result] = self.Order.import_orders("TMALL01", [self._order(number, **values)])
        return self.Order.browse(result["order_id"])

    def test_import_warns_and_the_remedy_lets_the_bundle_confirm_and_ship(self):
        self.assertEqual(self.units.rounding, 0.01, "Odoo's Units: the precondition of the issue")
        rows = [["TMALL01", "JD-COMBO-A", "RICE", "2.5"], ["TMALL01", "JD-COMBO-A", "OIL", "0.3333"]]
        summary = self.env["omni.product.mapping"].import_file(
            "relations.csv", b64(csv_bytes(rows, header=MAPPING_HEADER))
        )
        self.assertEqual(summary["created"], 2)
        self.assertFalse(summary["errors"])
        [warning] = summary["warnings"]
        self.assertEqual(warning["row"], 3)
        for words in ("JD-COMBO-A", "0.3333", "Units", "0.01", "Allow 4 Decimals"):
            self.assertIn(words, warning["message"])
        import_file = self.env["omni.import.file"].search([("kind", "=", "mapping")], order="id desc", limit=1)
        self.assertEqual(import_file.state, "done")
        self.assertEqual(import_file.uom_warning_count, 1)
        self.assertEqual(import_file.error_ids.filtered(lambda e: e.level == "warning").row, 3)

        # before the remedy an order of the bundle waits (uom_precision)
        waiting = self._bundle_order("JD-1")
        self.assertEqual(waiting.state, "exception")
        self.assertIn("uom_precision", waiting.exception_codes)

        # the remedy is a Channel Manager's
        with self.assertRaises(UserError):
            import_file.with_user(self.clerk).action_allow_4_decimals()
        self.assertEqual(self.units.rounding, 0.01)
        import_file.with_user(self.manager).action_allow_4_decimals()
        self.assertEqual(self.units.rounding, 0.0001)
        self.assertEqual(self.env["decimal.precision"].precision_get("Product Unit of Measure"), 4)
        import_file.invalidate_recordset()
        self.assertEqual(import_file.uom_warning_count, 0)
        # the waiting order was checked again
        self.assertEqual(waiting.state, "to_review")

        # the next order of the bundle confirms and ships 0.3333 of oil
        order = self._bundle_order("JD-2", receiver_name="王芳", phone="17714475366")
        self.assertEqual(order.state, "confirmed")
        picking = order.sale_order_id.picking_ids
        oil_move = picking.move_ids.filtered(lambda m: m.product_id == self.oil)
        self.assertAlmostEqual(oil_move.product_uom_qty, 0.3333, places=6)
        self.assertAlmostEqual(oil_move.quantity, 0.3333, places=6, msg="reserved to the 4th decimal")
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertAlmostEqual(oil_move.quantity, 0.3333, places=6)
        self.assertEqual(order.state, "shipped")
        quant = self.env["stock.quant"]._gather(self.oil, self.stock_location)
        self.assertAlmostEqual(sum(quant.mapped("quantity")), 100 - 0.3333, places=6)

    def test_form_shows_the_warning_when_the_row_is_saved(self):
        form = Form(
            self.env["omni.product.mapping"].with_context(
                default_channel_id=self.channel.id, default_platform_sku="JD-COMBO-B"
            ),
            view="omni_order.omni_product_mapping_view_form_quick",
        )
        form.product_id = self.oil
        form.quantity = 0.3333
        self.assertIn("Allow 4 Decimals", form.uom_warning)
        mapping = form.save()
        self.assertTrue(mapping.uom_warning)
        form.quantity = 0.5
        self.assertFalse(form.uom_warning)
