# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.omni_base.tools import guard


class OmniSettlementClearingDiff(models.Model):
    """An order whose receivable a posting cleared by another amount than
    its lines of that month settled (the platform paid more or less than the
    ledger booked, or an earlier posting cleared part of it): the
    difference. What the postings cleared of an order is what the lines of
    posted statements settled for it plus these differences. Written by the
    posting only."""

    _name = "omni.settlement.clearing.diff"
    _description = "Platform Receivable Cleared beyond Settled by Order"
    _order = "date desc, id desc"
    _check_company_auto = True

    settlement_id = fields.Many2one("omni.settlement", required=True, readonly=True, index=True, ondelete="cascade")
    omni_order_id = fields.Many2one("omni.order", string="Platform Order", required=True, readonly=True, index=True)
    channel_id = fields.Many2one(related="settlement_id.channel_id")
    company_id = fields.Many2one(related="settlement_id.company_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, readonly=True)
    settled_amount = fields.Monetary(string="Settled", readonly=True, help="What the month's lines settled.")
    amount = fields.Monetary(
        string="Cleared beyond Settled", readonly=True, help="Receivable cleared for the order less what it settled."
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not guard.is_internal(self):
            raise UserError(self.env._("Receivable clearings are made by the posting of a statement only."))
        return super().create(vals_list)

    def write(self, vals):
        if not guard.is_internal(self):
            raise UserError(self.env._("Receivable clearings cannot be edited."))
        return super().write(vals)
