# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import TransactionCase, tagged

from ..hooks import post_init_hook


@tagged("post_install", "-at_install")
class TestDepositSetup(TransactionCase):
    """A fresh database or a new company works without anyone setting a
    deposit account first: the documented flow needs none."""

    def test_a_new_company_gets_its_deposit_account_with_its_chart(self):
        company = self.env["res.company"].create({"name": "Fresh Co", "currency_id": self.env.ref("base.CNY").id})
        self.assertFalse(company.omni_deposit_account_id, "no chart yet: nothing to choose from")
        self.env["account.chart.template"].try_loading("cn", company, install_demo=False)
        account = company.omni_deposit_account_id
        self.assertEqual((account.with_company(company).code, account.account_type), ("2203", "liability_current"))
        post_init_hook(self.env)  # installing again changes nothing
        self.assertEqual(company.omni_deposit_account_id, account)
        # a Deposit Manager receives a deposit at once
        manager = self.env["res.users"].create(
            {
                "name": "Fresh manager",
                "login": "fresh_deposit_manager",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [Command.set([self.env.ref("omni_deposit.group_omni_deposit_manager").id])],
            }
        )
        customer = self.env["res.partner"].create({"name": "王芳", "company_id": company.id})
        bank = self.env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
        action = (
            self.env["omni.deposit.wizard"]
            .with_user(manager)
            .with_company(company)
            .with_context(default_partner_id=customer.id)
            .create({"amount": 300.0, "journal_id": bank.id})
            .action_confirm()
        )
        move = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.line_ids.filtered(lambda line: line.account_id == account).balance, -300.0)
        self.assertEqual(customer.with_company(company).omni_deposit_balance, 300.0)

    def test_other_chart_gets_a_customer_deposits_liability(self):
        company = self.env.company
        self.assertTrue(company.chart_template)
        company.omni_deposit_account_id = False
        account = company._omni_deposit_account()
        self.assertEqual(account.account_type, "liability_current")
        self.assertEqual(company.omni_deposit_account_id, account)
