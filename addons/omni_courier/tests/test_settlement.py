# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase

from .common import CourierTestMixin, xlsx_bytes


class TestSettlement(CourierTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_courier()
        Account = cls.env["account.account"]
        cls.cod_account = Account.create(
            {"name": "COD receivable", "code": "112299", "account_type": "asset_receivable", "reconcile": True}
        )
        cls.remittance_account = Account.create(
            {"name": "COD in transit", "code": "101299", "account_type": "asset_current"}
        )
        cls.expense_account = Account.create({"name": "Freight", "code": "660199", "account_type": "expense"})
        cls.carrier.write(
            {
                "omni_cod_account_id": cls.cod_account.id,
                "omni_cod_remittance_account_id": cls.remittance_account.id,
                "omni_expense_account_id": cls.expense_account.id,
            }
        )
        cls.income = Account.search([("company_ids", "in", cls.company.id), ("account_type", "=", "income")], limit=1)
        cls.settler = cls._create_omni_user(
            "courier_settler", cls.company, "omni_courier.group_courier_manager", "account.group_account_invoice"
        )
        cls.clerk = cls._create_omni_user("courier_clerk", cls.company, "omni_courier.group_courier_manager")

    def _cod_receivable(self, amount, date):
        """A COD order as the retail ledger posts it: the courier owes the money."""
        journal = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "general")], limit=1
        )
        move = self.env["account.move"].create(
            {
                "journal_id": journal.id,
                "date": date,
                "line_ids": [
                    Command.create({"account_id": self.cod_account.id, "partner_id": self.courier_partner.id,
                            "debit": amount, "name": "COD order"}),
                    Command.create({"account_id": self.income.id, "credit": amount, "name": "COD order"}),
                ],
            }
        )  # fmt: skip
        move.action_post()
        return move.line_ids.filtered(lambda line: line.account_id == self.cod_account)

    def _resolved_statement(self):
        statement = self._import(xlsx_bytes(self.STATEMENT_ROWS))
        lines = {(line.row_no, line.tracking_no): line for line in statement.line_ids}
        lines[4, "SF1003"].write({"resolution": "disputed", "resolution_note": "5 short: courier to pay"})
        lines[5, "SF1004"].action_accept()  # billed 14 at 2.5 kg
        lines[6, "SF1005"].action_dispute()  # billed 11, 10 by our card
        lines[7, "ZT1007"].action_dispute()
        lines[8, "SF9999"].action_accept()  # billed 15: a parcel sent by hand
        lines[9, "SF1001"].action_dispute()  # duplicate: 0
        return statement

    def test_settlement_creates_the_bill_and_clears_cod(self):
        older = self._cod_receivable(60.0, "2026-11-20")
        newer = self._cod_receivable(60.0, "2026-11-21")
        statement = self._resolved_statement()
        self.assertEqual(statement.unresolved_count, 0)
        # matched 12 + 16, accepted 14 + 15, disputed at ours: SF1003 21.05, SF1005 10, ZT1007 0, dup 0
        self.assertAlmostEqual(statement.agreed_fee_total, 12 + 16 + 14 + 15 + 21.05 + 10)
        self.assertAlmostEqual(statement.agreed_cod_total, 105.0, msg="the disputed COD line counts at 105")
        statement.with_user(self.settler).action_settle()
        self.assertEqual(statement.state, "settled")
        bill = statement.bill_id
        self.assertEqual((bill.move_type, bill.state, bill.partner_id), ("in_invoice", "posted", self.courier_partner))
        self.assertAlmostEqual(bill.amount_total, 88.05)
        self.assertEqual(sorted(bill.invoice_line_ids.mapped("price_subtotal")), [31.05, 57.0])
        self.assertEqual(bill.invoice_line_ids.account_id, self.expense_account)
        self.assertFalse(bill.invoice_line_ids.tax_ids)
        cod_move = statement.cod_move_id
        self.assertEqual(cod_move.state, "posted")
        credit = cod_move.line_ids.filtered(lambda line: line.account_id == self.cod_account)
        self.assertEqual((credit.credit, credit.partner_id), (105.0, self.courier_partner))
        debit = cod_move.line_ids - credit
        self.assertEqual((debit.account_id, debit.debit), (self.remittance_account, 105.0))
        # oldest receivable first: 60 cleared, 45 of the newer
        self.assertTrue(older.reconciled)
        self.assertAlmostEqual(newer.amount_residual, 15.0)
        self.assertTrue(credit.reconciled)
        # twice is once
        statement.with_user(self.settler).action_settle()
        self.assertEqual(
            self.env["account.move"].search_count([("ref", "=", statement.name), ("move_type", "=", "in_invoice")]), 1
        )
        with self.assertRaises(UserError):
            statement.line_ids[:1].write({"resolution": "accepted"})

    def test_settlement_needs_resolutions_and_rights(self):
        statement = self._import(xlsx_bytes(self.STATEMENT_ROWS))
        with self.assertRaisesRegex(UserError, "6 lines with a difference are not resolved"):
            statement.with_user(self.settler).action_settle()
        statement.action_accept_open()
        self.assertEqual(statement.unresolved_count, 0)
        with self.assertRaises(AccessError):
            statement.with_user(self.clerk).action_settle()
        self.assertEqual(statement.state, "reconciled")

    def test_missing_configuration_is_named(self):
        statement = self._import(xlsx_bytes(self.STATEMENT_ROWS))
        statement.action_accept_open()
        self.carrier.omni_partner_id = False
        with self.assertRaisesRegex(UserError, "SF Express has no partner"):
            statement.with_user(self.settler).action_settle()
        self.carrier.omni_partner_id = self.courier_partner
        self.carrier.omni_cod_account_id = False
        with self.assertRaisesRegex(UserError, "Courier SF Express in company"):
            statement.with_user(self.settler).action_settle()
        self.assertEqual(statement.state, "reconciled")
        self.assertFalse(
            self.env["account.move"].search([("ref", "=", statement.name), ("move_type", "=", "in_invoice")]),
            "nothing half-done: the bill of the failed settlement is rolled back",
        )
