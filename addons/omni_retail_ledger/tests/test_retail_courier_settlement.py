# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The two ends of cash on delivery: the retail ledger posts a COD order as
money the courier owes (its COD receivable, partner = the courier); settling
the courier's statement records the remittance and clears exactly those
debits."""

import base64
import io

from odoo import Command
from odoo.tests import TransactionCase

from .common import DAY, RetailLedgerTestMixin


class TestCodFromLedgerToCourierSettlement(RetailLedgerTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_retail_ledger()
        Account = cls.env["account.account"]
        cls.remittance = Account.create({"name": "SF remittance", "code": "101299", "account_type": "asset_current"})
        cls.freight = Account.create({"name": "Freight out", "code": "660101", "account_type": "expense"})
        cls.sf.write(
            {
                "omni_expense_account_id": cls.freight.id,
                "omni_cod_remittance_account_id": cls.remittance.id,
                "omni_rate_ids": [
                    Command.create(
                        {
                            "name": "All",
                            "first_weight": 1,
                            "first_price": 12,
                            "additional_unit": 1,
                            "additional_price": 2,
                        }
                    )  # fmt: skip
                ],
            }
        )
        cls.cod_a = cls._ship(cls._import("TMALL01", "C1", [("TM-CUP-SET", "1", "88.88")], payment_method="cod"))
        cls.cod_b = cls._ship(
            cls._import("TMALL01", "C2", [("TM-HONEY-500G", "2", "19.99")], shipping_fee="6", payment_method="cod")
        )
        cls.prepaid = cls._ship(cls._import("TMALL01", "P1", [("TM-TEA-250G", "1", "33.33")]))
        cls.settler = cls._create_omni_user(
            "cod_settler", cls.company, "omni_courier.group_courier_manager", "account.group_account_invoice"
        )

    def _picking(self, order):
        return order.sale_order_id.picking_ids.filtered(lambda p: p.state == "done")

    def _statement_file(self):
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(["顺丰速运 月结对账单 2026-11"])
        sheet.append(["运单号", "寄件日期", "目的地", "重量(kg)", "运费", "代收货款"])
        for order in (self.cod_a, self.cod_b, self.prepaid):
            picking = self._picking(order)
            cod = order.sale_order_id.amount_total if order.payment_method == "cod" else 0
            sheet.append([picking.omni_tracking_no, DAY, "上海", 1.0, 12, cod])
        buffer = io.BytesIO()
        book.save(buffer)
        return base64.b64encode(buffer.getvalue()).decode()

    def test_courier_remittance_clears_the_ledger_cod_debits(self):
        result = self.Record.generate(DAY)
        record = self.Record.browse(result["records"]).filtered(lambda r: r.channel_id == self.channel)
        record.action_post()
        cod_total = round(sum((self.cod_a | self.cod_b).sale_order_id.mapped("amount_total")), 2)
        self.assertEqual(record.amount_cod, cod_total)
        ledger_cod = record.move_id.line_ids.filtered(lambda line: line.account_id == self.cod_sf)
        self.assertEqual(ledger_cod.partner_id, self.sf_partner)
        self.assertAlmostEqual(sum(ledger_cod.mapped("debit")), cod_total)

        statement = self.env["courier.statement"].browse(
            self.env["courier.statement"].import_file("SF", "SF_2026-11.xlsx", self._statement_file())
        )
        self.assertEqual(set(statement.line_ids.mapped("state")), {"matched"}, statement.line_ids.mapped("state"))
        self.assertAlmostEqual(statement.agreed_cod_total, cod_total)
        statement.with_user(self.settler).action_settle()

        self.assertAlmostEqual(statement.bill_id.amount_total, 36.0)
        self.assertTrue(
            all(ledger_cod.mapped("reconciled")), "the courier's remittance clears the COD the ledger posted"
        )
        remitted = statement.cod_move_id.line_ids.filtered(lambda line: line.account_id == self.cod_sf)
        self.assertEqual((remitted.credit, remitted.partner_id), (cod_total, self.sf_partner))
        self.assertTrue(remitted.reconciled)
