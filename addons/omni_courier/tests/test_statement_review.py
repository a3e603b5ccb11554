# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase

from .common import CourierTestMixin, xlsx_bytes


class TestStatementReview(CourierTestMixin, TransactionCase):
    """What the reconciliation screen tells: the statement's state, each
    line's finding in words, our weight beside the courier's, and the
    parcels the statement misses, current without reconciling again."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_courier()

    def _line(self, statement, tracking_no, state):
        return statement.line_ids.filtered(lambda line: (line.tracking_no, line.state) == (tracking_no, state))

    def test_reconciled_only_once_every_difference_is_resolved(self):
        statement = self._import(xlsx_bytes(self.STATEMENT_ROWS))
        self.assertEqual(statement.unresolved_count, 6)
        self.assertEqual(statement.state, "to_resolve", "not 已对账 with six differences open")
        differences = statement.line_ids.filtered(lambda line: line.state not in ("matched", "missing"))
        differences[:-1].action_accept()
        self.assertEqual(statement.state, "to_resolve")
        differences[-1:].action_dispute()
        self.assertEqual(statement.state, "reconciled")
        differences[:1].action_reset_resolution()
        self.assertEqual(statement.state, "to_resolve", "a reopened difference is to resolve again")
        statement.action_accept_open()
        self.assertEqual(statement.state, "reconciled")
        statement.action_reconcile()
        self.assertEqual(statement.state, "reconciled", "reconciling again keeps the unchanged resolutions")

    def test_statement_without_differences_is_reconciled_at_once(self):
        statement = self._import(xlsx_bytes(self.STATEMENT_ROWS[:2]))
        self.assertEqual((statement.matched_count, statement.unresolved_count), (2, 0))
        self.assertEqual(statement.state, "reconciled")

    def test_each_line_explained_in_the_readers_language(self):
        statement = self._import(xlsx_bytes(self.STATEMENT_ROWS))
        weight = self._line(statement, "SF1004", "weight_diff")
        self.assertEqual((weight.billed_weight, weight.chargeable_weight), (2.5, 1.0), "our weight beside theirs")
        self.assertIn("Billed weight 2.50 kg, ours 1.00 kg; fee difference", weight.explanation)
        self.assertIn("4.00", weight.explanation)
        fee = self._line(statement, "SF1005", "fee_diff")
        self.assertIn("11.00", fee.explanation)
        self.assertIn("10.00", fee.explanation)
        cod = self._line(statement, "SF1003", "cod_diff")
        self.assertIn("COD collected", cod.explanation)
        self.assertIn("105.00", cod.explanation)
        self.assertIn("ZTO", self._line(statement, "ZT1007", "unknown").explanation)
        self.assertIn("row 2", self._line(statement, "SF1001", "duplicate").explanation)
        self.assertIn("Shipped by us", self._line(statement, "SF1006", "missing").explanation)
        self.assertEqual(self._line(statement, "SF1002", "matched").explanation, "Agrees with our parcel.")
        self.assertTrue(all(statement.line_ids.mapped("explanation")), "no line without its explanation")

        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["omni_courier"], ["zh_CN"], overwrite=True)
        weight_zh = weight.with_context(lang="zh_CN")
        self.assertIn("计费重量 2.50 kg，我方 1.00 kg；运费差", weight_zh.explanation)
        self.assertEqual(
            self._line(statement, "SF1002", "matched").with_context(lang="zh_CN").explanation, "与我方包裹一致。"
        )
        # what a duplicate repeats and whose parcel an unknown number is, in the reader's language too
        duplicate_zh = self._line(statement, "SF1001", "duplicate").with_context(lang="zh_CN")
        self.assertEqual(duplicate_zh.explanation, "重复计费：本对账单第 2 行也有。")
        unknown_zh = self._line(statement, "ZT1007", "unknown").with_context(lang="zh_CN")
        self.assertEqual(
            unknown_zh.explanation, f"此运单号是我方包裹 {self.pickings['ZT1007'].name}，由快递公司 ZTO 发出。"
        )
        views = self.env["courier.statement.line"].with_context(lang="zh_CN").get_views([(False, "list")])
        fields = views["models"]["courier.statement.line"]["fields"]
        self.assertEqual(fields["explanation"]["string"], "说明")
        self.assertEqual(fields["chargeable_weight"]["string"], "我方重量（千克）")
        self.assertIn('name="explanation"', views["views"]["list"]["arch"])
        state_labels = dict(
            self.env["courier.statement"].with_context(lang="zh_CN").fields_get(["state"])["state"]["selection"]
        )
        self.assertEqual(state_labels["to_resolve"], "待处理")

    def test_missing_parcels_current_without_reconciling_again(self):
        rows = [row for row in self.STATEMENT_ROWS if row[0] != "SF1001"]
        statement = self._import(xlsx_bytes(rows))
        self.assertEqual(
            sorted(statement.line_ids.filtered(lambda line: line.state == "missing").mapped("tracking_no")),
            ["SF1001", "SF1006"],
        )
        # the courier bills SF1006 on another statement: no longer missing from the first
        self._import(xlsx_bytes([["SF1006", "2026-11-22", "南京", 1.0, 10, 0]]), filename="late.xlsx")
        self.assertEqual(statement.missing_count, 1)
        self.assertFalse(self._line(statement, "SF1006", "missing"))
        # a parcel shipped in the period after the import is missing at once
        picking = self._ship("CR8", "SF", "SF1008", "江苏省", 1.0, (0, 0, 0), 8)
        self.assertEqual(statement.missing_count, 2)
        self.assertEqual(self._line(statement, "SF1008", "missing").picking_id, picking)
        # its tracking number corrected: listed under the new one
        picking.carrier_tracking_ref = "SF1018"
        self.assertEqual(statement.missing_count, 2)
        self.assertFalse(self._line(statement, "SF1008", "missing"))
        self.assertTrue(self._line(statement, "SF1018", "missing"))
        # the statement that billed SF1006 deleted: SF1006 is missing again
        self.env["courier.statement"].search([("file_name", "=", "late.xlsx")]).unlink()
        self.assertTrue(self._line(statement, "SF1006", "missing"))
        self.assertEqual(statement.missing_count, 3)
