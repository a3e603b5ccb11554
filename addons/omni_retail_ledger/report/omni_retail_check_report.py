# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models, tools
from odoo.tools import SQL

from odoo.addons.omni_base.models.res_company import DEFAULT_TZ

from ..tools import ledger_rules


class OmniRetailCheckReport(models.Model):
    """Check per channel and day: what buyers paid for the orders shipped
    (or got back for the returns received) against what the journal entries
    of the retail records hold. Shipped (``tools/ledger_rules.py``, as for the
    generation) = channel sale orders whose deliveries are all done or
    cancelled, on the day of their last delivery (company time zone),
    counted at the paid amount of their platform orders
    (not at the sale order's total, which could itself be wrong); orders
    invoiced one by one are shown apart. Posted = debit (sales) or credit
    (returns) of the posted, not reversed, retail entries. Any cent of
    difference shows."""

    _name = "omni.retail.check.report"
    _description = "Retail Ledger Check"
    _auto = False
    _order = "date desc, unit_code, kind"
    _depends = {
        "sale.order": ["company_id", "omni_channel_id", "state", "amount_total"],
        "sale.order.line": ["order_id", "invoice_lines"],
        "stock.picking": ["sale_id", "state", "date_done", "picking_type_id"],
        "omni.aftersale": ["company_id", "channel_id", "omni_order_id", "state", "received_at", "refund_amount"],
        "omni.order": ["sale_order_id", "paid_amount"],
        "omni.retail.record": ["company_id", "channel_id", "date", "kind", "state", "move_id"],
        "account.move": ["state", "move_type"],
        "account.move.line": ["move_id", "debit", "credit"],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    channel_id = fields.Many2one("omni.channel", readonly=True)
    unit_code = fields.Char(readonly=True)
    date = fields.Date(readonly=True)
    kind = fields.Selection([("sale", "Sale"), ("return", "Return")], readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    document_count = fields.Integer(string="Documents", readonly=True)
    warehouse_total = fields.Monetary(
        string="Paid / Refunded",
        readonly=True,
        help="What buyers paid for the orders shipped (the platform orders' paid amounts), or the refunds of the "
        "returns received.",
    )
    invoiced_total = fields.Monetary(string="Invoiced Separately", readonly=True)
    posted_total = fields.Monetary(string="Posted", readonly=True)
    difference = fields.Monetary(readonly=True, help="Shipped - invoiced separately - posted.")
    has_difference = fields.Boolean(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %(view)s AS (
            WITH shipped AS (
                SELECT so.id, so.company_id, so.omni_channel_id AS channel_id,
                       COALESCE((SELECT sum(o.paid_amount) FROM omni_order o WHERE o.sale_order_id = so.id),
                                so.amount_total) AS amount_total,
                       (timezone(COALESCE(NULLIF(partner.tz, ''), %(tz)s),
                                 agg.shipped_at AT TIME ZONE 'UTC'))::date AS date,
                       EXISTS (SELECT 1 FROM %(invoiced_lines)s AND sol.order_id = so.id) AS invoiced
                  FROM sale_order so
                  JOIN res_company company ON company.id = so.company_id
                  JOIN res_partner partner ON partner.id = company.partner_id
                  JOIN LATERAL (%(deliveries)s) agg ON %(shipped)s
                 WHERE so.omni_channel_id IS NOT NULL AND so.state = 'sale'
            ),
            received AS (
                SELECT a.id, a.company_id, a.channel_id, a.refund_amount,
                       (timezone(COALESCE(NULLIF(partner.tz, ''), %(tz)s),
                                 a.received_at AT TIME ZONE 'UTC'))::date AS date,
                       COALESCE(sh.invoiced, FALSE) AS invoiced
                  FROM omni_aftersale a
                  JOIN omni_order o ON o.id = a.omni_order_id
                  JOIN res_company company ON company.id = a.company_id
                  JOIN res_partner partner ON partner.id = company.partner_id
                  LEFT JOIN shipped sh ON sh.id = o.sale_order_id
                 WHERE a.state = 'received' AND a.received_at IS NOT NULL AND a.refund_amount <> 0
            ),
            warehouse AS (
                SELECT company_id, channel_id, date, 'sale' AS kind, count(*) AS document_count,
                       sum(amount_total) AS warehouse_total,
                       sum(CASE WHEN invoiced THEN amount_total ELSE 0 END) AS invoiced_total
                  FROM shipped GROUP BY company_id, channel_id, date
                UNION ALL
                SELECT company_id, channel_id, date, 'return', count(*), sum(refund_amount),
                       sum(CASE WHEN invoiced THEN refund_amount ELSE 0 END)
                  FROM received GROUP BY company_id, channel_id, date
            ),
            posted AS (
                SELECT r.company_id, r.channel_id, r.date, r.kind,
                       sum(CASE WHEN r.kind = 'sale' THEN aml.debit ELSE aml.credit END) AS posted_total
                  FROM omni_retail_record r
                  JOIN account_move am ON am.id = r.move_id AND am.state = 'posted'
                  JOIN account_move_line aml ON aml.move_id = am.id
                 WHERE r.state = 'posted'
                 GROUP BY r.company_id, r.channel_id, r.date, r.kind
            )
            SELECT row_number() OVER (ORDER BY w_or_p.date, w_or_p.channel_id, w_or_p.kind) AS id,
                   w_or_p.company_id, w_or_p.channel_id, ch.code AS unit_code, w_or_p.date, w_or_p.kind,
                   c.currency_id,
                   w_or_p.document_count,
                   w_or_p.warehouse_total, w_or_p.invoiced_total, w_or_p.posted_total,
                   w_or_p.warehouse_total - w_or_p.invoiced_total - w_or_p.posted_total AS difference,
                   round(w_or_p.warehouse_total - w_or_p.invoiced_total - w_or_p.posted_total, 2) <> 0
                       AS has_difference
              FROM (
                SELECT COALESCE(w.company_id, p.company_id) AS company_id,
                       COALESCE(w.channel_id, p.channel_id) AS channel_id,
                       COALESCE(w.date, p.date) AS date,
                       COALESCE(w.kind, p.kind) AS kind,
                       COALESCE(w.document_count, 0) AS document_count,
                       COALESCE(w.warehouse_total, 0) AS warehouse_total,
                       COALESCE(w.invoiced_total, 0) AS invoiced_total,
                       COALESCE(p.posted_total, 0) AS posted_total
                  FROM warehouse w
                  FULL OUTER JOIN posted p
                    ON p.company_id = w.company_id AND p.channel_id = w.channel_id
                   AND p.date = w.date AND p.kind = w.kind
              ) w_or_p
              JOIN omni_channel ch ON ch.id = w_or_p.channel_id
              JOIN res_company c ON c.id = w_or_p.company_id
            )
            """,
                view=SQL.identifier(self._table),
                tz=DEFAULT_TZ,
                invoiced_lines=ledger_rules.invoiced_order_lines(),
                deliveries=ledger_rules.shipped_deliveries(SQL("so.id")),
                shipped=ledger_rules.is_shipped("agg"),
            )
        )
