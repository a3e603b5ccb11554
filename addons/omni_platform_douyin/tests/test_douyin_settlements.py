# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""pull_settlements of the Douyin adapter (order.getSettleBillDetailV3)
against the stand-in Douyin platform: cursor paging, windows of 7 days,
amounts in yuan signed from the shop's side, the fees the line holds."""

import json
from datetime import datetime, timedelta

from odoo.addons.omni_platform.platforms import PlatformRejectedError

from .douyin_stub import envelope
from .test_douyin import DouyinCase

UTC_T0 = datetime(2026, 10, 31, 16, 0, 0)  # 2026-11-01 00:00 in Beijing (naive: UTC)


def settle_item(number, settle_time, fen, trade_type=0, fees=(0, 0)):
    """An order.getSettleBillDetailV3 line (zsmhub/doudian-sdk api/order_getSettleBillDetailV3)."""
    service_fee, commission = fees
    return {
        "settle_time": settle_time,
        "request_no": f"RN{number:06d}",
        "shop_order_id": f"6924{number:015d}",
        "order_id": f"6924{number:015d}",
        "settle_amount": fen,
        "pay_type_desc": "聚合账户",
        "trade_type": trade_type,
        "is_contains_refund_before_settle": 0,
        "order_time": "2026-10-25 10:00:00",
        "product_id": "3796346435824830053",
        "goods_count": 1,
        "flow_type_desc": "小店自卖",
        "order_type": "普通订单",
        "total_amount": fen + service_fee + commission,
        "real_pay_amount": fen + service_fee + commission,
        "total_income": fen + service_fee + commission,
        "platform_service_fee": service_fee,
        "commission": commission,
        "good_learn_channel_fee": 0,
        "colonel_service_fee": 0,
        "channel_promotion_fee": 0,
        "other_sharing_amount": 0,
        "total_outcome": service_fee + commission,
        "remark": "订单结算",
    }


class TestDouyinSettlements(DouyinCase):
    def test_cursor_paging_windows_and_amounts(self):
        self.stub.settlements = [
            settle_item(i, f"2026-11-0{1 + i} 10:00:0{i}", 2239 + i, fees=(92, 10)) for i in range(5)
        ] + [
            settle_item(1, "2026-11-09 08:00:00", 2240, trade_type=1),  # refund after settlement
            settle_item(9, "2026-11-10 08:00:00", 5000, trade_type=7),  # a type the adapter does not know
        ]
        adapter = self.make_adapter(page_size=2)
        lines = list(adapter.pull_settlements(UTC_T0, UTC_T0 + timedelta(days=10)))
        self.assertEqual(len(lines), 7)
        first = lines[0]
        self.assertEqual(
            {k: v for k, v in first.items() if k != "raw"},
            {"serial_no": "RN000000/6924000000000000000", "line_at": "2026-11-01 10:00:00",
             "order_ref": "6924000000000000000", "sub_order_ref": "", "type_text": "货款结算入账",
             "amount": "22.39", "fee_amount": "-1.02", "balance": None},
        )  # fmt: skip
        self.assertEqual(first["raw"]["request_no"], "RN000000")
        refund = lines[5]
        self.assertEqual(
            (refund["type_text"], refund["amount"], refund["fee_amount"]), ("结算后退款", "-22.40", "0.00")
        )
        self.assertEqual(lines[6]["type_text"], "trade_type 7", "never guessed: the fee-type table waits for it")
        # first window: 7 days, 5 lines + nothing else in 2 pages of 2 and one of 1 (cursor); second window: 3 days
        calls = [self.business(r) for r in self.stub.requests]
        self.assertEqual({r.path for r in self.stub.requests}, {"/order/getSettleBillDetailV3"})
        self.assertEqual(
            [(c["start_time"], c["end_time"], c.get("start_index")) for c in calls],
            [
                ("2026-11-01 00:00:00", "2026-11-08 00:00:00", None),
                ("2026-11-01 00:00:00", "2026-11-08 00:00:00", "2"),
                ("2026-11-01 00:00:00", "2026-11-08 00:00:00", "4"),
                ("2026-11-08 00:00:00", "2026-11-11 00:00:00", None),
            ],
        )
        self.assertEqual({c["size"] for c in calls}, {2})

    def test_refused_answer(self):
        """The call's own code other than 100000 is the platform's refusal, in its words."""
        answer = envelope(data={"code": "200001", "code_msg": "店铺未开通结算账单", "data": [], "is_end": 1})
        self.stub.respond_next(1, json.dumps(answer, ensure_ascii=False))
        with self.assertRaisesRegex(PlatformRejectedError, "店铺未开通结算账单"):
            list(self.make_adapter().pull_settlements(UTC_T0, UTC_T0 + timedelta(days=1)))
