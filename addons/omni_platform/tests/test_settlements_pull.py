# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""pull_settlements: not supported by default; the Taobao/Tmall adapter
reads the shop's bills (taobao.bill.bills.get, names of their accounts from
taobao.bill.accounts.get) against the stand-in TOP router."""

from datetime import datetime, timedelta

from ..platforms import PlatformNotSupportedError
from .test_platforms import GenericCase, TopCase

T0 = datetime(2026, 10, 31, 16, 0, 0)  # 2026-11-01 00:00 in Beijing (naive: UTC)
ACCOUNTS = [
    {"account_id": 1, "account_name": "交易付款", "account_type": 2},
    {"account_id": 2, "account_name": "天猫佣金(类目)", "account_type": 3},
    {"account_id": 3, "account_name": "代扣返点积分", "account_type": 5},
]


def bill(bid, pay_time, account_id, fen, trade="4060000001626596939"):
    """A bill as taobao.bill.bills.get gives it (bububa/opentaobao model/bill/Bill.go): amounts in fen."""
    return {"bid": bid, "account_id": account_id, "trade_id": trade, "order_id": trade, "amount": fen,
            "total_amount": 3590, "pay_time": pay_time, "book_time": pay_time, "biz_time": pay_time,
            "alipay_notice": "", "num_iid": "1001"}  # fmt: skip


class TestNotSupported(GenericCase):
    def test_default_adapter_has_no_settlements(self):
        with self.assertRaisesRegex(PlatformNotSupportedError, "statement file"):
            list(self.make_adapter().pull_settlements(T0, T0 + timedelta(days=1)))
        self.assertFalse(self.stub.requests, "nothing sent")


class TestTopSettlements(TopCase):
    def test_bills_by_day_window_and_page(self):
        self.stub.top_bill_accounts = ACCOUNTS
        # 45 bills on 1 November (two pages of 40), 2 on 2 November, one of an account the list does not name
        self.stub.top_bills = [
            bill(1000 + i, f"2026-11-01 10:{i // 60:02d}:{i % 60:02d}", 1, 3590 + i) for i in range(45)
        ] + [
            bill(2000, "2026-11-02 09:00:00", 2, 72),
            bill(2001, "2026-11-02 09:00:01", 1, -1995),
            bill(2002, "2026-11-02 09:00:02", 99, 10),
        ]
        lines = list(self.make_adapter().pull_settlements(T0, T0 + timedelta(days=2)))
        self.assertEqual(len(lines), 48)
        by_serial = {line["serial_no"]: line for line in lines}
        self.assertEqual(
            {k: v for k, v in by_serial["1000"].items() if k != "raw"},
            {"serial_no": "1000", "line_at": "2026-11-01 10:00:00", "order_ref": "4060000001626596939",
             "sub_order_ref": "", "type_text": "交易付款", "amount": "35.90", "fee_amount": "0.00", "balance": None},
        )  # fmt: skip
        # a commission charged is money out; a refund of the trade account comes negative
        self.assertEqual((by_serial["2000"]["type_text"], by_serial["2000"]["amount"]), ("天猫佣金(类目)", "-0.72"))
        self.assertEqual(by_serial["2001"]["amount"], "-19.95")
        self.assertEqual(by_serial["2002"]["type_text"], "科目 99")
        calls = self.stub.requests_for(api_method="taobao.bill.bills.get")
        pages = [(c.form["start_time"], c.form["page_no"], c.form["page_size"]) for c in calls]
        self.assertEqual(
            pages,
            [
                ("2026-11-01 00:00:00", "1", "40"),
                ("2026-11-01 00:00:00", "2", "40"),
                ("2026-11-02 00:00:00", "1", "40"),
            ],
        )
        self.assertEqual(len(self.stub.requests_for(api_method="taobao.bill.accounts.get")), 1)
