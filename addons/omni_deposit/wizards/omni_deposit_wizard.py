# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

MANAGER_GROUP = "omni_deposit.group_omni_deposit_manager"


class OmniDepositWizard(models.TransientModel):
    """Receive a customer's prepaid deposit into a bank or cash journal (a
    liability, not revenue), or pay an unused deposit back."""

    _name = "omni.deposit.wizard"
    _description = "Receive or Refund a Deposit"
    _check_company_auto = True

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    kind = fields.Selection([("receive", "Receive"), ("refund", "Refund")], required=True, default="receive")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(required=True)
    journal_id = fields.Many2one(
        "account.journal",
        string="Bank or Cash",
        required=True,
        check_company=True,
        domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', company_id)]",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    memo = fields.Char()
    available = fields.Monetary(string="Deposit Available", compute="_compute_available")

    @api.depends("partner_id", "company_id")
    def _compute_available(self):
        for wizard in self:
            balance, held = wizard.partner_id._omni_deposit_figures(wizard.company_id) if wizard.partner_id else (0, 0)
            wizard.available = balance - held

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only Deposit Managers receive and refund deposits."))
        currency = self.currency_id
        amount = currency.round(self.amount)
        if currency.compare_amounts(amount, 0.0) <= 0:
            raise UserError(self.env._("The amount must be positive."))
        customer = self.partner_id.commercial_partner_id
        account = self.company_id._omni_deposit_account()
        bank = self.journal_id.default_account_id
        if not bank:
            raise UserError(
                self.env._("Journal %(journal)s has no default account.", journal=self.journal_id.display_name)
            )
        customer._omni_lock_deposit()
        if self.kind == "refund":
            balance, held = customer._omni_deposit_figures(self.company_id)
            if currency.compare_amounts(amount, balance - held) > 0:
                raise UserError(
                    self.env._(
                        "%(customer)s has %(available)s of deposit available (balance %(balance)s, held by open "
                        "orders %(held)s): %(amount)s cannot be refunded.",
                        customer=customer.display_name,
                        available=currency.round(balance - held),
                        balance=balance,
                        held=held,
                        amount=amount,
                    )
                )
        sign = 1 if self.kind == "receive" else -1
        label = self.memo or (
            self.env._("Deposit received from %(customer)s", customer=customer.display_name)
            if self.kind == "receive"
            else self.env._("Deposit refunded to %(customer)s", customer=customer.display_name)
        )
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": self.journal_id.id,
                "company_id": self.company_id.id,
                "date": self.date,
                "ref": label,
                "line_ids": [
                    Command.create({"account_id": bank.id, "balance": sign * amount, "partner_id": customer.id,
                                    "name": label}),
                    Command.create({"account_id": account.id, "balance": -sign * amount,
                                    "partner_id": customer.id, "name": label}),
                ],
            }
        )  # fmt: skip
        move.action_post()
        customer._message_log(body=f"{label}: {amount:.2f} {currency.name}")
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": move.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
