# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""pull_settlements of the Pinduoduo adapter (pdd.finance.balance.daily.bill.url.get,
then the day's bill file) against the stand-in Pinduoduo router: one call and
one file a China day, amounts signed from the shop's side, refunds, fees, an
empty day, the platform's refusal, a file cut short."""

import json
from datetime import datetime, timedelta

from odoo.addons.omni_platform.platforms import (
    PlatformRejectedError,
    PlatformResponseError,
)

from .pdd_stub import pdd_error
from .test_pinduoduo import PddCase

UTC_T0 = datetime(2026, 10, 31, 16, 0, 0)  # 2026-11-01 00:00 in Beijing (naive: UTC)
ORDER_1, ORDER_2 = "261031-660000016177953", "261104-660000197886767"
# rows of the shop's 账务明细: 商户订单号, 发生时间, 收入金额（+元）, 支出金额（-元）, 账务类型, 备注, 业务描述
ROWS = [
    (ORDER_1, "2026-11-01 00:00:44", "17.91", "0", "交易收入", "-", "0010002|交易收入-订单收入"),
    (ORDER_1, "2026-11-01 00:00:45", "0", "-0.11", "技术服务费", "", "0030002|技术服务费-基础技术服务费"),
    (ORDER_2, "2026-11-01 10:00:00", "338.40", "0", "交易收入", "-", "0010002|交易收入-订单收入"),
    (ORDER_2, "2026-11-03 09:00:00", "0", "-169.20", "交易退款", "-", "0020002|交易退款-订单退款"),
    (ORDER_2, "2026-11-03 09:00:01", "1.02", "0", "技术服务费", "", "0030003|技术服务费-基础技术服务费返还"),
    ("-", "2026-11-03 18:00:00", "0", "-5957.00", "提现", "", "0080001|提现-提现申请"),
    (ORDER_1, "2026-11-04 00:00:00", "0", "-0.50", "技术服务费", "", "0030002|技术服务费-基础技术服务费"),
]


def public(line):
    return {k: v for k, v in line.items() if k != "raw"}


class TestPddSettlements(PddCase):
    def test_a_call_and_a_file_a_day_amounts_signed(self):
        self.stub.bill_rows = list(ROWS)
        lines = list(self.make_adapter().pull_settlements(UTC_T0, UTC_T0 + timedelta(days=3)))
        # 2 November has no line (an empty day); 4 November is outside the window
        self.assertEqual(len(lines), 6)
        first = lines[0]
        self.assertEqual(
            {k: v for k, v in public(first).items() if k != "serial_no"},
            {"line_at": "2026-11-01 00:00:44", "order_ref": ORDER_1, "sub_order_ref": "",
             "type_text": "0010002|交易收入-订单收入", "amount": "17.91", "fee_amount": "0.00", "balance": None},
        )  # fmt: skip
        self.assertTrue(first["serial_no"].startswith("2026-11-01/"))
        self.assertEqual(first["raw"]["发生时间"], "2026-11-01 00:00:44")
        by_time = {line["line_at"]: line for line in lines}
        self.assertEqual(by_time["2026-11-01 00:00:45"]["amount"], "-0.11", "a fee is money out")
        self.assertEqual(by_time["2026-11-03 09:00:00"]["amount"], "-169.20", "a refund is money out")
        self.assertEqual(by_time["2026-11-03 09:00:01"]["amount"], "1.02", "a fee given back is money in")
        payout = by_time["2026-11-03 18:00:00"]
        self.assertEqual((payout["order_ref"], payout["amount"]), ("", "-5957.00"), "no order: '-' is no number")
        self.assertEqual(len({line["serial_no"] for line in lines}), 6)
        calls = self.stub.requests_for(api_method=None)
        self.assertEqual(
            [(c.method, c.form.get("bill_date") or c.path) for c in calls],
            [
                ("POST", "2026-11-01"), ("GET", "/bills/2026-11-01.csv"),
                ("POST", "2026-11-02"), ("GET", "/bills/2026-11-02.csv"),
                ("POST", "2026-11-03"), ("GET", "/bills/2026-11-03.csv"),
            ],
        )  # fmt: skip
        self.assertEqual(
            {c.form["type"] for c in calls if c.method == "POST"}, {"pdd.finance.balance.daily.bill.url.get"}
        )

        # the same days again: the same serial numbers (a line has no id of its own: its digest)
        again = list(self.make_adapter().pull_settlements(UTC_T0, UTC_T0 + timedelta(days=3)))
        self.assertEqual([line["serial_no"] for line in again], [line["serial_no"] for line in lines])

    def test_window_inside_a_day_and_identical_rows(self):
        self.stub.bill_rows = [ROWS[0], ROWS[0], ROWS[1], ROWS[2]]
        lines = list(self.make_adapter().pull_settlements(UTC_T0, UTC_T0 + timedelta(hours=1)))
        self.assertEqual(
            [(line["line_at"], line["amount"]) for line in lines],
            [("2026-11-01 00:00:44", "17.91"), ("2026-11-01 00:00:45", "-0.11")],
            "an identical row is one line (the export has no line id); 10:00 is after the window",
        )
        self.assertEqual(len(self.stub.requests_for(method="POST")), 1, "one day asked")

    def test_empty_period(self):
        self.assertEqual(list(self.make_adapter().pull_settlements(UTC_T0, UTC_T0 + timedelta(days=2))), [])
        self.assertEqual(len(self.stub.requests_for(method="GET")), 2)
        self.assertEqual(list(self.make_adapter().pull_settlements(UTC_T0, UTC_T0)), [], "an empty window")

    def test_platform_refusal(self):
        answer = pdd_error(10000, "业务参数错误", "isv.bill-not-ready", "账单尚未生成")
        self.stub.respond_next(1, json.dumps(answer, ensure_ascii=False))
        with self.assertRaisesRegex(PlatformRejectedError, "账单尚未生成"):
            list(self.make_adapter().pull_settlements(UTC_T0, UTC_T0 + timedelta(days=1)))

    def test_file_cut_short_or_missing(self):
        self.stub.bill_rows = list(ROWS[:3])
        whole = self.stub.bill_file("2026-11-01").decode("gbk").splitlines()
        # the third row lost on the way, the totals still there
        self.stub.bill_files["2026-11-01"] = "\r\n".join(whole[:7] + whole[8:]).encode("gbk")
        with self.assertRaisesRegex(PlatformResponseError, "cut short"):
            list(self.make_adapter().pull_settlements(UTC_T0, UTC_T0 + timedelta(days=1)))
        self.stub.bill_files["2026-11-01"] = b"<html>not found</html>"
        with self.assertRaisesRegex(PlatformResponseError, "without the header line"):
            list(self.make_adapter().pull_settlements(UTC_T0, UTC_T0 + timedelta(days=1)))
        self.stub.fail_next(1, status=404, path="/bills/2026-11-01.csv")
        with self.assertRaisesRegex(PlatformRejectedError, r"daily bill download 2026-11-01 was refused \(HTTP 404\)"):
            list(self.make_adapter().pull_settlements(UTC_T0, UTC_T0 + timedelta(days=1)))
