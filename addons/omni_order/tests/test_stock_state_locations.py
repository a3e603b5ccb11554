# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
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
