# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, fields, models
from odoo.exceptions import UserError

# 2203 预收账款 (advance from customers) of the Chinese chart; on another chart a "Customer Deposits"
# liability is made under the first of these codes that is free
DEPOSIT_ACCOUNT_CODE = "2203"
NEW_ACCOUNT_CODES = ("2203", "220301", "220399", "229100", "229101")


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

    def _omni_ensure_deposit_account(self):
        """Give each of these companies that has a chart of accounts and no
        Customer Deposit Account one: the chart's 2203 预收账款 when it is a
        current liability, else a new "Customer Deposits" current liability.
        Run at installation, when a chart is loaded and, as a last resort,
        when a deposit needs the account: the documented flow then works on
        a fresh database. Companies without a chart are left alone (they get
        it with their chart)."""
        # sudo: set-up of exactly these companies' deposit account, as the installation would have done
        for company in self.sudo().filtered(lambda c: not c.omni_deposit_account_id and c.chart_template):
            Account = self.env["account.account"].sudo().with_company(company)
            domain = Account._check_company_domain(company)
            account = Account.search(
                [*domain, ("code", "=", DEPOSIT_ACCOUNT_CODE), ("account_type", "=", "liability_current")], limit=1
            )
            if not account:
                used = set(Account.search([*domain, ("code", "in", NEW_ACCOUNT_CODES)]).mapped("code"))
                code = next((c for c in NEW_ACCOUNT_CODES if c not in used), None)
                if not code:
                    continue  # all taken: an accountant chooses (the message of _omni_deposit_account says so)
                account = Account.create(
                    {
                        "name": self.env._("Customer Deposits"),
                        "code": code,
                        "account_type": "liability_current",
                        "company_ids": [Command.set(company.ids)],
                    }
                )
            company.omni_deposit_account_id = account

    def _omni_deposit_account(self):
        self.ensure_one()
        if not self.omni_deposit_account_id:
            self._omni_ensure_deposit_account()
        if not self.omni_deposit_account_id:
            raise UserError(
                self.env._(
                    "Company %(company)s has no Customer Deposit Account: an accountant (Accounting administrator) "
                    "loads its chart of accounts or sets the account on the company (Settings > Companies, tab "
                    "Customer Deposits).",
                    company=self.name,
                )
            )
        return self.omni_deposit_account_id
