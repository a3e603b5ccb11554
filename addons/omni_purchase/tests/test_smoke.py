from odoo.tests import TransactionCase


class TestSmoke(TransactionCase):
    def test_refresh_runs(self):
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        lines = self.env["omni.purchase.suggestion"]._refresh(warehouse)
        self.assertTrue(all(line.suggested_qty >= 0 for line in lines))
