# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.omni_base.tools import guard


class OmniSettlementClearing(models.Model):
    """What a posted statement cleared of one order's platform receivable:
    the amount the ledger booked for the order, less what earlier postings
    cleared. Written by the posting only (one row per order and month)."""

    _name = "omni.settlement.clearing"
    _description = "Platform Receivable Cleared by Order"
    _order = "date desc, id desc"
    _check_company_auto = True

    settlement_id = fields.Many2one("omni.settlement", required=True, readonly=True, index=True, ondelete="cascade")
    omni_order_id = fields.Many2one("omni.order", string="Platform Order", required=True, readonly=True, index=True)
    # the statement's, not stored: half a million rows per posting, each foreign key checked row by row
    channel_id = fields.Many2one(related="settlement_id.channel_id")
    company_id = fields.Many2one(related="settlement_id.company_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, readonly=True)
    move_id = fields.Many2one("account.move", string="Journal Entry", readonly=True)
    amount = fields.Monetary(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        if not guard.is_internal(self):
            raise UserError(self.env._("Receivable clearings are made by the posting of a statement only."))
        return super().create(vals_list)

    def write(self, vals):
        if not guard.is_internal(self):
            raise UserError(self.env._("Receivable clearings cannot be edited."))
        return super().write(vals)
