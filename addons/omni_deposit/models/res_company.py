# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError


class ResCompany(models.Model):
    _inherit = "res.company"

    omni_deposit_account_id = fields.Many2one(
        "account.account",
        string="Customer Deposit Account",
        check_company=True,
        domain="[('account_type', 'in', ('liability_current', 'liability_payable'))]",
        help="Liability for customers' prepaid deposits (advance receipts, 预收账款): credited when a deposit "
        "is received, debited when an order paid by deposit ships. A customer's deposit balance is this "
        "account's balance for that customer.",
    )

    def _omni_deposit_account(self):
        self.ensure_one()
        if not self.omni_deposit_account_id:
            raise UserError(
                self.env._(
                    "Company %(company)s has no Customer Deposit Account: set it in the company's settings "
                    "(Accounting) first.",
                    company=self.name,
                )
            )
        return self.omni_deposit_account_id
