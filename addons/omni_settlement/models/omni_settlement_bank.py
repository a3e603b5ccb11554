# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Payouts (提现) of a posted statement matched to the company's bank
statement lines through Odoo's own reconciliation: posting debited the
internal transfer account with the payout; the bank statement line whose
label carries the platform's serial number of the payout (its 账务流水号 or
业务流水号) and whose amount is the payout's gets the transfer account as
counterpart, and both journal items are reconciled (partly when the month's
entry holds several payouts on one line)."""

import re

from odoo import models
from odoo.exceptions import UserError

# numbers of a row that may be the serial the bank shows (12 digits or more)
LONG_NUMBER = re.compile(r"(?<![0-9A-Za-z])[0-9]{12,}(?![0-9A-Za-z])")


class OmniSettlement(models.Model):
    _inherit = "omni.settlement"

    def action_match_bank_payouts(self):
        """Reconcile the payouts of posted statements with the bank
        statement lines of the company that name them (serial number in the
        label) for their amount. Needs the right core asks for a bank
        reconciliation (write on bank statement lines: the accountant's
        full accounting features). Returns the number of bank lines matched."""
        self.env["account.bank.statement.line"].check_access("write")
        self.check_access("read")
        matched = 0
        for statement in self:
            if statement.state != "posted":
                raise UserError(self.env._("Statement %(name)s is not posted: its payouts are not booked yet.",
                                           name=statement.name))  # fmt: skip
            done = []
            for payout in statement._payout_lines():
                st_line = statement._bank_line_of_payout(payout)
                if st_line:
                    st_line._omni_reconcile_payout(statement._payout_move_line(payout, st_line))
                    done.append(f"{payout.serial_no} ({st_line.move_id.name})")
            if done:
                statement.message_post(
                    body=self.env._("Payouts matched with the bank: %(payouts)s.", payouts=", ".join(done))
                )
            matched += len(done)
        return matched

    def _payout_lines(self):
        self.ensure_one()
        return self.env["omni.settlement.line"].search(
            [("settlement_id", "=", self.id), ("kind", "=", "payout"), ("state", "!=", "duplicate")]
        )

    @staticmethod
    def _payout_serials(payout):
        """The numbers the bank may show for a payout: its serial number and
        the other long numbers of its row as read (Alipay's 业务流水号, a
        withdrawal number), never amounts or dates."""
        serials = {payout.serial_no} if payout.serial_no else set()
        serials.update(token for token in LONG_NUMBER.findall(payout.raw_values or ""))
        return serials

    def _bank_line_of_payout(self, payout):
        """The company's unreconciled bank statement line naming the payout
        for its amount (money in on the bank), or an empty recordset."""
        currency = self.company_id.currency_id
        StLine = self.env["account.bank.statement.line"]
        for serial in self._payout_serials(payout):
            candidates = StLine.search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("is_reconciled", "=", False),
                    ("journal_id", "!=", self.channel_id.omni_settlement_journal_id.id),
                    ("payment_ref", "ilike", serial),
                ]
            )
            for st_line in candidates:
                # the serial as a word of the label, not inside a longer number
                named = re.search(rf"(?<![0-9A-Za-z]){re.escape(serial)}(?![0-9A-Za-z])", st_line.payment_ref or "")
                if named and currency.is_zero(st_line.amount + payout.amount):
                    return st_line
        return StLine

    def _payout_move_line(self, payout, st_line):
        """The journal item of the statement's entry (month of the payout)
        that debited the transfer account with it."""
        transfer = self.company_id.transfer_account_id
        month = payout.line_date.replace(day=1)
        items = self.move_ids.filtered(lambda m: m.date.replace(day=1) == month).line_ids.filtered(
            lambda aml: aml.account_id == transfer and not aml.reconciled and aml.balance > 0
        )
        if not items or not transfer.reconcile:
            raise UserError(
                self.env._(
                    "Payout %(serial)s of statement %(name)s cannot be matched with bank line %(bank)s: the "
                    "statement's entry has no open item on a reconcilable internal transfer account.",
                    serial=payout.serial_no,
                    name=self.name,
                    bank=st_line.move_id.name,
                )
            )
        return items[:1]


class AccountBankStatementLine(models.Model):
    _inherit = "account.bank.statement.line"

    def _omni_reconcile_payout(self, move_line):
        """Counterpart of this bank line: the internal transfer account of
        ``move_line`` (in place of the suspense account), then Odoo's
        reconcile of the two journal items."""
        self.ensure_one()
        self.check_access("write")
        _liquidity, suspense, _other = self._seek_for_lines()
        if len(suspense) != 1:
            raise UserError(self.env._("Bank line %(bank)s is already matched.", bank=self.move_id.name))
        suspense.write({"account_id": move_line.account_id.id})
        (suspense + move_line).reconcile()
        return True
