# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.omni_base.tools import guard


class OmniSettlementClearing(models.Model):
    """What a posted statement cleared of the platform receivable in one
    month: what the ledger booked for the month's orders, less what earlier
    postings cleared of them (the receivable line of the month's entry).
    Written by the posting only, one row per statement and month.

    By order, what the postings cleared is what the lines of posted
    statements settled for the order plus its differences
    (``omni.settlement.clearing.diff``): the open-receivable report sums
    both, so that half a million orders do not make half a million rows
    (each with its foreign keys checked one by one) at every posting."""

    _name = "omni.settlement.clearing"
    _description = "Platform Receivable Cleared by Month"
    _order = "date desc, id desc"
    _check_company_auto = True

    settlement_id = fields.Many2one("omni.settlement", required=True, readonly=True, index=True, ondelete="cascade")
    channel_id = fields.Many2one(related="settlement_id.channel_id")
    company_id = fields.Many2one(related="settlement_id.company_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, readonly=True)
    move_id = fields.Many2one("account.move", string="Journal Entry", readonly=True)
    amount = fields.Monetary(readonly=True, help="Platform receivable credited.")
    order_count = fields.Integer(string="Orders", readonly=True, help="Orders whose receivable was cleared.")

    @api.model_create_multi
    def create(self, vals_list):
        if not guard.is_internal(self):
            raise UserError(self.env._("Receivable clearings are made by the posting of a statement only."))
        return super().create(vals_list)

    def write(self, vals):
        if not guard.is_internal(self):
            raise UserError(self.env._("Receivable clearings cannot be edited."))
        return super().write(vals)
