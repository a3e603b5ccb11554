# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class OmniPurchaseStockout(models.Model):
    """A day a product had no free stock in a warehouse: its sales of that
    day say nothing about demand, so the suggestion's averages skip it."""

    _name = "omni.purchase.stockout"
    _description = "Out-of-Stock Day"
    _order = "day desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", required=True, readonly=True, check_company=True)
    product_id = fields.Many2one("product.product", required=True, readonly=True, ondelete="cascade")
    day = fields.Date(required=True, readonly=True)

    _sql_constraints = [
        ("day_uniq", "unique(warehouse_id, product_id, day)", "A product is out of stock once a day per warehouse."),
    ]

    @api.model
    def _cron_record_stockouts(self):
        """Record today (the company's day) for every product to buy that has
        no free stock in each warehouse. Safe to run twice."""
        for warehouse in self.env["stock.warehouse"].search([("company_id", "!=", False)]):
            self._record_stockouts(warehouse)

    @api.model
    def _record_stockouts(self, warehouse, day=None):
        day = day or warehouse.company_id._omni_today()
        self.env.flush_all()
        stock_locations = self.env["stock.location"].search(
            [("id", "child_of", warehouse.lot_stock_id.id), ("usage", "=", "internal")]
        )
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO omni_purchase_stockout (company_id, warehouse_id, product_id, day,
                                                    create_uid, create_date, write_uid, write_date)
                SELECT %(company)s, %(warehouse)s, pp.id, %(day)s, %(uid)s, now() at time zone 'UTC',
                       %(uid)s, now() at time zone 'UTC'
                  FROM product_product pp
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE pp.active AND pt.active AND pt.is_storable AND pt.purchase_ok
                   AND (pt.company_id IS NULL OR pt.company_id = %(company)s)
                   AND COALESCE((SELECT SUM(q.quantity - q.reserved_quantity) FROM stock_quant q
                                  WHERE q.product_id = pp.id AND q.location_id = ANY(%(locations)s)), 0) <= 0
                ON CONFLICT (warehouse_id, product_id, day) DO NOTHING
                """,
                company=warehouse.company_id.id,
                warehouse=warehouse.id,
                day=day,
                uid=self.env.uid,
                locations=stock_locations.ids,
            )
        )
        self.invalidate_model()
