# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.tools import SQL


class ResCompany(models.Model):
    _inherit = "res.company"

    omni_defective_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Defective Warehouse",
        help="Warehouse (次品仓) of goods that cannot be sold again: its stock is never offered on a channel.",
    )

    def _omni_get_defective_warehouse(self):
        """The company's defective warehouse, created on first use."""
        self.ensure_one()
        if not self.omni_defective_warehouse_id:
            Warehouse = self.env["stock.warehouse"].sudo()
            taken = set(Warehouse.with_context(active_test=False).search([("company_id", "=", self.id)]).mapped("code"))
            code = next(c for c in ["DEF"] + [f"DEF{i}" for i in range(2, 100)] if c not in taken)
            self.sudo().omni_defective_warehouse_id = Warehouse.create(
                {"name": self.env._("Defective Goods"), "code": code, "company_id": self.id}
            )
        return self.omni_defective_warehouse_id

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        if self.env.registry.ready:  # at install, the post-init hook does it
            for company in companies:
                company._omni_get_defective_warehouse()
        return companies


class StockLocation(models.Model):
    _inherit = "stock.location"

    omni_inspection = fields.Boolean(
        string="Returns Awaiting Inspection",
        help="Returned goods wait here until inspected: not sellable, not defective yet.",
    )


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    def _omni_get_inspection_location(self):
        """The warehouse's location for returns awaiting inspection: beside
        its stock location (not inside it), so never counted as sellable."""
        self.ensure_one()
        Location = self.env["stock.location"].sudo()
        location = Location.search([("omni_inspection", "=", True), ("warehouse_id", "=", self.id)], limit=1)
        if not location:
            location = Location.create(
                {
                    "name": self.env._("Returns Inspection"),
                    "location_id": self.view_location_id.id,
                    "usage": "internal",
                    "omni_inspection": True,
                    "company_id": self.company_id.id,
                }
            )
        return location


class OmniStockStateReport(models.Model):
    """Quantities per product and company in each stock state: sellable
    (free), reserved, returns awaiting inspection, defective."""

    _name = "omni.stock.state.report"
    _description = "Stock States per Product"
    _auto = False
    _order = "product_id"

    product_id = fields.Many2one("product.product", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    on_hand = fields.Float(readonly=True, digits="Product Unit of Measure")
    sellable = fields.Float(readonly=True, digits="Product Unit of Measure", help="On hand minus reserved.")
    reserved = fields.Float(readonly=True, digits="Product Unit of Measure")
    awaiting_inspection = fields.Float(
        string="Returns Awaiting Inspection", readonly=True, digits="Product Unit of Measure"
    )
    defective = fields.Float(readonly=True, digits="Product Unit of Measure")

    @api.model
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %s AS (
                SELECT min(q.id) AS id, q.product_id, q.company_id,
                       sum(q.quantity) FILTER (WHERE s.kind = 'stock') AS on_hand,
                       sum(q.quantity - q.reserved_quantity) FILTER (WHERE s.kind = 'stock') AS sellable,
                       sum(q.reserved_quantity) FILTER (WHERE s.kind = 'stock') AS reserved,
                       sum(q.quantity) FILTER (WHERE s.kind = 'inspection') AS awaiting_inspection,
                       sum(q.quantity) FILTER (WHERE s.kind = 'defective') AS defective
                  FROM stock_quant q
                  JOIN stock_location l ON l.id = q.location_id AND l.usage = 'internal'
                  LEFT JOIN res_company c ON c.id = q.company_id
                  CROSS JOIN LATERAL (
                      SELECT CASE
                          WHEN l.warehouse_id = c.omni_defective_warehouse_id THEN 'defective'
                          WHEN l.omni_inspection THEN 'inspection'
                          ELSE 'stock' END AS kind
                  ) s
                 GROUP BY q.product_id, q.company_id
            )""",
                SQL.identifier(self._table),
            )
        )
