# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase


class TestStockStateLocations(TransactionCase):
    """Defective goods are a location of the company's one warehouse
    (returns go there; omni_stock reports the states)."""

    def test_defective_goods_are_a_location_of_the_one_warehouse(self):
        company = self.env["res.company"].create({"name": "Omni Stock New Co"})
        warehouses = self.env["stock.warehouse"].search([("company_id", "=", company.id)])
        self.assertEqual(len(warehouses), 1, "no second warehouse per company")
        defective = warehouses._omni_get_defective_location()
        self.assertEqual(defective.warehouse_id, warehouses)
        self.assertEqual(defective.usage, "internal")
        self.assertFalse(defective._child_of(warehouses.lot_stock_id), "beside the stock location, never sellable")
        self.assertEqual(warehouses._omni_get_defective_location(), defective, "created once")
        self.assertEqual(self.env["stock.warehouse"].search_count([("company_id", "=", company.id)]), 1)

    def test_a_stock_state_is_an_internal_location_beside_the_stock(self):
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        Location = self.env["stock.location"]
        inside = Location.create({"name": "Shelf of returns", "location_id": warehouse.lot_stock_id.id})
        with self.assertRaisesRegex(ValidationError, "Shelf of returns is inside"):
            inside.omni_defective = True
        beside = Location.create({"name": "Returns bay", "location_id": warehouse.view_location_id.id})
        beside.omni_inspection = True
        with self.assertRaisesRegex(ValidationError, "inside"):
            beside.location_id = warehouse.lot_stock_id  # moved into the stock afterwards
        beside.invalidate_recordset()
        with self.assertRaisesRegex(ValidationError, "choose one"):
            beside.omni_defective = True
        beside.invalidate_recordset()
        with self.assertRaisesRegex(ValidationError, "no internal location"):
            Location.create(
                {"name": "Scrap returns", "usage": "inventory", "omni_defective": True,
                 "location_id": warehouse.view_location_id.id}
            )  # fmt: skip
        self.assertEqual(beside.omni_inspection, True)

    def test_stock_state_flags_on_the_location_screens(self):
        Location = self.env["stock.location"]
        form = Location.get_view(self.env.ref("stock.view_location_form").id, "form")["arch"]
        listing = Location.get_view(self.env.ref("stock.view_location_tree2").id, "list")["arch"]
        search = Location.get_view(self.env.ref("stock.view_location_search").id, "search")["arch"]
        for flag in ("omni_inspection", "omni_defective"):
            self.assertIn(f'name="{flag}"', form)
            self.assertIn(f'name="{flag}"', listing)
            self.assertIn(f'name="{flag}"', search)
