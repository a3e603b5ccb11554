# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.tools import SQL


class StockLocation(models.Model):
    _inherit = "stock.location"

    omni_inspection = fields.Boolean(
        string="Returns Awaiting Inspection",
        help="Returned goods wait here until inspected: not sellable, not defective yet.",
    )
    omni_defective = fields.Boolean(
        string="Defective Goods",
        help="Goods that cannot be sold again (次品) are kept here: never offered on a channel.",
    )


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    # Defective goods and returns awaiting inspection are stock states of the
    # one e-commerce warehouse, not warehouses of their own: a second warehouse
    # per company would make every company multi-warehouse for Odoo (groups
    # Multi-Warehouses and Storage Locations for every user, sale orders
    # defaulting to it when the main one is archived).
    def _omni_get_defective_location(self):
        """The warehouse's location for defective goods (次品)."""
        return self._omni_get_state_location("omni_defective", self.env._("Defective Goods"))

    def _omni_get_state_location(self, flag, name):
        """The warehouse's internal location marked ``flag``, created on first
        use beside its stock location (not inside it), so never counted as
        sellable nor reserved for a delivery."""
        self.ensure_one()
        # created on the side of a return or a report as superuser: users who
        # receive returns need no right to create locations
        Location = self.env["stock.location"].sudo()
        location = Location.search([(flag, "=", True), ("warehouse_id", "=", self.id)], limit=1)
        if not location:
            location = Location.create(
                {
                    "name": name,
                    "location_id": self.view_location_id.id,
                    "usage": "internal",
                    flag: True,
                    "company_id": self.company_id.id,
                }
            )
        return location.with_env(self.env)


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
    sellable = fields.Float(
        readonly=True, digits="Product Unit of Measure", help="On hand minus reserved minus allocated."
    )
    reserved = fields.Float(readonly=True, digits="Product Unit of Measure")
    allocated = fields.Float(
        readonly=True,
        digits="Product Unit of Measure",
        help="Sold on the platforms and not reserved yet: orders in review, in exception, waiting for their "
        "confirmation or confirmed and not reserved.",
    )
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
                WITH quants AS (
                    SELECT min(q.id) AS id, q.product_id, q.company_id,
                           sum(q.quantity) FILTER (WHERE s.kind = 'stock') AS on_hand,
                           sum(q.quantity - q.reserved_quantity) FILTER (WHERE s.kind = 'stock') AS free,
                           sum(q.reserved_quantity) FILTER (WHERE s.kind = 'stock') AS reserved,
                           sum(q.quantity) FILTER (WHERE s.kind = 'inspection') AS awaiting_inspection,
                           sum(q.quantity) FILTER (WHERE s.kind = 'defective') AS defective
                      FROM stock_quant q
                      JOIN stock_location l ON l.id = q.location_id AND l.usage = 'internal'
                      CROSS JOIN LATERAL (
                          SELECT CASE
                              WHEN l.omni_defective THEN 'defective'
                              WHEN l.omni_inspection THEN 'inspection'
                              ELSE 'stock' END AS kind
                      ) s
                     GROUP BY q.product_id, q.company_id
                ), allocated AS (
                    SELECT product_id, company_id, sum(quantity) AS quantity
                      FROM omni_order_allocation
                     GROUP BY product_id, company_id
                )
                SELECT quants.id, quants.product_id, quants.company_id, quants.on_hand,
                       quants.free - COALESCE(allocated.quantity, 0) AS sellable,
                       quants.reserved, COALESCE(allocated.quantity, 0) AS allocated,
                       quants.awaiting_inspection, quants.defective
                  FROM quants
                  LEFT JOIN allocated
                    ON allocated.product_id = quants.product_id AND allocated.company_id = quants.company_id
            )""",
                SQL.identifier(self._table),
            )
        )
