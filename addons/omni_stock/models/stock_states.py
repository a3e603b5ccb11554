# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.tools import SQL


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
    def _omni_state_columns(self):
        """[(location flag, column)] of the stock states kept beside the
        stock location (never sellable): quantities in a location with the
        flag are summed into the column (first flag that matches wins); an
        addon with a new stock state adds its pair and its field."""
        return [("omni_defective", "defective"), ("omni_inspection", "awaiting_inspection")]

    @api.model
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        states = self._omni_state_columns()
        kind = SQL(
            "CASE %s ELSE 'stock' END",
            SQL(" ").join(SQL("WHEN l.%s THEN %s", SQL.identifier(flag), column) for flag, column in states),
        )
        state_sums = SQL(", ").join(
            SQL("sum(q.quantity) FILTER (WHERE s.kind = %s) AS %s", column, SQL.identifier(column))
            for _flag, column in states
        )
        state_columns = SQL(", ").join(SQL("quants.%s", SQL.identifier(column)) for _flag, column in states)
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %s AS (
                WITH quants AS (
                    SELECT min(q.id) AS id, q.product_id, q.company_id,
                           sum(q.quantity) FILTER (WHERE s.kind = 'stock') AS on_hand,
                           sum(q.quantity - q.reserved_quantity) FILTER (WHERE s.kind = 'stock') AS free,
                           sum(q.reserved_quantity) FILTER (WHERE s.kind = 'stock') AS reserved,
                           %s
                      FROM stock_quant q
                      JOIN stock_location l ON l.id = q.location_id AND l.usage = 'internal'
                      CROSS JOIN LATERAL (SELECT %s AS kind) s
                     GROUP BY q.product_id, q.company_id
                ), allocated AS (
                    SELECT product_id, company_id, sum(quantity) AS quantity
                      FROM omni_order_allocation
                     GROUP BY product_id, company_id
                )
                SELECT quants.id, quants.product_id, quants.company_id, quants.on_hand,
                       quants.free - COALESCE(allocated.quantity, 0) AS sellable,
                       quants.reserved, COALESCE(allocated.quantity, 0) AS allocated,
                       %s
                  FROM quants
                  LEFT JOIN allocated
                    ON allocated.product_id = quants.product_id AND allocated.company_id = quants.company_id
            )""",
                SQL.identifier(self._table),
                state_sums,
                kind,
                state_columns,
            )
        )
