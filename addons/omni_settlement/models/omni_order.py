# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

SETTLED_FIELDS = ("omni_settled_amount", "omni_settlement_fees", "omni_settlement_net")


def _settled_figures(env, order_ids):
    """order id -> (settled, fees, net) over the channel's statements (duplicates aside)."""
    figures = {}
    ids = [oid for oid in order_ids if isinstance(oid, int)]
    if not ids:
        return figures
    env["omni.settlement.line"].flush_model(["omni_order_id", "kind", "state", "gross_amount", "fee_amount", "amount"])
    env.cr.execute(
        """
        SELECT omni_order_id,
               COALESCE(sum(gross_amount) FILTER (WHERE kind IN ('sale', 'refund')), 0),
               COALESCE(sum(fee_amount) FILTER (WHERE kind IN ('sale', 'refund')), 0)
                 + COALESCE(sum(amount) FILTER (WHERE kind = 'fee'), 0)
          FROM omni_settlement_line
         WHERE omni_order_id = ANY(%s) AND state <> 'duplicate'
         GROUP BY omni_order_id
        """,
        [ids],
    )
    for order_id, settled, fees in env.cr.fetchall():
        figures[order_id] = (settled, fees, settled + fees)
    return figures


class OmniOrder(models.Model):
    _inherit = "omni.order"

    omni_settled_amount = fields.Monetary(
        string="Settled by Platform", compute="_compute_omni_settlement",
        help="Order payments less refunds in the platform's settlement statements.",
    )  # fmt: skip
    omni_settlement_fees = fields.Monetary(
        string="Platform Fees", compute="_compute_omni_settlement",
        help="Fees the platform kept on this order (negative: charged).",
    )  # fmt: skip
    omni_settlement_net = fields.Monetary(string="Net Received", compute="_compute_omni_settlement")

    def _compute_omni_settlement(self):
        figures = _settled_figures(self.env, self.ids)
        for order in self:
            values = figures.get(order.id, (0.0, 0.0, 0.0))
            order.update(dict(zip(SETTLED_FIELDS, values, strict=True)))


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_settled_amount = fields.Monetary(string="Settled by Platform", compute="_compute_omni_settlement")
    omni_settlement_fees = fields.Monetary(string="Platform Fees", compute="_compute_omni_settlement")
    omni_settlement_net = fields.Monetary(string="Net Received", compute="_compute_omni_settlement")

    def _compute_omni_settlement(self):
        # the platform orders of these sale orders only (the reader may read the sale orders; a salesman
        # without channel rights still sees what the platform settled for them): figures, nothing else
        orders = self.env["omni.order"].sudo().search([("sale_order_id", "in", self.ids)])
        figures = _settled_figures(self.env, orders.ids)
        totals = {}
        for order in orders:
            values = figures.get(order.id, (0.0, 0.0, 0.0))
            total = totals.setdefault(order.sale_order_id.id, [0.0, 0.0, 0.0])
            for index, value in enumerate(values):
                total[index] += value
        for sale in self:
            sale.update(dict(zip(SETTLED_FIELDS, totals.get(sale.id, (0.0, 0.0, 0.0)), strict=True)))
