# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models, tools
from odoo.tools import SQL


class OmniRetailRevenueReport(models.Model):
    """Retail revenue by channel and day (group by month in the pivot):
    posted retail records, returns counted negative. Reversed records are
    left out (they and their reversal cancel out)."""

    _name = "omni.retail.revenue.report"
    _description = "Retail Revenue by Channel"
    _auto = False
    _order = "date desc, unit_code"
    _depends = {
        "omni.retail.record": [
            "company_id", "channel_id", "unit_code", "date", "kind", "state", "document_count",
            "amount_untaxed", "amount_tax", "amount_total", "amount_cod",
        ],
    }  # fmt: skip

    company_id = fields.Many2one("res.company", readonly=True)
    channel_id = fields.Many2one("omni.channel", readonly=True)
    unit_code = fields.Char(readonly=True)
    date = fields.Date(readonly=True)
    kind = fields.Selection([("sale", "Sale"), ("return", "Return")], readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    document_count = fields.Integer(string="Documents", readonly=True)
    amount_untaxed = fields.Monetary(string="Revenue (untaxed)", readonly=True)
    amount_tax = fields.Monetary(string="Tax", readonly=True)
    amount_total = fields.Monetary(string="Total", readonly=True)
    amount_cod = fields.Monetary(string="Cash on Delivery", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %s AS (
                SELECT r.id, r.company_id, r.channel_id, r.unit_code, r.date, r.kind,
                       c.currency_id,
                       CASE WHEN r.kind = 'sale' THEN 1 ELSE -1 END * r.document_count AS document_count,
                       CASE WHEN r.kind = 'sale' THEN 1 ELSE -1 END * r.amount_untaxed AS amount_untaxed,
                       CASE WHEN r.kind = 'sale' THEN 1 ELSE -1 END * r.amount_tax AS amount_tax,
                       CASE WHEN r.kind = 'sale' THEN 1 ELSE -1 END * r.amount_total AS amount_total,
                       CASE WHEN r.kind = 'sale' THEN 1 ELSE -1 END * r.amount_cod AS amount_cod
                  FROM omni_retail_record r
                  JOIN res_company c ON c.id = r.company_id
                 WHERE r.state = 'posted'
            )
            """,
                SQL.identifier(self._table),
            )
        )
