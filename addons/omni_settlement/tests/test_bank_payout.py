# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PostingCase, truth

# the three payouts (提现) of the Alipay sample: 账务流水号, 业务流水号, amount
PAYOUTS = [
    ("1596027098934102991", "202611087399280534089027", 20527.00),
    ("1261562536356067524", "202611168033613244499726", 4894.00),
    ("1487225307718529371", "202611243262143045243293", 3921.00),
]


@tagged("post_install", "-at_install")
class TestBankPayout(PostingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        book = truth("TMALL01")["orders"]
        cls._book("TMALL01", {o["order"]: float(o["paid"]) for o in book if o["settled_in_file"]})
        groups = [
            cls.env.ref("omni_settlement.group_settlement_manager"),
            cls.env.ref("account.group_account_invoice"),
            cls.env.ref("omni_channel.group_omni_channel_user"),
            # core's right to reconcile bank statement lines (Show Full Accounting Features)
            cls.env.ref("account.group_account_user"),
        ]
        cls.manager = cls.env["res.users"].create(
            {
                "name": "Settlement manager",
                "login": "settle_manager_bank",
                "email": "manager@example.com",
                "groups_id": [Command.link(group.id) for group in groups],
            }
        )
        cls.settlement_only = cls.env["res.users"].create(
            {
                "name": "Settlement manager, billing only",
                "login": "settle_manager_billing",
                "email": "billing@example.com",
                "groups_id": [Command.link(group.id) for group in groups[:3]],
            }
        )
        cls.bank = cls.env["account.journal"].create(
            {"name": "ICBC", "code": "ICBC9", "type": "bank", "company_id": cls.company.id}
        )

    def _bank_line(self, label, amount, date="2026-11-09"):
        return self.env["account.bank.statement.line"].create(
            {"journal_id": self.bank.id, "date": date, "payment_ref": label, "amount": amount}
        )

    def test_payouts_reconciled_with_bank_lines(self):
        """Each payout debits the internal transfer account at posting; the
        bank line naming its serial number for its amount is reconciled with
        that journal item by Odoo's reconcile; once the three payouts reached
        the bank, the transfer account is back at zero."""
        statement = self.import_sample("TMALL01").with_user(self.manager)
        statement.action_post()
        transfer = self.company.transfer_account_id
        [payout_item] = statement.move_ids.line_ids.filtered(lambda aml: aml.account_id == transfer)
        self.assertAlmostEqual(payout_item.balance, sum(p[2] for p in PAYOUTS), places=2)

        first = self._bank_line(f"支付宝提现 {PAYOUTS[0][0]}", PAYOUTS[0][2])
        second = self._bank_line(f"ALIPAY WITHDRAW/{PAYOUTS[1][1]}", PAYOUTS[1][2], "2026-11-17")
        wrong_amount = self._bank_line(f"支付宝提现 {PAYOUTS[2][0]}", PAYOUTS[2][2] - 1, "2026-11-25")
        other = self._bank_line("支付宝提现 999999999999999999", PAYOUTS[2][2], "2026-11-25")
        self.assertFalse(first.is_reconciled)

        self.assertEqual(statement.action_match_bank_payouts(), 2)
        self.assertTrue(first.is_reconciled)
        self.assertTrue(second.is_reconciled)
        self.assertFalse(wrong_amount.is_reconciled, "an amount that is not the payout's is left alone")
        self.assertFalse(other.is_reconciled)
        [bank_item] = first.move_id.line_ids.filtered(lambda aml: aml.account_id == transfer)
        self.assertTrue(bank_item.reconciled)
        self.assertEqual(bank_item.matched_debit_ids.debit_move_id, payout_item)
        self.assertAlmostEqual(payout_item.amount_residual, PAYOUTS[2][2], places=2)

        third = self._bank_line(f"提现 {PAYOUTS[2][0]} 支付宝", PAYOUTS[2][2], "2026-11-25")
        self.assertEqual(statement.action_match_bank_payouts(), 1)
        self.assertTrue(third.is_reconciled)
        self.assertTrue(payout_item.reconciled)
        moves = statement.move_ids | (first | second | third).move_id
        on_transfer = moves.line_ids.filtered(lambda aml: aml.account_id == transfer)
        self.assertAlmostEqual(sum(on_transfer.mapped("balance")), 0.0, places=2)
        self.assertEqual(statement.action_match_bank_payouts(), 0, "nothing matched twice")

    def test_matching_needs_bank_reconciliation_rights(self):
        statement = self.import_sample("TMALL01").with_user(self.manager)
        statement.action_post()
        line = self._bank_line(f"支付宝提现 {PAYOUTS[0][0]}", PAYOUTS[0][2])
        with self.assertRaises(AccessError):
            statement.with_user(self.settlement_only).action_match_bank_payouts()
        self.assertFalse(line.is_reconciled)
