# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    omni_clearing_account_id = fields.Many2one(
        "account.account",
        string="Platform Receivable Account",
        check_company=True,
        help="Debited with the prepaid part of this channel's shipped orders: the money the platform "
        "settles (platform clearing / receivable).",
    )
    omni_platform_partner_id = fields.Many2one(
        "res.partner",
        string="Platform Partner",
        help="Partner put on the platform receivable lines (the platform that settles), optional.",
    )
    omni_revenue_account_id = fields.Many2one(
        "account.account",
        string="Revenue Account",
        check_company=True,
        help="Credited with the untaxed amount of this channel's shipped orders. Empty: the default "
        "account of the Retail Ledger journal.",
    )
    omni_analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Analytic Account",
        check_company=True,
        help="Revenue lines of this channel carry this analytic account (100 %).",
    )
