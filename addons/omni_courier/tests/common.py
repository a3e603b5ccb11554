# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
from datetime import datetime
from pathlib import Path

from freezegun import freeze_time

from odoo import Command

from odoo.addons.omni_order.tests.common import OmniOrderTestMixin

DATA = Path(__file__).parent / "data"
HEADER = ("运单号", "寄件日期", "目的地", "重量(kg)", "运费", "代收货款")
# The fixture's "today": every parcel is shipped at this instant (10:00 in
# Shanghai on 2026-11-22), inside the period of STATEMENT_ROWS (21 to 23
# November), whatever day the tests run on.
SHIPPED_AT = datetime(2026, 11, 22, 2, 0, 0)


def b64(content):
    return base64.b64encode(content).decode()


def _sheet_lines(rows, header, title_rows, blank_after):
    """The lines of a statement sheet: titles, header, rows (a blank line before row ``blank_after``)."""
    lines = [list(title) for title in title_rows] + [list(header)]
    for index, row in enumerate(rows):
        if index == blank_after:
            lines.append([])
        lines.append(list(row))
    return lines


def xlsx_bytes(rows, header=HEADER, title_rows=(), blank_after=None):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in _sheet_lines(rows, header, title_rows, blank_after):
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xls_bytes(rows, header=HEADER, title_rows=(), blank_after=None):
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("对账单")
    for r, line in enumerate(_sheet_lines(rows, header, title_rows, blank_after)):
        for c, value in enumerate(line):
            sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, header=HEADER, title_rows=(), encoding="gbk"):
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for title in title_rows:
        writer.writerow(title)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


class CourierTestMixin(OmniOrderTestMixin):
    """Courier SF with a rate card (江浙沪 10 + 2/kg, others 15 + 5/kg,
    rounding 0.1 kg, divisor 6000, COD fee 1 %) and shipped parcels:

    ========  =====  ========  ===========  ==========  ==============
    tracking  order  province  weight (kg)  dims (cm)   expected fee
    ========  =====  ========  ===========  ==========  ==============
    SF1001    CR1    江苏省     1.2          -           12.00
    SF1002    CR2    浙江省     0.8          40×30×20    16.00 (4 kg)
    SF1003    CR3    广东省     2.0          -           20 + 1.05 COD
    SF1004    CR4    上海       1.0          -           10.00
    SF1005    CR5    江苏省     1.0          -           10.00
    SF1006    CR6    江苏省     1.0          -           10.00 (missing)
    ZT1007    CR7    江苏省     1.0          ZTO parcel
    ========  =====  ========  ===========  ==========  ==============
    CR3 is cash on delivery: 105.00.
    """

    @classmethod
    def _setup_courier(cls):
        cls._setup_omni_order()
        env = cls.env
        cls.courier_partner = env["res.partner"].create({"name": "顺丰速运", "is_company": True})
        product = env["product.product"].create({"name": "SF freight", "type": "service", "company_id": cls.company.id})
        cls.carrier = env["delivery.carrier"].create(
            {
                "name": "SF Express",
                "company_id": cls.company.id,
                "omni_courier_code": "sf",
                "product_id": product.id,
                "omni_partner_id": cls.courier_partner.id,
                "omni_weight_rounding": "0.1",
                "omni_volumetric_divisor": 6000,
                "omni_cod_fee_rate": 1.0,
                "omni_rate_ids": [
                    Command.create({"name": "江浙沪", "provinces": "江苏, 浙江省、上海市", "first_weight": 1,
                            "first_price": 10, "additional_unit": 1, "additional_price": 2}),
                    Command.create({"name": "Others", "first_weight": 1, "first_price": 15, "additional_unit": 1,
                            "additional_price": 5}),
                ],
            }
        )  # fmt: skip
        cls.zto = env["delivery.carrier"].create(
            {"name": "ZTO", "omni_courier_code": "ZTO", "product_id": product.id, "company_id": cls.company.id}
        )
        parcels = [
            ("CR1", "SF", "SF1001", "江苏省", 1.2, (0, 0, 0), {}),
            ("CR2", "SF", "SF1002", "浙江省", 0.8, (40, 30, 20), {}),
            ("CR3", "SF", "SF1003", "广东省", 2.0, (0, 0, 0), {"payment_method": "cod", "paid_amount": "105.00"}),
            ("CR4", "SF", "SF1004", "上海", 1.0, (0, 0, 0), {}),
            ("CR5", "SF", "SF1005", "江苏省", 1.0, (0, 0, 0), {}),
            ("CR6", "SF", "SF1006", "江苏省", 1.0, (0, 0, 0), {}),
            ("CR7", "ZTO", "ZT1007", "江苏省", 1.0, (0, 0, 0), {}),
        ]
        cls.pickings = {}
        for index, (number, courier, tracking, province, weight, dims, extra) in enumerate(parcels):
            cls.pickings[tracking] = cls._ship(number, courier, tracking, province, weight, dims, index, **extra)

    @classmethod
    def _ship(cls, number, courier, tracking, province, weight, dims, index, **extra):
        order_values = {"province": province, "phone": f"1390000{index:04d}", "receiver_name": f"收货人{index}"}
        order_values.update(extra)
        [result] = cls.env["omni.order"].import_orders("TMALL01", [cls._order(number, **order_values)])
        order = cls.env["omni.order"].browse(result["order_id"])
        picking = order.sale_order_id.picking_ids
        assert len(picking) == 1, (number, result)
        picking.write(
            {
                "omni_courier_code": courier,
                "omni_tracking_no": tracking,
                "omni_parcel_weight": weight,
                "omni_parcel_length": dims[0],
                "omni_parcel_width": dims[1],
                "omni_parcel_height": dims[2],
            }
        )
        picking.move_ids.picked = True
        with freeze_time(SHIPPED_AT):
            picking.button_validate()
        assert picking.state == "done", picking.state
        return picking

    # rows of a statement with every line state
    STATEMENT_ROWS = [
        ["SF1001", "2026-11-21", "南京", 1.2, 12, 0],  # matched
        ["SF1002", "2026-11-21", "杭州", 4.0, 16, 0],  # matched (volumetric)
        ["SF1003", "2026-11-22", "广州", 2.0, 21.05, 100],  # COD difference (105 expected)
        ["SF1004", "2026-11-22", "上海", 2.5, 14, 0],  # weight difference (billed 2.5 kg)
        ["SF1005", "2026-11-22", "南京", 1.0, 11, 0],  # fee difference
        ["ZT1007", "2026-11-23", "南京", 1.0, 10, 0],  # unknown: a ZTO parcel
        ["SF9999", "2026-11-23", "北京", 1.0, 15, 0],  # unknown
        ["SF1001", "2026-11-23", "南京", 1.2, 12, 0],  # duplicate in the file
    ]

    def _import(self, content, filename="statement.xlsx", code="SF", **kwargs):
        Statement = self.env["courier.statement"]
        return Statement.browse(Statement.import_file(code, filename, b64(content), **kwargs))

    @staticmethod
    def _states(statement):
        return {(line.row_no, line.tracking_no): line.state for line in statement.line_ids}
