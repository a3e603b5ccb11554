# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import xlwt

from odoo.tests import BaseCase

from ..tools.tabular import (
    TEMPLATE_NOT_A_NUMBER,
    Table,
    TableError,
    read_table,
    to_date,
    to_datetime,
    to_decimal,
    to_text,
)

ORDER_ALIASES = {
    "order_ref": ["平台订单号", "订单号", "订单编号"],
    "order_date": ["下单时间", "订单创建时间"],
    "partner_name": ["收货人", "收件人"],
    "phone": ["手机", "手机号", "联系电话"],
    "address": ["详细地址", "收货地址"],
    "qty": ["数量", "购买数量"],
    "freight": ["运费"],
    "note": ["买家留言"],
}
ORDER_REQUIRED = ["order_ref", "phone", "qty"]

COURIER_ALIASES = {
    "tracking_ref": ["运单号", "快递单号"],
    "ship_date": ["寄件日期", "发货日期"],
    "weight": ["重量", "计费重量"],
    "fee": ["运费", "费用"],
}
COURIER_REQUIRED = ["tracking_ref", "fee"]

ORDER_CSV = (
    "平台订单号,下单时间,收货人,手机,详细地址,数量,运费,买家昵称\r\n"
    "TMALL01-100001,2026-11-11 22:45:00,刘洋,19038879107,建国路685号,1,6,buyer_1\r\n"
    "TMALL01-100002,2026/11/11 14:48,赵敏,17649490024,中山北路962号,2,0,buyer_2\r\n"
)

NOT_SPREADSHEET = "File '%s' is not a spreadsheet (expected .csv, .xlsx or .xls)"


def _xlsx(rows, title="订单"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row_number, row in enumerate(rows, start=1):
        for col_number, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=row_number, column=col_number, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xls(rows, title="对账单"):
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(title)
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm")
    for row_number, row in enumerate(rows):
        for col_number, value in enumerate(row):
            if isinstance(value, datetime.datetime):
                sheet.write(row_number, col_number, value, date_style)
            elif value is not None:
                sheet.write(row_number, col_number, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class TestReadCsv(BaseCase):
    def test_utf8(self):
        table = read_table("orders.csv", ORDER_CSV.encode("utf-8"), ORDER_ALIASES, ORDER_REQUIRED)
        self.assertIsInstance(table, Table)
        self.assertEqual((table.file_format, table.encoding, table.header_row), ("csv", "utf-8", 1))
        self.assertEqual(len(table.rows), 2)
        first = table.rows[0]
        self.assertEqual(first["_row"], 2)
        self.assertEqual(first["order_ref"], "TMALL01-100001")
        self.assertEqual(first["partner_name"], "刘洋")
        self.assertEqual(first["phone"], "19038879107")
        self.assertEqual(first["address"], "建国路685号")
        self.assertEqual(first["qty"], "1")
        self.assertIsNone(first["note"], "a column absent from the file gives None")
        self.assertEqual(table.rows[1]["_row"], 3)
        self.assertEqual(table.columns["order_ref"], "平台订单号")
        self.assertNotIn("note", table.columns)
        self.assertEqual(table.unknown_columns, ["买家昵称"])

    def test_utf8_with_bom(self):
        content = ORDER_CSV.encode("utf-8-sig")
        table = read_table("orders.csv", content, ORDER_ALIASES, ORDER_REQUIRED)
        self.assertEqual(table.encoding, "utf-8-sig")
        self.assertEqual(table.columns["order_ref"], "平台订单号", "no BOM left in the first header")
        self.assertEqual(table.rows[0]["order_ref"], "TMALL01-100001")

    def test_gbk(self):
        content = ORDER_CSV.encode("gbk")
        with self.assertRaises(UnicodeDecodeError):
            content.decode("utf-8")
        table = read_table("orders.csv", content, ORDER_ALIASES, ORDER_REQUIRED)
        self.assertEqual(table.encoding, "gb18030")
        self.assertEqual(table.rows[1]["partner_name"], "赵敏")
        self.assertEqual(table.rows[1]["address"], "中山北路962号")

    def test_tab_separated_with_commas_in_values(self):
        content = "运单号\t运费\t目的地\nSF1\t12\t杭州, 西湖区\nSF2\t1,234.50\t深圳\n".encode()
        table = read_table("sf.csv", content, COURIER_ALIASES, COURIER_REQUIRED)
        self.assertEqual([row["tracking_ref"] for row in table.rows], ["SF1", "SF2"])
        self.assertEqual(table.rows[1]["fee"], "1,234.50")
        self.assertEqual(table.unknown_columns, ["目的地"])

    def test_utf16_unicode_text_from_excel(self):
        content = "运单号\t运费\r\nSF1\t12\r\n".encode("utf-16")
        table = read_table("sf.txt", content, COURIER_ALIASES, COURIER_REQUIRED)
        self.assertEqual((table.encoding, table.rows[0]["tracking_ref"], table.rows[0]["fee"]), ("utf-16", "SF1", "12"))

    def test_semicolon_separated(self):
        content = "运单号;运费\nSF1;12\n".encode()
        table = read_table("sf.csv", content, COURIER_ALIASES, COURIER_REQUIRED)
        self.assertEqual(
            table.rows, [{"tracking_ref": "SF1", "ship_date": None, "weight": None, "fee": "12", "_row": 2}]
        )

    def test_quoted_fields_with_commas_and_quotes(self):
        content = (
            '平台订单号,手机,数量,详细地址,买家留言\n1001,13800138000,2,"建国路685号, 3楼","请送到""前台"""\n'
        ).encode()
        table = read_table("orders.csv", content, ORDER_ALIASES, ORDER_REQUIRED)
        self.assertEqual(table.rows[0]["address"], "建国路685号, 3楼")
        self.assertEqual(table.rows[0]["note"], '请送到"前台"')
        self.assertEqual(table.rows[0]["qty"], "2")

    def test_title_rows_blank_rows_and_row_numbers(self):
        content = (
            "顺丰速运 2026年11月 对账单\n"  # row 1: title
            "\n"  # row 2
            "运单号,寄件日期,运费\n"  # row 3: header
            "SF1,2026-11-12,12\n"  # row 4
            ",,\n"  # row 5: blank, skipped
            "  , \u3000,\n"  # row 6: whitespace only, skipped
            "SF2,2026-11-13,abc\n"  # row 7
        ).encode()
        table = read_table("sf.csv", content, COURIER_ALIASES, COURIER_REQUIRED)
        self.assertEqual(table.header_row, 3)
        self.assertEqual([(row["_row"], row["tracking_ref"]) for row in table.rows], [(4, "SF1"), (7, "SF2")])
        row = table.rows[1]
        with self.assertRaises(TableError) as caught:
            to_decimal(row["fee"], row["_row"], table.label("fee"))
        self.assertEqual(str(caught.exception), "Row 7, column 运费: 'abc' is not a number")
        self.assertEqual((caught.exception.row, caught.exception.column), (7, "运费"))

    def test_short_rows_padded_and_extra_cells_ignored(self):
        content = "运单号,运费,重量\nSF1,12\nSF2,13,1.5,extra,cells\n".encode()
        table = read_table("sf.csv", content, COURIER_ALIASES, COURIER_REQUIRED)
        self.assertIsNone(table.rows[0]["weight"])
        self.assertEqual(table.rows[1]["weight"], "1.5")
        self.assertEqual(set(table.rows[1]), {"tracking_ref", "ship_date", "weight", "fee", "_row"})

    def test_duplicate_header_first_wins(self):
        content = "运单号,运费,快递单号,运费\nSF1,12,OTHER,99\n".encode()
        table = read_table("sf.csv", content, COURIER_ALIASES, COURIER_REQUIRED)
        self.assertEqual(table.rows[0]["tracking_ref"], "SF1")
        self.assertEqual(table.rows[0]["fee"], "12")
        self.assertEqual(table.columns, {"tracking_ref": "运单号", "fee": "运费"})
        self.assertEqual(table.duplicate_columns, ["快递单号", "运费"])
        self.assertEqual(table.unknown_columns, [])

    def test_full_width_and_unit_header_variants(self):
        content = "运　单　号 ,重量（ＫＧ）,运费(元),Ship_Date\nSF1,1.5,12,2026-11-12\n".encode()
        table = read_table("sf.csv", content, COURIER_ALIASES, COURIER_REQUIRED)
        self.assertEqual(
            table.columns,
            {"tracking_ref": "运 单 号", "weight": "重量(KG)", "fee": "运费(元)", "ship_date": "Ship_Date"},
        )
        self.assertEqual(table.rows[0]["weight"], "1.5")
        self.assertEqual(table.rows[0]["ship_date"], "2026-11-12", "the canonical key matches too")

    def test_unit_suffix_matches_plain_alias_but_exact_alias_preferred(self):
        aliases = {"weight": ["重量"], "weight_kg": ["重量(kg)"], "tracking_ref": ["运单号"]}
        table = read_table("sf.csv", "运单号,重量(kg)\nSF1,2\n".encode(), aliases, ["tracking_ref"])
        self.assertEqual(table.columns, {"tracking_ref": "运单号", "weight_kg": "重量(kg)"})
        table = read_table("sf.csv", "运单号,重量(kg)\nSF1,2\n".encode(), COURIER_ALIASES, ["weight"])
        self.assertEqual(table.columns["weight"], "重量(kg)")

    def test_missing_required_column(self):
        content = "顺丰速运 2026年11月 对账单\n寄件日期,重量\n2026-11-12,1\n".encode()
        with self.assertRaises(TableError) as caught:
            read_table("sf.csv", content, COURIER_ALIASES, ["tracking_ref"])
        self.assertEqual(
            str(caught.exception), "No header row with the columns 运单号 found in the first 30 rows of 'sf.csv'."
        )
        self.assertEqual(caught.exception.template % caught.exception.params, str(caught.exception))

    def test_missing_required_column_names_best_candidate(self):
        content = "标题\n运单号,寄件日期\nSF1,2026-11-12\n".encode()
        with self.assertRaises(TableError) as caught:
            read_table("sf.csv", content, COURIER_ALIASES, COURIER_REQUIRED)
        self.assertEqual(
            str(caught.exception),
            "No header row with the columns 运单号, 运费 found in the first 30 rows of 'sf.csv': "
            "the closest, row 2, lacks 运费.",
        )
        self.assertEqual(caught.exception.row, 2)

    def test_header_below_scan_rows_not_found(self):
        content = ("说明\n" * 5 + "运单号,运费\nSF1,12\n").encode()
        with self.assertRaises(TableError) as caught:
            read_table("sf.csv", content, COURIER_ALIASES, COURIER_REQUIRED, scan_rows=5)
        self.assertIn("in the first 5 rows of 'sf.csv'", str(caught.exception))
        table = read_table("sf.csv", content, COURIER_ALIASES, COURIER_REQUIRED, scan_rows=6)
        self.assertEqual(table.header_row, 6)

    def test_header_only(self):
        table = read_table("sf.csv", "运单号,运费\n".encode(), COURIER_ALIASES, COURIER_REQUIRED)
        self.assertEqual((table.header_row, table.rows), (1, []))

    def test_format_detected_by_content_not_name(self):
        table = read_table("orders.xlsx", ORDER_CSV.encode(), ORDER_ALIASES, ORDER_REQUIRED)
        self.assertEqual(table.file_format, "csv")
        content = _xlsx([["运单号", "运费"], ["SF1", 12]])
        table = read_table("sf.csv", content, COURIER_ALIASES, COURIER_REQUIRED)
        self.assertEqual(table.file_format, "xlsx")
        self.assertEqual(table.rows[0]["fee"], 12)


class TestReadXlsx(BaseCase):
    def test_title_blank_rows_and_types(self):
        ordered = datetime.datetime(2026, 11, 11, 22, 45)
        content = _xlsx(
            [
                ["天猫订单导出 2026-11-11"],  # row 1: title
                [],  # row 2: blank
                ["平台订单号", "下单时间", "手机", "数量", "运费", "店铺"],  # row 3
                ["TMALL01-100001", ordered, "19038879107", 1, 6.5, "天猫旗舰店"],  # row 4
                [None, None, "  ", None, None, None],  # row 5: blank, skipped
                ["TMALL01-100002", datetime.date(2026, 11, 12), 17649490024, 2, 0],  # row 6
            ]
        )
        table = read_table("orders.xlsx", content, ORDER_ALIASES, ORDER_REQUIRED)
        self.assertEqual((table.file_format, table.encoding, table.sheet_name), ("xlsx", None, "订单"))
        self.assertEqual(table.header_row, 3)
        self.assertEqual(table.unknown_columns, ["店铺"])
        self.assertEqual([row["_row"] for row in table.rows], [4, 6])
        first, second = table.rows
        self.assertEqual(first["order_date"], ordered)
        self.assertIsInstance(first["order_date"], datetime.datetime)
        self.assertEqual(first["qty"], 1)
        self.assertEqual(first["freight"], 6.5)
        self.assertEqual(to_datetime(second["order_date"], second["_row"], "下单时间"), datetime.datetime(2026, 11, 12))
        self.assertEqual(to_text(second["phone"]), "17649490024")

    def test_wrong_dimension_written_by_exporter(self):
        content = _xlsx([["运单号", "运费"], ["SF1", 12], ["SF2", 13]])
        source, patched = io.BytesIO(content), io.BytesIO()
        with zipfile.ZipFile(source) as original, zipfile.ZipFile(patched, "w") as copy:
            for item in original.infolist():
                data = original.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    self.assertIn(b'<dimension ref="A1:B3"/>', data)
                    data = data.replace(b'<dimension ref="A1:B3"/>', b'<dimension ref="A1"/>')
                copy.writestr(item, data)
        table = read_table("sf.xlsx", patched.getvalue(), COURIER_ALIASES, COURIER_REQUIRED)
        self.assertEqual([(row["tracking_ref"], row["fee"]) for row in table.rows], [("SF1", 12), ("SF2", 13)])

    def test_sheet_by_name_and_index(self):
        book = openpyxl.Workbook()
        book.active.title = "说明"
        book.active["A1"] = "请看第二页"
        second = book.create_sheet("明细")
        second.append(["运单号", "运费"])
        second.append(["SF1", 12])
        buffer = io.BytesIO()
        book.save(buffer)
        content = buffer.getvalue()
        for sheet in ("明细", 1):
            with self.subTest(sheet=sheet):
                table = read_table("sf.xlsx", content, COURIER_ALIASES, COURIER_REQUIRED, sheet=sheet)
                self.assertEqual((table.sheet_name, table.rows[0]["tracking_ref"]), ("明细", "SF1"))
        with self.assertRaises(TableError) as caught:
            read_table("sf.xlsx", content, COURIER_ALIASES, COURIER_REQUIRED)
        self.assertIn("No header row with the columns 运单号, 运费", str(caught.exception))
        with self.assertRaises(TableError) as caught:
            read_table("sf.xlsx", content, COURIER_ALIASES, COURIER_REQUIRED, sheet="汇总")
        self.assertEqual(str(caught.exception), "Sheet '汇总' not found in 'sf.xlsx' (sheets: 说明, 明细).")

    def test_empty_workbook(self):
        with self.assertRaises(TableError) as caught:
            read_table("empty.xlsx", _xlsx([]), COURIER_ALIASES, COURIER_REQUIRED)
        self.assertEqual(str(caught.exception), "File 'empty.xlsx' is empty.")


class TestReadXls(BaseCase):
    def test_title_row_and_date_cell(self):
        sent = datetime.datetime(2026, 11, 12, 9, 30)
        content = _xls(
            [
                ["顺丰速运 2026年11月 对账单"],  # row 1
                [],  # row 2
                ["运单号", "寄件日期", "重量(kg)", "运费", "目的地"],  # row 3
                ["SF1400000000", sent, 3.82, 12, "杭州"],  # row 4
                [],  # row 5
                ["SF1400000001", "2026-11-13", 1.76, "12.5", "深圳"],  # row 6
            ]
        )
        self.assertTrue(content.startswith(b"\xd0\xcf\x11\xe0"))
        table = read_table("sf.xls", content, COURIER_ALIASES, COURIER_REQUIRED)
        self.assertEqual((table.file_format, table.sheet_name, table.header_row), ("xls", "对账单", 3))
        self.assertEqual(table.columns["weight"], "重量(kg)")
        self.assertEqual(table.unknown_columns, ["目的地"])
        self.assertEqual([row["_row"] for row in table.rows], [4, 6])
        first, second = table.rows
        self.assertEqual(first["ship_date"], sent)
        self.assertIsInstance(first["ship_date"], datetime.datetime)
        self.assertEqual(first["fee"], 12.0)
        self.assertIsInstance(first["fee"], float)
        self.assertEqual(to_decimal(first["weight"], first["_row"], "重量", digits=2), Decimal("3.82"))
        self.assertEqual(to_date(second["ship_date"], second["_row"], "寄件日期"), datetime.date(2026, 11, 13))
        self.assertEqual(to_decimal(second["fee"], second["_row"], "运费"), Decimal("12.5"))

    def test_sheet_selection(self):
        book = xlwt.Workbook(encoding="utf-8")
        book.add_sheet("说明").write(0, 0, "见第二页")
        detail = book.add_sheet("明细")
        detail.write(0, 0, "快递单号")
        detail.write(0, 1, "费用")
        detail.write(1, 0, "SF9")
        detail.write(1, 1, 8)
        buffer = io.BytesIO()
        book.save(buffer)
        for sheet in ("明细", 1, -1):
            with self.subTest(sheet=sheet):
                table = read_table("sf.xls", buffer.getvalue(), COURIER_ALIASES, COURIER_REQUIRED, sheet=sheet)
                self.assertEqual(table.rows[0]["tracking_ref"], "SF9")
                self.assertEqual(table.columns, {"tracking_ref": "快递单号", "fee": "费用"})
        with self.assertRaises(TableError) as caught:
            read_table("sf.xls", buffer.getvalue(), COURIER_ALIASES, COURIER_REQUIRED, sheet=5)
        self.assertEqual(str(caught.exception), "Sheet '5' not found in 'sf.xls' (sheets: 说明, 明细).")


class TestNotASpreadsheet(BaseCase):
    def assertNotSpreadsheet(self, filename, content):
        with self.assertRaises(TableError) as caught:
            read_table(filename, content, COURIER_ALIASES, COURIER_REQUIRED)
        self.assertEqual(str(caught.exception), NOT_SPREADSHEET % filename)
        return caught.exception

    def test_png(self):
        png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
        self.assertNotSpreadsheet("photo.csv", png)

    def test_pdf(self):
        pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
        error = self.assertNotSpreadsheet("x.pdf", pdf)
        self.assertEqual(error.params, {"filename": "x.pdf"})

    def test_corrupt_zip(self):
        self.assertNotSpreadsheet("orders.xlsx", b"PK\x03\x04" + b"this is not really a zip" * 10)

    def test_zip_without_workbook(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<document/>")
        self.assertNotSpreadsheet("letter.xlsx", buffer.getvalue())

    def test_corrupt_ole2(self):
        self.assertNotSpreadsheet("sf.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00\x01garbage" * 100)

    def test_random_binary_with_nul_bytes(self):
        self.assertNotSpreadsheet("data.bin", bytes(range(256)) * 4)
        self.assertNotSpreadsheet("data.csv", b"\x01\x02\x03abc,def\n")

    def test_undecodable_text(self):
        self.assertNotSpreadsheet("data.csv", "运单号,运费\n".encode() + b"SF1,\xff\xff\n")

    def test_password_protected_workbook(self):
        content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le")
        with self.assertRaises(TableError) as caught:
            read_table("orders.xlsx", content, COURIER_ALIASES, COURIER_REQUIRED)
        self.assertIn("is protected by a password", str(caught.exception))

    def test_html_saved_as_xls(self):
        content = "<html><body><table><tr><td>运单号</td></tr></table></body></html>".encode()
        with self.assertRaises(TableError) as caught:
            read_table("export.xls", content, COURIER_ALIASES, COURIER_REQUIRED)
        self.assertIn("is a web page or an XML export", str(caught.exception))

    def test_empty_file(self):
        for content in (b"", b"  \r\n", b"\xef\xbb\xbf", b",,\n,,\n"):
            with self.subTest(content=content):
                with self.assertRaises(TableError) as caught:
                    read_table("empty.csv", content, COURIER_ALIASES, COURIER_REQUIRED)
                self.assertEqual(str(caught.exception), "File 'empty.csv' is empty.")


class TestToDecimal(BaseCase):
    def test_numbers(self):
        cases = [
            (12, None, Decimal("12")),
            (382.8, None, Decimal("382.8")),
            (0.1 + 0.2, 2, Decimal("0.30")),
            (2.675, 2, Decimal("2.68")),  # half-up on the written value, not the binary float
            ("1,234.50", None, Decimal("1234.50")),
            ("¥12", None, Decimal("12")),
            ("￥ 1,200", 2, Decimal("1200.00")),
            ("12元", None, Decimal("12")),
            ("-¥3.5", None, Decimal("-3.5")),
            ("¥-3.5", None, Decimal("-3.5")),
            ("(3.00)", None, Decimal("-3.00")),
            ("１２．５", None, Decimal("12.5")),
            (" 0.2500 ", None, Decimal("0.2500")),
            ("1.2E+3", 0, Decimal("1200")),
            ("-0", 2, Decimal("0.00")),
            (Decimal("4.005"), 2, Decimal("4.01")),
        ]
        for value, digits, expected in cases:
            with self.subTest(value=value, digits=digits):
                result = to_decimal(value, 3, "运费", digits=digits)
                self.assertEqual(result, expected)
                self.assertEqual(str(result), str(expected))

    def test_blank_is_none(self):
        for value in (None, "", "  ", "\u3000"):
            with self.subTest(value=value):
                self.assertIsNone(to_decimal(value, 3, "运费"))

    def test_text_is_reported_with_row_and_column(self):
        with self.assertRaises(TableError) as caught:
            to_decimal("abc", 7, "运费")
        error = caught.exception
        self.assertEqual(str(error), "Row 7, column 运费: 'abc' is not a number")
        self.assertEqual((error.row, error.column), (7, "运费"))
        self.assertEqual(error.template, TEMPLATE_NOT_A_NUMBER)
        self.assertEqual(error.params, {"row": 7, "column": "运费", "value": "abc"})
        self.assertIsInstance(error, ValueError)

    def test_invalid_values(self):
        for value in ("1,5", "12.3.4", "--", "¥", "1 234", True, float("nan"), float("inf"), datetime.date.today()):
            with self.subTest(value=value):
                with self.assertRaises(TableError):
                    to_decimal(value, 2, "单价")

    def test_long_value_is_cut_in_message(self):
        with self.assertRaises(TableError) as caught:
            to_decimal("x" * 500, 2, "单价")
        self.assertLess(len(str(caught.exception)), 120)


class TestToText(BaseCase):
    def test_values(self):
        cases = [
            (None, ""),
            ("", ""),
            (19038879107.0, "19038879107"),
            (3.82, "3.82"),
            (12, "12"),
            (Decimal("5.000"), "5"),
            (datetime.datetime(2026, 11, 11, 22, 45), "2026-11-11 22:45:00"),
            (datetime.date(2026, 11, 11), "2026-11-11"),
            ("  刘\u3000洋 \n", "刘 洋"),
            ("ＴＭ－ＴＥＡ", "TM-TEA"),
        ]
        for value, expected in cases:
            with self.subTest(value=value):
                self.assertEqual(to_text(value), expected)


class TestToDatetime(BaseCase):
    def test_accepted_values(self):
        expected = datetime.datetime(2026, 11, 11, 22, 45)
        serial = (expected - datetime.datetime(1899, 12, 30)).total_seconds() / 86400
        cases = [
            (expected, expected),
            (datetime.date(2026, 11, 11), datetime.datetime(2026, 11, 11)),
            ("2026-11-11 22:45:00", expected),
            ("2026/11/11 22:45", expected),
            (" 2026-11-11T22:45:00 ", expected),
            ("2026-11-11", datetime.datetime(2026, 11, 11)),
            ("2026/1/5", datetime.datetime(2026, 1, 5)),
            ("2026年11月11日 22:45", expected),
            ("２０２６－１１－１１　２２：４５", expected),
            ("20261111", datetime.datetime(2026, 11, 11)),
            (20261111, datetime.datetime(2026, 11, 11)),
            (serial, expected),
            (46337, datetime.datetime(2026, 11, 11)),
        ]
        for value, result in cases:
            with self.subTest(value=value):
                self.assertEqual(to_datetime(value, 2, "下单时间"), result)

    def test_blank_is_none(self):
        self.assertIsNone(to_datetime(None, 2, "下单时间"))
        self.assertIsNone(to_datetime("  ", 2, "下单时间"))
        self.assertIsNone(to_date("", 2, "寄件日期"))

    def test_invalid_values_name_row_and_column(self):
        with self.assertRaises(TableError) as caught:
            to_datetime("abc", 4, "下单时间")
        self.assertEqual(str(caught.exception), "Row 4, column 下单时间: 'abc' is not a date and time")
        self.assertEqual((caught.exception.row, caught.exception.column), (4, "下单时间"))
        for value in ("2026-13-01", "2026-11-11 25:00", "11/11/2026", "123", True, 0, -5, 1e12):
            with self.subTest(value=value):
                with self.assertRaises(TableError):
                    to_datetime(value, 4, "下单时间")

    def test_to_date(self):
        self.assertEqual(to_date(datetime.datetime(2026, 11, 11, 22, 45), 2, "x"), datetime.date(2026, 11, 11))
        self.assertEqual(to_date(datetime.date(2026, 11, 12), 2, "x"), datetime.date(2026, 11, 12))
        self.assertEqual(to_date("2026-11-11 22:45:00", 2, "x"), datetime.date(2026, 11, 11))
        self.assertEqual(to_date("2026.11.12", 2, "x"), datetime.date(2026, 11, 12))
        with self.assertRaises(TableError) as caught:
            to_date("明天", 9, "寄件日期")
        self.assertEqual(str(caught.exception), "Row 9, column 寄件日期: '明天' is not a date")


class TestTableError(BaseCase):
    def test_plain_message(self):
        error = TableError("Row 3: unknown SKU 'X'", row=3)
        self.assertEqual(str(error), "Row 3: unknown SKU 'X'")
        self.assertEqual(
            (error.template, error.params, error.row, error.column), ("Row 3: unknown SKU 'X'", {}, 3, None)
        )

    def test_template_can_be_translated_before_formatting(self):
        error = TableError("Row %(row)s is wrong", {"row": 5}, row=5)
        self.assertEqual(str(error), "Row 5 is wrong")
        translated = "第 %(row)s 行有误"  # what a translation of the template would give
        self.assertEqual(translated % error.params, "第 5 行有误")


ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def _ods_cell(value):
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, datetime.date):
        return f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}"/>'
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'


def _ods(sheets):
    """An OpenDocument spreadsheet, as LibreOffice saves one: {sheet name: rows}."""
    tables = "".join(
        f'<table:table table:name="{name}">'
        + "".join("<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>" for row in rows)
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


class TestReadCalamineSpecifics(BaseCase):
    """Workbooks are read by python-calamine, whose values differ from
    openpyxl's and xlrd's: the table must not see the difference."""

    def test_numeric_tracking_number_xlsx(self):
        content = _xlsx([["运单号", "运费", "重量"], [773012345678, 12, 1.5], [773012345679.0, 12.5, 2]])
        first, second = read_table("sf.xlsx", content, COURIER_ALIASES, COURIER_REQUIRED).rows
        self.assertEqual((first["tracking_ref"], second["tracking_ref"]), (773012345678, 773012345679))
        self.assertIsInstance(first["tracking_ref"], int)
        self.assertEqual(to_text(second["tracking_ref"]), "773012345679")
        self.assertEqual((first["fee"], first["weight"], second["fee"], second["weight"]), (12, 1.5, 12.5, 2))
        self.assertEqual(str(to_decimal(first["fee"], 2, "运费")), "12")

    def test_numeric_tracking_number_xls(self):
        content = _xls([["运单号", "运费"], [773012345678, 12]])
        (row,) = read_table("sf.xls", content, COURIER_ALIASES, COURIER_REQUIRED).rows
        self.assertEqual((row["tracking_ref"], row["fee"]), (773012345678.0, 12.0))
        self.assertIsInstance(row["fee"], float)  # xlrd gave every number as a float
        self.assertEqual(to_text(row["tracking_ref"]), "773012345678")

    def test_date_cell_is_a_datetime(self):
        content = _xlsx([["运单号", "寄件日期", "运费"], ["SF1", datetime.date(2026, 11, 12), 12]])
        (row,) = read_table("sf.xlsx", content, COURIER_ALIASES, COURIER_REQUIRED).rows
        self.assertEqual(row["ship_date"], datetime.datetime(2026, 11, 12))
        self.assertIsInstance(row["ship_date"], datetime.datetime)
        self.assertEqual(to_text(row["ship_date"]), "2026-11-12 00:00:00")
        content = _xls([["运单号", "寄件日期", "运费"], ["SF1", datetime.datetime(2026, 11, 12), 12]])
        (row,) = read_table("sf.xls", content, COURIER_ALIASES, COURIER_REQUIRED).rows
        self.assertEqual(row["ship_date"], datetime.datetime(2026, 11, 12))
        self.assertIsInstance(row["ship_date"], datetime.datetime)

    def test_error_cell_read_as_its_text(self):
        book = openpyxl.Workbook()
        book.active.append(["运单号", "目的地", "运费"])
        book.active.append(["SF1", None, 12])
        book.active["B2"] = "#N/A"
        book.active["B2"].data_type = "e"
        buffer = io.BytesIO()
        book.save(buffer)
        (row,) = read_table(
            "sf.xlsx", buffer.getvalue(), {**COURIER_ALIASES, "city": ["目的地"]}, COURIER_REQUIRED
        ).rows
        self.assertEqual(row["city"], "#N/A")
        book = xlwt.Workbook(encoding="utf-8")
        sheet = book.add_sheet("对账单")
        for col, value in enumerate(["运单号", "目的地", "运费"]):
            sheet.write(0, col, value)
        sheet.write(1, 0, "SF1")
        sheet.write(1, 1, xlwt.Formula("1/0"))
        sheet.write(1, 2, 12)
        buffer = io.BytesIO()
        book.save(buffer)
        (row,) = read_table("sf.xls", buffer.getvalue(), {**COURIER_ALIASES, "city": ["目的地"]}, COURIER_REQUIRED).rows
        self.assertIsNone(row["city"])  # xlwt writes no cached result: empty for xlrd too

    def test_ods(self):
        content = _ods(
            {
                "说明": [["见第二页"]],
                "明细": [
                    ["顺丰 2026年11月 对账单"],
                    [],
                    ["运单号", "寄件日期", "重量(kg)", "运费"],
                    [773012345678, datetime.date(2026, 11, 12), 3.82, 12],
                    [None, None, None, None],
                    ["SF1400000001", "2026-11-13", None, "12.5"],
                ],
            }
        )
        for sheet in ("明细", 1):
            with self.subTest(sheet=sheet):
                table = read_table("sf.ods", content, COURIER_ALIASES, COURIER_REQUIRED, sheet=sheet)
                self.assertEqual((table.file_format, table.sheet_name, table.header_row), ("ods", "明细", 3))
                self.assertEqual([row["_row"] for row in table.rows], [4, 6])
                first, second = table.rows
                self.assertEqual(to_text(first["tracking_ref"]), "773012345678")
                self.assertEqual(first["ship_date"], datetime.datetime(2026, 11, 12))
                self.assertEqual((first["weight"], first["fee"]), (3.82, 12))
                self.assertEqual(
                    (second["tracking_ref"], second["weight"], second["fee"]), ("SF1400000001", None, "12.5")
                )
        with self.assertRaises(TableError) as caught:
            read_table("sf.ods", content, COURIER_ALIASES, COURIER_REQUIRED, sheet="汇总")
        self.assertEqual(str(caught.exception), "Sheet '汇总' not found in 'sf.ods' (sheets: 说明, 明细).")
