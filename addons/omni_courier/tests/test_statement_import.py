# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import json

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase

from odoo.addons.omni_base.tools import guard
from odoo.addons.omni_order.tests.common import JobsMixin

from .common import DATA, CourierTestMixin, b64, csv_bytes, xls_bytes, xlsx_bytes

TITLE = [["顺丰速运 月结对账单"], ["客户: 测试公司", "", "账期: 2026-11"]]


class TestStatementImport(JobsMixin, CourierTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_courier()

    def test_every_line_state(self):
        statement = self._import(xlsx_bytes(self.STATEMENT_ROWS))
        self.assertEqual(statement.state, "to_resolve", "differences wait for their resolution")
        self.assertEqual(statement.carrier_id, self.carrier)
        self.assertEqual(statement.date_from, datetime.date(2026, 11, 21))
        self.assertEqual(statement.date_to, datetime.date(2026, 11, 23))
        # header row 1: the data starts on row 2
        self.assertEqual(
            self._states(statement),
            {
                (2, "SF1001"): "matched",
                (3, "SF1002"): "matched",
                (4, "SF1003"): "cod_diff",
                (5, "SF1004"): "weight_diff",
                (6, "SF1005"): "fee_diff",
                (7, "ZT1007"): "unknown",
                (8, "SF9999"): "unknown",
                (9, "SF1001"): "duplicate",
                (0, "SF1006"): "missing",
            },
        )
        lines = {(line.tracking_no, line.state): line for line in statement.line_ids}
        volumetric = lines["SF1002", "matched"]
        self.assertEqual(volumetric.chargeable_weight, 4.0, "40 × 30 × 20 / 6000 beats 0.8 kg")
        self.assertEqual(volumetric.expected_fee, 16.0)
        self.assertEqual(volumetric.picking_id, self.pickings["SF1002"])
        self.assertEqual(volumetric.province, "浙江省")
        cod = lines["SF1003", "cod_diff"]
        self.assertEqual(cod.expected_cod, 105.0)
        self.assertEqual(cod.cod_diff, -5.0)
        self.assertEqual(cod.expected_fee, 21.05, "20 freight + 1 % COD fee")
        weight = lines["SF1004", "weight_diff"]
        self.assertAlmostEqual(weight.weight_diff, 1.5)
        self.assertEqual(weight.fee_diff, 4.0)
        fee = lines["SF1005", "fee_diff"]
        self.assertEqual((fee.expected_fee, fee.fee_diff), (10.0, 1.0))
        self.assertIn("ZTO", lines["ZT1007", "unknown"].note)
        self.assertIn("row 2", lines["SF1001", "duplicate"].note)
        self.assertEqual(lines["SF1001", "duplicate"].expected_fee, 0.0)
        missing = lines["SF1006", "missing"]
        self.assertEqual((missing.picking_id, missing.expected_fee), (self.pickings["SF1006"], 10.0))
        raw = json.loads(lines["SF1003", "cod_diff"].raw_values)
        self.assertEqual(raw["代收货款"], "100")
        # totals
        self.assertEqual(statement.line_count, 8)
        self.assertEqual(statement.matched_count, 2)
        self.assertEqual(statement.difference_count, 6)
        self.assertEqual(statement.missing_count, 1)
        self.assertAlmostEqual(statement.billed_fee_total, 12 + 16 + 21.05 + 14 + 11 + 10 + 15 + 12)
        self.assertAlmostEqual(statement.expected_fee_total, 12 + 16 + 21.05 + 10 + 10)
        self.assertAlmostEqual(statement.fee_diff_total, statement.billed_fee_total - statement.expected_fee_total)
        self.assertEqual((statement.billed_cod_total, statement.expected_cod_total), (100.0, 105.0))
        self.assertEqual(statement.attachment_id.res_id, statement.id)

    def test_tolerance(self):
        self.carrier.omni_fee_tolerance = 1.0
        statement = self._import(xlsx_bytes([["SF1005", "2026-11-22", "南京", 1.0, 11, 0]]))
        line = statement.line_ids.filtered(lambda ln: ln.tracking_no == "SF1005")
        self.assertEqual(line.state, "matched", "1.00 difference within a 1.00 tolerance")
        self.assertEqual(line.fee_diff, 1.0)

    def test_header_found_below_titles_and_blank_rows_xlsx(self):
        rows = self.STATEMENT_ROWS[:3]
        statement = self._import(xlsx_bytes(rows, title_rows=TITLE + [[]], blank_after=1))
        self.assertEqual(
            sorted(statement.line_ids.filtered(lambda ln: ln.state != "missing").mapped("row_no")), [5, 7, 8]
        )
        self.assertEqual(statement.matched_count, 2)

    def test_header_found_below_titles_and_blank_rows_xls(self):
        rows = self.STATEMENT_ROWS[:3]
        statement = self._import(xls_bytes(rows, title_rows=TITLE + [[]], blank_after=2), filename="sf.xls")
        lines = statement.line_ids.filtered(lambda ln: ln.state != "missing")
        self.assertEqual(sorted(lines.mapped("row_no")), [5, 6, 8])
        self.assertEqual(sorted(lines.mapped("state")), ["cod_diff", "matched", "matched"])

    def test_gbk_csv(self):
        content = csv_bytes(self.STATEMENT_ROWS[:2], title_rows=TITLE, encoding="gbk")
        with self.assertRaises(UnicodeDecodeError):
            content.decode("utf-8")
        statement = self._import(content, filename="sf.csv")
        self.assertEqual(statement.matched_count, 2)
        self.assertEqual(statement.line_ids.filtered(lambda ln: ln.row_no == 4).destination, "南京")

    def test_texts_written_as_read(self):
        # the lines are written with COPY: quotes, commas, line breaks, backslashes and a literal \N stay
        # texts, a blank cell stays empty; a tracking number typed as a number keeps no '.0'
        destinations = ['南京 "新街口", 1号', "杭州\n西湖", "C:\\temp\\N", "\\N", None]
        rows = [["SF1001", "2026-11-21", destinations[0], 1.2, 12, 0]]
        rows += [[f"SF900{i}", "2026-11-21", text, 1.0, 10, 0] for i, text in enumerate(destinations[1:])]
        rows.append([773012345678, "2026-11-21", "深圳", 1.0, 10, 0])
        statement = self._import(xlsx_bytes(rows), filename="texts.xlsx")
        lines = statement.line_ids.filtered(lambda ln: ln.state != "missing").sorted("row_no")
        # (the destination is normalised text: the line break is a space)
        self.assertEqual(lines.mapped("destination")[:5], [destinations[0], "杭州 西湖", *destinations[2:4], False])
        self.assertEqual(lines[-1].tracking_no, "773012345678")
        self.assertEqual(lines[-1].state, "unknown")
        self.assertEqual(json.loads(lines[-1].raw_values)["运单号"], "773012345678")
        self.assertEqual(lines[0].state, "matched")
        self.assertEqual(lines[0].create_uid, self.env.user)

    def test_sample_files(self):
        # the samples bill parcels SF1400000000..14; one of them is ours
        self._ship("CR-S", "SF", "SF1400000000", "浙江省", 3.82, (0, 0, 0), 20)
        xls = self._import((DATA / "courier_SF_2026-11.xls").read_bytes(), filename="courier_SF_2026-11.xls")
        self.assertEqual(xls.line_count, 15)
        self.assertEqual(xls.date_from, datetime.date(2026, 11, 12))
        line = xls.line_ids.filtered(lambda ln: ln.tracking_no == "SF1400000000")
        # 3.82 kg (3.9 chargeable) to 浙江: 10 + 3 × 2 = 16, the courier bills 12 at the same weight
        self.assertEqual((line.state, line.expected_fee, line.billed_fee), ("fee_diff", 16.0, 12.0))
        self.assertEqual(line.weight_diff, 0.0)
        self.assertEqual(line.destination, "杭州")
        self.assertEqual(xls.line_ids.filtered(lambda ln: ln.tracking_no == "SF1400000001").state, "unknown")
        # the same statement as .xlsx: another file, but every number is billed already
        xlsx = self._import((DATA / "courier_SF_2026-11.xlsx").read_bytes(), filename="courier_SF_2026-11.xlsx")
        self.assertNotEqual(xlsx, xls)
        self.assertEqual(xlsx.line_count, 15)
        self.assertEqual(set(xlsx.line_ids.mapped("state")), {"duplicate"})
        self.assertIn(xls.name, xlsx.line_ids[0].note)

    def test_reimport_returns_the_same_statement(self):
        content = xlsx_bytes(self.STATEMENT_ROWS)
        statement = self._import(content)
        count = len(statement.line_ids)
        again = self._import(content, filename="renamed.xlsx")
        self.assertEqual(again, statement)
        self.assertEqual(len(statement.line_ids), count)
        self.assertEqual(self.env["courier.statement"].search_count([("carrier_id", "=", self.carrier.id)]), 1)

    def test_numbers_billed_by_an_earlier_statement_are_duplicates(self):
        first = self._import(xlsx_bytes(self.STATEMENT_ROWS[:2]))
        second = self._import(xlsx_bytes([self.STATEMENT_ROWS[1], self.STATEMENT_ROWS[4]]))
        line = second.line_ids.filtered(lambda ln: ln.tracking_no == "SF1002")
        self.assertEqual(line.state, "duplicate")
        self.assertIn(first.name, line.note)
        # parcels billed by the first statement are not missing from the second
        self.assertNotIn("SF1001", second.line_ids.filtered(lambda ln: ln.state == "missing").mapped("tracking_no"))

    def test_reconciling_the_earlier_statement_again_keeps_its_lines(self):
        first = self._import(xlsx_bytes(self.STATEMENT_ROWS[:2]))
        second = self._import(xlsx_bytes([self.STATEMENT_ROWS[1], self.STATEMENT_ROWS[4]]))
        first.action_reconcile()
        line = first.line_ids.filtered(lambda ln: ln.tracking_no == "SF1002")
        self.assertEqual(
            line.state, "matched", "a later statement billing the number again does not make it a duplicate"
        )
        self.assertFalse(line.note)
        second.action_reconcile()
        line = second.line_ids.filtered(lambda ln: ln.tracking_no == "SF1002")
        self.assertEqual(line.state, "duplicate")
        self.assertIn(first.name, line.note)

    def test_reconcile_again_after_a_rate_card_correction(self):
        statement = self._import(xlsx_bytes(self.STATEMENT_ROWS))
        fee_line = statement.line_ids.filtered(lambda ln: ln.tracking_no == "SF1005")
        fee_line.action_dispute()
        self.assertEqual(fee_line.resolution, "disputed")
        self.carrier.omni_rate_ids[0].first_price = 11  # the courier was right
        statement.action_reconcile()
        self.assertEqual(fee_line.state, "matched")
        self.assertFalse(fee_line.resolution, "a resolution of a changed state is cleared")
        self.assertEqual(len(statement.line_ids.filtered(lambda ln: ln.state == "missing")), 1)
        self.assertEqual(len(statement.line_ids), 9)

    def test_not_a_spreadsheet(self):
        with self.assertRaisesRegex(UserError, "not a spreadsheet"):
            self._import(b"%PDF-1.4 binary \x00\x01", filename="bill.pdf")
        self.assertFalse(self.env["courier.statement"].search([]))

    def test_messages_in_chinese(self):
        rows = [list(r) for r in self.STATEMENT_ROWS[:2]]
        rows[1][4] = "abc"
        rows[0][0] = None
        Statement = self.env["courier.statement"].with_context(lang="zh_CN")
        if not self.env["res.lang"]._lang_get("zh_CN"):
            self.env["res.lang"]._activate_lang("zh_CN")
            self.env["ir.module.module"].search(
                [("name", "in", ("omni_channel", "omni_courier"))]
            )._update_translations(["zh_CN"])
        with self.assertRaises(UserError) as err:
            Statement.import_file("SF", "sf.xlsx", b64(xlsx_bytes(rows)))
        message = str(err.exception)
        self.assertIn("未导入", message)
        self.assertIn("第 2 行：运单号（运单号）为空", message)
        self.assertNotIn("is not a number", message)

    def test_missing_tracking_column(self):
        header = ["单据", "寄件日期", "目的地", "重量(kg)", "运费", "代收货款"]
        with self.assertRaisesRegex(UserError, "运单号"):
            self._import(xlsx_bytes(self.STATEMENT_ROWS[:2], header=header))
        self.assertFalse(self.env["courier.statement"].search([]))

    def test_text_in_amount_columns_refuses_the_whole_file(self):
        rows = [list(r) for r in self.STATEMENT_ROWS[:4]]
        rows[1][4] = "十六元"
        rows[3][5] = "n/a"
        with self.assertRaises(UserError) as err:
            self._import(xlsx_bytes(rows))
        message = str(err.exception)
        self.assertIn("Row 3, column 运费", message)
        self.assertIn("Row 5, column 代收货款", message)
        self.assertIn("nothing was recorded", message)
        self.assertFalse(self.env["courier.statement"].search([]))
        self.assertFalse(self.env["courier.statement.line"].search([]))

    def test_refused_file_gives_its_statement_number_back(self):
        first = self._import(xlsx_bytes(self.STATEMENT_ROWS[:1]))
        rows = [list(r) for r in self.STATEMENT_ROWS[1:3]]
        rows[0][4] = "十六元"
        with self.assertRaises(UserError):
            self._import(xlsx_bytes(rows))
        second = self._import(xlsx_bytes(self.STATEMENT_ROWS[1:3]))
        prefix, number = first.name.rsplit("/", 1)
        self.assertEqual(second.name, f"{prefix}/{int(number) + 1:05d}", "no number lost to the refused file")

    def test_line_list_opens_on_what_is_to_resolve(self):
        statement = self._import(xlsx_bytes(self.STATEMENT_ROWS))
        self.assertEqual(statement.action_open_lines()["context"]["search_default_unresolved"], 1)
        action = self.env["ir.actions.act_window"]._for_xml_id("omni_courier.action_courier_statement_line")
        self.assertIn("search_default_unresolved", action["context"])

    def test_statement_of_another_courier(self):
        self.pickings["ZT2001"] = self._ship("CR-Z", "ZTO", "ZT2001", "江苏省", 1.0, (0, 0, 0), 30)
        rows = [["ZT1007", "2026-11-23", "南京", 1, 10, 0], ["ZT2001", "2026-11-23", "南京", 1, 10, 0]]
        with self.assertRaisesRegex(UserError, "statement of courier ZTO"):
            self._import(xlsx_bytes(rows))
        statement = self._import(xlsx_bytes(rows), code="ZTO")
        self.assertEqual(statement.carrier_id, self.zto)
        with self.assertRaisesRegex(UserError, "none of its 1 tracking numbers"):
            self._import(xlsx_bytes([["XX0001", "2026-11-23", "南京", 1, 10, 0]]))
        with self.assertRaisesRegex(ValidationError, "No courier with code 'YD'"):
            self._import(xlsx_bytes(rows), code="YD")

    def test_settled_statement_cannot_change(self):
        statement = self._import(xlsx_bytes(self.STATEMENT_ROWS[:2]))
        guard.internal(statement).write({"state": "settled"})
        with self.assertRaises(UserError):
            statement.write({"date_to": "2026-11-30"})
        with self.assertRaises(UserError):
            statement.line_ids[:1].write({"resolution_note": "late"})
        with self.assertRaises(UserError):
            statement.unlink()
        with self.assertRaises(UserError):
            statement.action_reconcile()

    def test_resolution_in_the_form(self):
        from odoo.tests import Form

        statement = self._import(xlsx_bytes(self.STATEMENT_ROWS))
        index = statement.line_ids.ids.index(statement.line_ids.filtered(lambda ln: ln.tracking_no == "SF1005").id)
        with Form(statement) as form, form.line_ids.edit(index) as line:
            line.resolution = "disputed"
            line.resolution_note = "our rate card says 10"
        fee_line = statement.line_ids.filtered(lambda ln: ln.tracking_no == "SF1005")
        self.assertEqual((fee_line.resolution, fee_line.agreed_fee), ("disputed", 10.0))
        self.assertEqual(statement.unresolved_count, 5)

    def test_wizard(self):
        import base64

        wizard = self.env["courier.statement.import"].create(
            {
                "carrier_id": self.carrier.id,
                "file": base64.b64encode(xlsx_bytes(self.STATEMENT_ROWS[:2])),
                "filename": "sf.xlsx",
                "date_from": "2026-11-01",
                "date_to": "2026-11-30",
            }
        )
        action = wizard.action_import()
        statement = self.env["courier.statement"].browse(action["res_id"])
        self.assertEqual(
            (statement.date_from, statement.date_to), (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
        )
        self.assertEqual(statement.matched_count, 2)

    def _wizard(self, content):
        import base64

        return self.env["courier.statement.import"].create(
            {"carrier_id": self.carrier.id, "file": base64.b64encode(content), "filename": "big.xlsx"}
        )

    def test_large_file_is_imported_by_a_job(self):
        self.env["ir.config_parameter"].set_param("omni_courier.queue_min_bytes", "1")
        statement = self.env["courier.statement"].browse(
            self._wizard(xlsx_bytes(self.STATEMENT_ROWS)).action_import()["res_id"]
        )
        self.assertEqual(statement.state, "queued")
        self.assertFalse(statement.line_ids)
        self.assertTrue(statement.attachment_id)
        self.assertEqual(len(self._jobs("_run_queued_import")), 1)
        self._perform_jobs("_run_queued_import")
        self.assertEqual(statement.state, "to_resolve")
        self.assertEqual((statement.line_count, statement.matched_count, statement.missing_count), (8, 2, 1))

    def test_bad_large_file_fails_with_its_message_and_can_be_imported_again(self):
        self.env["ir.config_parameter"].set_param("omni_courier.queue_min_bytes", "1")
        rows = [list(r) for r in self.STATEMENT_ROWS[:2]]
        rows[1][4] = "abc"
        content = xlsx_bytes(rows)
        statement = self.env["courier.statement"].browse(self._wizard(content).action_import()["res_id"])
        self._perform_jobs("_run_queued_import")
        self.assertEqual(statement.state, "failed")
        self.assertIn("Row 3, column 运费", statement.import_error)
        self.assertFalse(statement.line_ids)
        # the same file again starts over instead of returning the failed statement
        again = self.env["courier.statement"].browse(self._wizard(content).action_import()["res_id"])
        self.assertNotEqual(again, statement)
        self.assertFalse(statement.exists())
        self.assertEqual(again.state, "queued")


class TestStatementCompanies(CourierTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_courier()
        cls._setup_omni_companies()
        group = "omni_courier.group_courier_user"
        cls.courier_user = cls._create_omni_user("courier_main", cls.company, group)
        cls.courier_user_b = cls._create_omni_user("courier_b", cls.company_b, group)

    def test_other_company_sees_nothing(self):
        statement_id = (
            self.env["courier.statement"]
            .with_user(self.courier_user)
            .import_file("SF", "sf.xlsx", self._b64(xlsx_bytes(self.STATEMENT_ROWS)))
        )
        Statement = self.env["courier.statement"].with_user(self.courier_user_b)
        self.assertFalse(Statement.search([]))
        self.assertFalse(self.env["courier.statement.line"].with_user(self.courier_user_b).search([]))
        with self.assertRaises(AccessError):
            Statement.browse(statement_id).read(["name"])
        # company B has no courier SF: its user cannot import against A's
        with self.assertRaisesRegex(ValidationError, "No courier with code 'SF'"):
            Statement.import_file("SF", "sf.xlsx", self._b64(xlsx_bytes(self.STATEMENT_ROWS)))

    def test_parcels_of_another_company_are_not_matched(self):
        product = self.env["product.product"].create({"name": "SF B", "type": "service"})
        self.env["delivery.carrier"].create(
            {"name": "SF B", "omni_courier_code": "SF", "product_id": product.id, "company_id": self.company_b.id}
        )
        with self.assertRaisesRegex(UserError, "none of its"):
            self.env["courier.statement"].with_user(self.courier_user_b).import_file(
                "SF", "sf.xlsx", self._b64(xlsx_bytes(self.STATEMENT_ROWS))
            )

    def test_user_cannot_change_amounts(self):
        statement = self.env["courier.statement"].browse(
            self.env["courier.statement"].import_file("SF", "sf.xlsx", self._b64(xlsx_bytes(self.STATEMENT_ROWS)))
        )
        line = statement.line_ids[:1].with_user(self.courier_user)
        with self.assertRaises(UserError):
            line.write({"billed_fee": 1.0})
        with self.assertRaises(AccessError):
            line.unlink()

    @staticmethod
    def _b64(content):
        import base64

        return base64.b64encode(content).decode()
