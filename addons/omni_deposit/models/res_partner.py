# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    omni_deposit_balance = fields.Monetary(
        string="Deposit Balance",
        compute="_compute_omni_deposit",
        currency_field="omni_currency_id",
        help="Balance of the company's Customer Deposit Account for this customer (posted entries).",
    )
    omni_deposit_held = fields.Monetary(
        string="Held by Open Orders",
        compute="_compute_omni_deposit",
        currency_field="omni_currency_id",
        help="Consumed by orders paid by deposit that the retail ledger has not booked yet.",
    )
    omni_deposit_available = fields.Monetary(
        string="Deposit Available", compute="_compute_omni_deposit", currency_field="omni_currency_id"
    )
    omni_deposit_credit = fields.Monetary(
        string="Deposit Credit Allowed",
        currency_field="omni_currency_id",
        copy=False,
        groups="omni_deposit.group_omni_deposit_manager",
        help="How far a Deposit Manager lets orders take this customer's deposit below zero.",
    )

    def _omni_deposit_company(self):
        return self.company_id or self.env.company

    @api.depends_context("company")
    def _compute_omni_deposit(self):
        for partner in self:
            balance, held = partner._omni_deposit_figures()
            partner.omni_deposit_balance = balance
            partner.omni_deposit_held = held
            partner.omni_deposit_available = balance - held

    def _omni_deposit_figures(self, company=None):
        """(liability balance, live holds) of this customer in ``company``."""
        self.ensure_one()
        customer = self.commercial_partner_id
        company = company or customer._omni_deposit_company()
        account = company.omni_deposit_account_id
        if not customer.id or not account:
            return 0.0, 0.0
        # sudo: an agent sees the deposit of a customer it may read, not the accounting behind it
        self.env["account.move.line"].sudo().flush_model(["balance", "partner_id", "account_id", "parent_state"])
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(-sum(balance), 0) FROM account_move_line
                 WHERE account_id = %(account)s AND partner_id = %(partner)s AND company_id = %(company)s
                   AND parent_state = 'posted'
                """,
                account=account.id,
                partner=customer.id,
                company=company.id,
            )
        )
        balance = self.env.cr.fetchone()[0]
        holds = (
            self.env["omni.deposit.hold"]
            .sudo()
            ._read_group(
                [("partner_id", "=", customer.id), ("company_id", "=", company.id), ("state", "=", "held")],
                [],
                ["amount:sum"],
            )
        )
        return company.currency_id.round(balance), company.currency_id.round(holds[0][0] or 0.0)

    def _omni_lock_deposit(self):
        """Serialise deposit consumption and refunds of these customers."""
        if self:
            self.env.cr.execute(
                SQL("SELECT id FROM res_partner WHERE id = ANY(%s) FOR UPDATE", self.commercial_partner_id.ids)
            )

    def action_omni_deposit_receive(self):
        return self._omni_deposit_wizard("receive")

    def action_omni_deposit_refund(self):
        return self._omni_deposit_wizard("refund")

    def _omni_deposit_wizard(self, kind):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Receive Deposit") if kind == "receive" else self.env._("Refund Deposit"),
            "res_model": "omni.deposit.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id, "default_kind": kind},
        }
