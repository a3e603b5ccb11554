# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io

import openpyxl

from odoo.tests import TransactionCase

from .common import ORDER_HEADER, JobsMixin, OmniOrderTestMixin, b64, csv_bytes

ROWS_CSV = """\
TMALL01,F-1,2026-11-11 22:45:00,buyer_1,刘洋,19038879107,江苏省,南京市,鼓楼区,建国路685号,TM-TEA-250G,1,99.0,6,货到付款,390.0,
TMALL01,F-1,2026-11-11 16:30:00,buyer_1,刘洋,19038879107,江苏省,南京市,鼓楼区,建国路685号,TM-HONEY-500G,3,29.0,6,货到付款,390.0,
TMALL01,F-1,2026-11-11 09:21:00,buyer_1,刘洋,19038879107,江苏省,南京市,鼓楼区,建国路685号,TM-GIFT-BOX,2,99.0,6,货到付款,390.0,
TMALL01,F-2,2026-11-11 14:48:00,buyer_2,赵敏,17649490024,广东省,深圳市,南山区,中山北路962号,TM-CUP-SET,2,128.0,0,在线支付,256.0,
TMALL01,F-3,2026-11-11 06:54:00,buyer_4,赵敏,17452106090,广东省,深圳市,南山区,科技园南路143号,TM-UNKNOWN,1,99.0,6,货到付款,105.0,
"""  # noqa: E501
ROWS = [line.split(",") for line in ROWS_CSV.splitlines()]
MAPPING_HEADER = ["平台单位编码", "平台商家编码", "内部编码", "数量"]


class TestFileImport(JobsMixin, OmniOrderTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.Order = cls.env["omni.order"]

    def test_csv_file_stages_groups_and_confirms(self):
        summary = self.Order.import_file("orders_TMALL01.csv", b64(csv_bytes(ROWS)))
        self.assertEqual((summary["created"], summary["duplicates"], summary["exceptions"]), (2, 0, 1), summary)
        self.assertEqual(summary["errors"], [])
        f1 = self.Order.search([("platform_order_no", "=", "F-1")])
        self.assertEqual(len(f1.line_ids), 3)
        self.assertEqual(f1.state, "confirmed")
        self.assertEqual(f1.payment_method, "cod")
        # earliest line time, Shanghai -> UTC
        self.assertEqual(str(f1.order_time), "2026-11-11 01:21:00")
        self.assertIn('"_row": 2', f1.raw_payload, "the file rows are kept on the order")
        f3 = self.Order.search([("platform_order_no", "=", "F-3")])
        self.assertEqual(f3.state, "exception")
        import_file = self.env["omni.import.file"].browse(summary["import_file_id"])
        self.assertEqual(import_file.state, "partial")
        self.assertEqual(import_file.order_count, 3)
        self.assertEqual(import_file.confirmed_count, 2)
        self.assertTrue(import_file.data, "the file itself is kept")

    def test_reupload_is_all_duplicates(self):
        self.Order.import_file("a.csv", b64(csv_bytes(ROWS)))
        summary = self.Order.import_file("a (copy).csv", b64(csv_bytes(ROWS)))
        self.assertEqual((summary["created"], summary["duplicates"], summary["exceptions"]), (0, 3, 0))
        self.assertEqual(self.Order.search_count([("channel_id", "=", self.channel.id)]), 3)

    def test_gbk_with_title_and_blank_rows(self):
        content = csv_bytes(
            ROWS[3:4] + [[""] * 17] + ROWS[4:], encoding="gbk", title_rows=[["天猫订单导出 2026-11-11"], []]
        )
        summary = self.Order.import_file("gbk.csv", b64(content))
        self.assertEqual((summary["created"], summary["exceptions"]), (1, 1), summary)
        order = self.Order.search([("platform_order_no", "=", "F-2")])
        self.assertEqual(order.receiver_name, "赵敏")
        self.assertEqual(self.env["omni.import.file"].browse(summary["import_file_id"]).encoding, "gb18030")

    def test_xlsx_file(self):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["订单导出"])
        sheet.append(ORDER_HEADER)
        for row in ROWS[:4]:
            values = list(row)
            values[11], values[12], values[15] = float(values[11]), float(values[12]), float(values[15])
            sheet.append(values)
        buffer = io.BytesIO()
        workbook.save(buffer)
        summary = self.Order.import_file("orders.xlsx", b64(buffer.getvalue()))
        self.assertEqual((summary["created"], summary["exceptions"]), (2, 0), summary)

    def test_not_a_workbook_is_refused_with_message_and_kept(self):
        summary = self.Order.import_file("orders.xlsx", b64(b"%PDF-1.4 not a workbook \x00\x01"))
        self.assertEqual(summary["created"], 0)
        self.assertIn("is not a spreadsheet", summary["errors"][0]["message"])
        import_file = self.env["omni.import.file"].browse(summary["import_file_id"])
        self.assertEqual(import_file.state, "failed")
        self.assertEqual(base64.b64decode(import_file.with_context(bin_size=False).data)[:4], b"%PDF")

    def test_missing_columns_named(self):
        summary = self.Order.import_file("x.csv", b64(csv_bytes([["a", "b"]], header=["foo", "bar"])))
        self.assertIn("平台单位编码", summary["errors"][0]["message"])

    def test_unknown_unit_code_and_bad_number_by_row(self):
        rows = [list(ROWS[3]), list(ROWS[4])]
        rows[0][0] = "NOPE"
        rows[1][11] = "abc"
        summary = self.Order.import_file("bad.csv", b64(csv_bytes(rows)))
        self.assertEqual(summary["created"], 0)
        messages = {e["row"]: e["message"] for e in summary["errors"]}
        self.assertIn("NOPE", messages[2])
        self.assertIn("'abc' is not a number", messages[3])
        import_file = self.env["omni.import.file"].browse(summary["import_file_id"])
        self.assertEqual(len(import_file.error_ids), 2)

    def test_wizard_imports_and_opens_result(self):
        wizard = self.env["omni.order.import.wizard"].create(
            {"kind": "orders", "data": b64(csv_bytes(ROWS[:3])), "filename": "w.csv"}
        )
        action = wizard.action_import()
        import_file = self.env["omni.import.file"].browse(action["res_id"])
        self.assertEqual(import_file.created_count, 1)
        self.assertEqual(import_file.state, "done")

    def test_large_file_is_imported_by_a_job(self):
        from ..wizards import omni_order_import_wizard

        content = csv_bytes(ROWS)
        wizard = self.env["omni.order.import.wizard"].create(
            {"kind": "orders", "data": b64(content), "filename": "big.csv"}
        )
        threshold = omni_order_import_wizard.BACKGROUND_IMPORT_BYTES
        omni_order_import_wizard.BACKGROUND_IMPORT_BYTES = len(content) - 1
        try:
            action = wizard.action_import()
        finally:
            omni_order_import_wizard.BACKGROUND_IMPORT_BYTES = threshold
        import_file = self.env["omni.import.file"].browse(action["res_id"])
        self.assertEqual(import_file.state, "draft")
        self.assertFalse(import_file.order_ids)
        self._perform_jobs("_process_in_background")
        self.assertEqual(import_file.state, "partial")
        self.assertEqual(import_file.order_count, 3)
        self.assertFalse(import_file._process_in_background(), "a second run imports nothing")
        self.assertEqual(self.Order.search_count([("channel_id", "=", self.channel.id)]), 3)


class TestMappingImport(OmniOrderTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.Mapping = cls.env["omni.product.mapping"]
        cls.env["product.product"].create({"name": "Spoon", "default_code": "SPOON", "is_storable": True})

    def test_import_create_then_duplicates_then_update(self):
        rows = [["TMALL01", "TM-SPOON-SET", "SPOON", "6.0000"], ["TMALL01", "TM-SET2", "SPOON", "1.5"],
                ["TMALL01", "TM-SET2", "CUP", "2.2500"]]  # fmt: skip
        summary = self.Mapping.import_file("map.csv", b64(csv_bytes(rows, header=MAPPING_HEADER)))
        self.assertEqual((summary["created"], summary["duplicates"], summary["errors"]), (3, 0, []))
        bundle = self.Mapping.search([("platform_sku", "=", "TM-SET2")])
        self.assertEqual(len(bundle), 2)
        self.assertTrue(all(bundle.mapped("is_bundle")))
        self.assertAlmostEqual(bundle.filtered(lambda m: m.product_id == self.cup).quantity, 2.25)
        summary = self.Mapping.import_file("map.csv", b64(csv_bytes(rows, header=MAPPING_HEADER)))
        self.assertEqual((summary["created"], summary["duplicates"]), (0, 3))
        rows[0][3] = "0.1234"
        summary = self.Mapping.import_file("map.csv", b64(csv_bytes(rows, header=MAPPING_HEADER, encoding="gbk")))
        self.assertEqual((summary["updated"], summary["duplicates"]), (1, 2))
        self.assertAlmostEqual(self.Mapping.search([("platform_sku", "=", "TM-SPOON-SET")]).quantity, 0.1234, places=4)

    def test_bundle_with_unknown_code_is_refused_whole(self):
        rows = [["TMALL01", "TM-BOX", "SPOON", "1"], ["TMALL01", "TM-BOX", "GHOST", "1"],
                ["TMALL01", "TM-OK", "SPOON", "2"]]  # fmt: skip
        summary = self.Mapping.import_file("map.csv", b64(csv_bytes(rows, header=MAPPING_HEADER)))
        self.assertEqual(summary["created"], 1)
        self.assertEqual(summary["exceptions"], 2)
        [error] = summary["errors"]
        self.assertEqual(error["row"], 3)
        self.assertIn("unknown internal code 'GHOST'", error["message"])
        self.assertIn("TM-BOX not imported", error["message"])
        self.assertFalse(self.Mapping.search([("platform_sku", "=", "TM-BOX")]))

    def test_archived_product_cannot_be_mapped(self):
        spoon = self.env["product.product"].search([("default_code", "=", "SPOON")])
        spoon.active = False
        with self.assertRaises(Exception) as err:
            self.Mapping.create({"channel_id": self.channel.id, "platform_sku": "X", "product_id": spoon.id})
        self.assertIn("archived", str(err.exception))
