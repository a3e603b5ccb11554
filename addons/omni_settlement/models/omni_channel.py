# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    omni_settlement_fee_type_ids = fields.One2many(
        "omni.settlement.fee.type", "channel_id", string="Settlement Fee Types"
    )
    omni_settlement_journal_id = fields.Many2one(
        "account.journal",
        string="Platform Wallet Journal",
        check_company=True,
        domain="[('type', 'in', ('bank', 'cash'))]",
        help="Bank/cash journal of the platform wallet (Alipay, JD wallet, 货款账户, 抖店 fund account): debited "
        "with the net of each settlement; its payouts match the bank statement.",
    )
    omni_settlement_diff_account_id = fields.Many2one(
        "account.account",
        string="Settlement Difference Account",
        check_company=True,
        help="Takes the difference between what the platform settled for an order and what the ledger booked.",
    )
    omni_settlement_days = fields.Integer(
        string="Settlement Expected Within (days)",
        default=15,
        help="A shipped order not settled this many days after shipping shows in the unsettled orders list.",
    )
