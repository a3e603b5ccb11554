# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import Decimal

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import FILES, TRUTH_KINDS, SettlementCase, sample_path, truth


@tagged("post_install", "-at_install")
class TestStatementImport(SettlementCase):
    def _lines_by_position(self, statement):
        return {(line.sheet or None, line.row_no): line for line in statement.line_ids}

    def _check_against_truth(self, code):
        statement = self.import_sample(code)
        expected = truth(code)
        lines = self._lines_by_position(statement)
        self.assertEqual(len(lines), len(expected["lines"]), "every data line read, nothing else")
        for item in expected["lines"]:
            position = (item.get("sheet"), item.get("row") or item.get("line"))
            line = lines[position]
            where = f"{code} {position}"
            self.assertEqual(Decimal(str(line.amount)).quantize(Decimal("0.01")), Decimal(item["amount"]), where)
            self.assertEqual(line.order_ref or None, item["order"], where)
            truth_class = item["class"]
            if truth_class == "duplicate":
                self.assertEqual(line.state, "duplicate", where)
                continue
            if truth_class == "unknown_order":
                self.assertEqual(line.state, "unknown_order", where)
                self.assertEqual(line.kind, TRUTH_KINDS[item["as"]], where)
                continue
            if truth_class == "transfer":
                subtype = item.get("subtype")
                kind = {"deposit": "deposit", "wallet_clearing": "internal"}.get(subtype, "transfer")
                self.assertEqual(line.kind, kind, where)
            else:
                self.assertEqual(line.kind, TRUTH_KINDS[truth_class], where)
            if item["order"]:
                self.assertEqual(line.omni_order_id.platform_order_no, item["order"], where)
                self.assertIn(line.state, ("matched", "amount_diff", "refund_no_aftersale"), where)
            else:
                self.assertEqual(line.state, "no_order", where)
        counts = expected["counts"]
        self.assertEqual(statement.duplicate_count, counts["duplicate"])
        self.assertEqual(statement.unmapped_count, 0)
        return statement, expected

    def test_alipay_statement_read_as_truth(self):
        statement, expected = self._check_against_truth("TMALL01")
        fmt = expected["format"]
        self.assertEqual(statement.opening_balance, float(fmt["opening_balance"]))
        self.assertEqual(statement.closing_balance, float(fmt["closing_balance"]))
        self.assertFalse(statement.balance_break_line_id, "the running balance holds, the duplicate aside")
        self.assertEqual(str(statement.date_from), "2026-11-01")
        self.assertEqual(str(statement.date_to), "2026-11-30")

    def test_jd_statement_read_as_truth(self):
        statement, _expected = self._check_against_truth("JD01")
        self.assertFalse(statement.balance_break_line_id)
        self.assertTrue(statement.closing_balance)

    def test_pdd_statement_read_as_truth(self):
        statement, _expected = self._check_against_truth("PDD01")
        self.assertEqual(str(statement.date_to), "2026-11-30")

    def test_douyin_statement_read_as_truth(self):
        statement, expected = self._check_against_truth("DY01")
        lines = self._lines_by_position(statement)
        for item in expected["lines"]:
            components = item.get("components")
            if components and item["class"] == "order_payment":
                fees = sum((Decimal(v) for k, v in components.items() if Decimal(v) < 0 and k != "订单退款"),
                           Decimal(0))  # fmt: skip
                line = lines[(None, item["line"])]
                self.assertAlmostEqual(line.fee_amount, float(fees), places=2, msg=item["line"])
                self.assertAlmostEqual(line.gross_amount, float(Decimal(item["amount"]) - fees), places=2)

    def test_same_file_twice_same_statement(self):
        first = self.import_sample("TMALL01")
        count = self.env["omni.settlement.line"].search_count([])
        second = self.import_sample("TMALL01")
        self.assertEqual(first, second)
        self.assertEqual(self.env["omni.settlement.line"].search_count([]), count)

    def test_serial_seen_in_another_statement_is_duplicate(self):
        """The same lines in another file (an export overlapping the last one) count once."""
        self.import_sample("DY01")
        content = sample_path(FILES["DY01"][1]).read_bytes()
        head = b"\r\n".join(content.split(b"\r\n")[:4]) + b"\r\n"
        again = self.import_bytes("DY01", "douyin_part.csv", head)
        self.assertEqual(set(again.line_ids.mapped("state")), {"duplicate"})
        self.assertEqual(len(again.line_ids), 3)

    def test_cut_file_refused_nothing_recorded(self):
        for code in ("TMALL01", "PDD01", "DY01"):
            content = sample_path(FILES[code][1]).read_bytes()
            cut = content[: len(content) // 2]
            before = self.env["omni.settlement"].search_count([])
            with self.assertRaisesRegex(UserError, "incomplete"):
                self.import_bytes(code, "cut.csv", cut)
            self.assertEqual(self.env["omni.settlement"].search_count([]), before, code)
            self.assertFalse(self.env["omni.settlement.line"].search([("channel_id.code", "=", code)]))

    def test_cut_xlsx_refused(self):
        content = sample_path(FILES["JD01"][1]).read_bytes()
        with self.assertRaises(UserError):
            self.import_bytes("JD01", "jd.xlsx", content[: len(content) // 2])
        self.assertFalse(self.env["omni.settlement"].search([("channel_id.code", "=", "JD01")]))

    def test_statement_of_another_channel_refused_by_name(self):
        """The Tmall statement imported for a second Tmall shop: its orders are TMALL01's."""
        other = self.env["omni.channel"].create({"name": "Shop TMALL02", "code": "TMALL02", "platform": "tmall"})
        with self.assertRaisesRegex(UserError, "Shop TMALL01"):
            self.import_bytes("TMALL02", "alipay.csv", sample_path(FILES["TMALL01"][1]).read_bytes())
        self.assertFalse(self.env["omni.settlement"].search([("channel_id", "=", other.id)]))

    def test_statement_of_another_company_refused(self):
        company = self.env["res.company"].create({"name": "Wholesale Co"})
        self.env.user.company_ids |= company
        self.env["omni.channel"].with_company(company).create(
            {"name": "Other Tmall", "code": "TMALL01", "platform": "tmall", "company_id": company.id}
        )
        model = self.env["omni.settlement"].with_company(company)
        content = sample_path(FILES["TMALL01"][1]).read_bytes()
        import base64

        with self.assertRaisesRegex(UserError, "another company") as caught:
            model.import_file("TMALL01", "alipay.csv", base64.b64encode(content).decode())
        self.assertNotIn("Shop TMALL01", str(caught.exception), "no word on the other company's channel")
        self.assertFalse(model.search([("company_id", "=", company.id)]))

    def test_unknown_channel_and_wrong_format(self):
        with self.assertRaisesRegex(ValidationError, "NOPE"):
            self.import_bytes("NOPE", "x.csv", b"a,b\n1,2\n")
        with self.assertRaisesRegex(UserError, "No header row"):
            self.import_bytes("JD01", "alipay.xlsx", sample_path(FILES["TMALL01"][1]).read_bytes())

    def test_amounts_with_currency_and_thousands(self):
        """Alipay amounts written '￥1,234.50' and a positive expense column read as money out."""
        content = sample_path(FILES["TMALL01"][1]).read_bytes().decode("gbk")
        lines = content.split("\r\n")
        # line 43 is a payout of 20527.00: write it '¥20,527.00' in the expense column, positive
        fields = lines[42].split(",")
        self.assertEqual(fields[7], "-20527.00")
        fields[7] = '"￥20,527.00"'
        lines[42] = ",".join(fields)
        statement = self.import_bytes("TMALL01", "alipay_yen.csv", "\r\n".join(lines).encode("gbk"))
        payout = statement.line_ids.filtered(lambda line: line.row_no == 43)
        self.assertEqual(payout.amount, -20527.0)
        self.assertEqual(payout.kind, "payout")

    def test_unknown_fee_type_waits(self):
        self.env["omni.settlement.fee.type"]._seed_defaults(self.channels["JD01"])
        self.env["omni.settlement.fee.type"].search(
            [("channel_id", "=", self.channels["JD01"].id), ("name", "=", "随单送的京豆")]
        ).unlink()
        statement = self.import_sample("JD01")
        unmapped = statement.line_ids.filtered(lambda line: line.state == "unmapped")
        self.assertEqual(set(unmapped.mapped("type_text")), {"随单送的京豆"})
        self.assertFalse(any(unmapped.mapped("kind")), "never guessed")
        self.assertEqual(statement.unmapped_count, 5)
        self.env["omni.settlement.fee.type"].create(
            {"channel_id": self.channels["JD01"].id, "name": "京豆", "kind": "fee"}
        )
        statement.action_rematch()
        self.assertEqual(statement.unmapped_count, 0)
        self.assertEqual(set(unmapped.mapped("kind")), {"fee"})

    def test_order_not_shipped(self):
        order = self.orders["PDD01"]["261031-660000016177953"]
        guard.internal(order).state = "confirmed"
        statement = self.import_sample("PDD01")
        lines = statement.line_ids.filtered(lambda line: line.omni_order_id == order)
        self.assertTrue(lines)
        self.assertEqual(set(lines.mapped("state")), {"not_shipped"})

    def test_lines_cannot_be_edited(self):
        statement = self.import_sample("PDD01")
        with self.assertRaises(UserError):
            statement.line_ids[:1].write({"amount": 1.0})
        with self.assertRaises(UserError):
            statement.write({"opening_balance": 5.0})


from odoo.addons.omni_base.tools import guard  # noqa: E402
