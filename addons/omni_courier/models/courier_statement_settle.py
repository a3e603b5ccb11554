# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Resolution of the differences and settlement: vendor bill of the agreed
fees, COD remittance entry reconciled with the receivables."""

import logging

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.omni_base.tools import guard

from .courier_statement import (
    AGREED_SPLIT,
)

_logger = logging.getLogger(__name__)


class CourierStatement(models.Model):
    _inherit = "courier.statement"

    # ------------------------------------------------------------------
    # Resolution and settlement

    def action_accept_open(self):
        """Accept the courier's amount on every difference still open."""
        self.env["courier.statement.line"].search(
            [("statement_id", "in", self.ids), ("state", "not in", ("matched", "missing")), ("resolution", "=", False)]
        ).write({"resolution": "accepted"})
        return True

    def action_open_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("omni_courier.action_courier_statement_line")
        action["domain"] = [("statement_id", "=", self.id)]
        action["context"] = {"default_statement_id": self.id, "search_default_unresolved": 1}
        return action

    def action_settle(self):
        """Create the courier's vendor bill for the agreed fees and the entry
        of the COD money it remits, reconciled against the open COD
        receivables. Twice is once: a settled statement is left as it is."""
        if not (
            self.env.user.has_group("omni_courier.group_courier_manager")
            and (
                self.env.user.has_group("account.group_account_invoice")
                or self.env.user.has_group("account.group_account_manager")
            )
        ):
            raise AccessError(
                self.env._("Settling a courier statement needs the Courier Reconciliation Manager and Billing rights.")
            )
        for statement in self:
            statement._settle()
        return True

    def _settle(self):
        self.ensure_one()
        self.env.cr.execute("SELECT state FROM courier_statement WHERE id = %s FOR UPDATE", [self.id])
        self.invalidate_recordset(["state"])
        if self.state == "settled":
            return
        if self.state not in ("to_resolve", "reconciled"):
            raise UserError(self.env._("Statement %(name)s is not reconciled yet.", name=self.name))
        if self.unresolved_count:
            raise UserError(
                self.env._(
                    "Statement %(name)s: %(count)s lines with a difference are not resolved yet. Accept the "
                    "courier's amount or dispute each of them first.",
                    name=self.name,
                    count=self.unresolved_count,
                )
            )
        carrier = self.carrier_id.with_company(self.company_id)
        if not carrier.omni_partner_id:
            raise UserError(
                self.env._(
                    "Courier %(courier)s has no partner: set the Courier Partner before settling.",
                    courier=carrier.name,
                )
            )
        amounts = self._agreed_amounts()
        # every account is checked before anything is created
        expense = self._expense_account(carrier) if amounts["accepted"] or amounts["disputed"] else None
        cod_accounts = self._cod_accounts(carrier) if amounts["cod"] else None
        vals = {"state": "settled", "settled_at": fields.Datetime.now(), "settled_by_id": self.env.uid}
        if expense:
            vals["bill_id"] = self._create_bill(carrier, amounts, expense).id
        if cod_accounts:
            vals["cod_move_id"] = self._create_cod_entry(carrier, amounts["cod"], *cod_accounts).id
        guard.internal(self).write(vals)
        self._message_log(body=self.env._("Statement settled."))

    def _agreed_amounts(self):
        """The agreed fees split in accepted (the courier's amount) and
        disputed (ours), with their line counts, and the agreed COD."""
        self.ensure_one()
        totals = self._line_totals()[self.id]
        return {**{key: totals[key] for key in AGREED_SPLIT}, "cod": totals["agreed_cod_total"]}

    def _expense_account(self, carrier):
        account = carrier.omni_expense_account_id
        if not account and carrier.product_id:
            account = carrier.product_id.product_tmpl_id.with_company(self.company_id)._get_product_accounts()[
                "expense"
            ]
        if not account:
            journal = self.env["account.journal"].search(
                [("company_id", "=", self.company_id.id), ("type", "=", "purchase")], limit=1
            )
            account = journal.default_account_id
        if not account:
            raise UserError(
                self.env._(
                    "No freight expense account for courier %(courier)s in company %(company)s: set one on the "
                    "courier.",
                    courier=carrier.name,
                    company=self.company_id.name,
                )
            )
        return account

    def _create_bill(self, carrier, amounts, account):
        period = f"{self.date_from} - {self.date_to}"
        labels = {
            "accepted": self.env._(
                "Freight %(statement)s (%(period)s): %(count)s parcels at the courier's amount",
                statement=self.name,
                period=period,
                count=amounts["accepted_count"],
            ),
            "disputed": self.env._(
                "Freight %(statement)s (%(period)s): %(count)s disputed parcels at our rate card",
                statement=self.name,
                period=period,
                count=amounts["disputed_count"],
            ),
        }
        lines = [
            {
                "name": label,
                "quantity": 1,
                "price_unit": amounts[key],
                "account_id": account.id,
                "tax_ids": [fields.Command.clear()],
            }
            for key, label in labels.items()
            if amounts[key]
        ]
        bill = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(
                {
                    "move_type": "in_invoice",
                    "company_id": self.company_id.id,
                    "partner_id": carrier.omni_partner_id.id,
                    "invoice_date": self.date_to or self.company_id._omni_today(),
                    "ref": self.name,
                    "invoice_line_ids": [fields.Command.create(line) for line in lines],
                }
            )
        )
        bill.action_post()
        return bill

    def _cod_accounts(self, carrier):
        """(COD receivable account, remittance account, journal) or a
        message naming the courier and the company."""
        company = self.company_id
        cod_account = carrier.omni_cod_account_id
        remittance = carrier.omni_cod_remittance_account_id or company.account_journal_suspense_account_id
        if not cod_account or not remittance:
            raise UserError(
                self.env._(
                    "Courier %(courier)s in company %(company)s: set the COD Receivable Account and the COD "
                    "Remittance Account (or the company's bank suspense account) before settling COD money.",
                    courier=carrier.name,
                    company=company.name,
                )
            )
        # the company's Miscellaneous Operations journal made by its chart of
        # accounts (not another general journal, e.g. the retail ledger's)
        journal = self.env.ref(f"account.{company.id}_general", raise_if_not_found=False)
        if not journal or journal.company_id != company or journal.type != "general":
            journal = self.env["account.journal"].search(
                [("company_id", "=", company.id), ("type", "=", "general")], order="sequence, id", limit=1
            )
        if not journal:
            raise UserError(self.env._("Company %(company)s has no miscellaneous journal.", company=company.name))
        return cod_account, remittance, journal

    def _create_cod_entry(self, carrier, amount, cod_account, remittance, journal):
        company = self.company_id
        partner = carrier.omni_partner_id
        label = self.env._(
            "COD collected by %(courier)s, statement %(statement)s", courier=carrier.name, statement=self.name
        )
        move = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "entry",
                    "company_id": company.id,
                    "journal_id": journal.id,
                    "date": self.date_to or self.company_id._omni_today(),
                    "ref": self.name,
                    "line_ids": [
                        fields.Command.create(
                            {"name": label, "account_id": remittance.id, "partner_id": partner.id, "debit": amount}
                        ),
                        fields.Command.create(
                            {"name": label, "account_id": cod_account.id, "partner_id": partner.id, "credit": amount}
                        ),
                    ],
                }
            )
        )
        move.action_post()
        credit = move.line_ids.filtered(lambda line: line.account_id == cod_account)
        self._reconcile_cod(credit)
        return move

    def _reconcile_cod(self, credit):
        """Reconcile the remitted COD against the open COD receivables of
        the courier on that account, oldest first (partly if short)."""
        if not credit.account_id.reconcile:
            return
        debits = self.env["account.move.line"].search(
            [
                ("account_id", "=", credit.account_id.id),
                ("partner_id", "=", credit.partner_id.id),
                ("company_id", "=", credit.company_id.id),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual", ">", 0),
            ],
            order="date, id",
        )
        chosen = self.env["account.move.line"]
        remaining = -credit.amount_residual
        for debit in debits:
            if remaining <= 0:
                break
            chosen |= debit
            remaining -= debit.amount_residual
        if chosen:
            (credit | chosen).reconcile()
