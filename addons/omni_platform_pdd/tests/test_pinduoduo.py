# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Pinduoduo adapter against a stand-in Pinduoduo router on 127.0.0.1
(Odoo test cases without database), and one TransactionCase: a Pinduoduo channel
builds its adapter."""

import hashlib
import json
import logging
from datetime import datetime, timedelta, timezone

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase

from odoo.addons.omni_platform.platforms import (
    PlatformAuthError,
    PlatformRateLimitError,
    PlatformRejectedError,
)
from odoo.addons.omni_platform.tests.common import StubTestCase

from ..platforms.pinduoduo import PinduoduoAdapter, sign
from .pdd_stub import PddStub, pdd_sign

UTC = timezone.utc
BEIJING = timezone(timedelta(hours=8))
T0 = datetime(2026, 3, 1, 2, 0, 0, tzinfo=UTC)  # 10:00 in Beijing
CLIENT_ID = "pdd-client-01"
SECRET = "pdd-secret-3b7d"
TOKEN = "pdd-token-c41a"


def pdd_order(number, updated, **values):
    order = {
        "order_sn": f"260301-{number}",
        "created_time": "2026-03-01 09:58:00",
        "updated_at": updated.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S"),
        # as pdd.order.number.list.increment.get gives them: statuses numbers,
        # amounts yuan strings; paid and waiting to ship
        "confirm_status": 1,
        "order_status": 1,
        "refund_status": 1,
        "pay_amount": "58.10",
        "goods_amount": "50.10",
        "postage": "8.00",
        "discount_amount": "0.00",
        "receiver_name": "赵六",
        "receiver_phone": "13600000000",
        "province": "上海",
        "city": "上海市",
        "town": "浦东新区",
        "address": "世纪大道 100 号",
        "buyer_memo": "不要放快递柜",
        "item_list": [
            {"goods_id": 501, "sku_id": 5010, "outer_id": "SKU-A", "outer_goods_id": "G-A", "goods_count": 2,
             "goods_price": "25.05"},
        ],
    }  # fmt: skip
    order.update(values)
    return order


class PddCase(StubTestCase):
    def setUp(self):
        super().setUp()
        self.stub = PddStub(app_key=CLIENT_ID, app_secret=SECRET, access_token=TOKEN, goods={"SKU-A": 501}).start()
        self.addCleanup(self.stub.stop)
        self.sleeps = []

    def make_adapter(self, **config):
        options = {
            "base_url": self.stub.router_url,
            "app_key": CLIENT_ID,
            "app_secret": SECRET,
            "access_token": TOKEN,
            "page_size": 3,
            "timeout": 2,
            "sleep": self.sleeps.append,
            **config,
        }
        adapter = PinduoduoAdapter(**options)
        self.addCleanup(adapter.close)
        return adapter

    def pull(self, adapter, since=T0, until=T0 + timedelta(minutes=30)):
        return list(adapter.pull_orders(since, until))


class TestPddSign(StubTestCase):
    def test_sign_against_hand_computed_md5(self):
        params = {"type": "pdd.order.number.list.increment.get", "client_id": "C", "timestamp": "1772330400",
                  "data_type": "JSON", "page": "1", "empty": "", "sign": "OLD"}  # fmt: skip
        text = (
            "S" "client_idC" "data_typeJSON" "page1" "timestamp1772330400" "typepdd.order.number.list.increment.get" "S"
        )
        self.assertEqual(sign(params, "S"), hashlib.md5(text.encode()).hexdigest().upper())


class TestPddPull(PddCase):
    def test_paging_and_system_parameters(self):
        self.stub.set_orders(pdd_order(i, T0 + timedelta(minutes=i)) for i in range(7))
        orders = self.pull(self.make_adapter())
        self.assertEqual(sorted(o["platform_order_no"] for o in orders), [f"260301-{i}" for i in range(7)])
        calls = self.stub.requests
        # 必须采用倒序的分页方式（从最后一页往回取）才能避免漏单问题: the total first,
        # then from the last page back
        self.assertEqual([r.form["page"] for r in calls], ["1", "3", "2", "1"])
        for call in calls:
            form = call.form
            self.assertEqual((call.method, call.path), ("POST", "/api/router"))
            self.assertEqual(form["type"], "pdd.order.number.list.increment.get")
            self.assertEqual((form["client_id"], form["access_token"]), (CLIENT_ID, TOKEN))
            self.assertEqual((form["data_type"], form["version"]), ("JSON", "V1"))
            self.assertEqual(form["sign"], pdd_sign(form, SECRET))
            self.assertNotIn("use_has_next", form)
            self.assertEqual(form["page_size"], "3")
            self.assertEqual((form["order_status"], form["refund_status"], form["is_lucky_flag"]), ("5", "5", "0"))
            self.assertEqual(
                (int(form["start_updated_at"]), int(form["end_updated_at"])),
                (int(T0.timestamp()), int(T0.timestamp()) + 1800),
            )

    def test_order_mapped_to_public_shape(self):
        self.stub.set_orders([pdd_order(1, T0)])
        (order,) = self.pull(self.make_adapter())
        self.assertEqual(
            {k: v for k, v in order.items() if k not in ("raw", "receiver_id", "receiver_cipher")},
            {
                "platform_order_no": "260301-1",
                "order_time": "2026-03-01 09:58:00",
                "buyer_nick": "",
                "receiver_name": "赵六",
                "phone": "13600000000",
                "province": "上海",
                "city": "上海市",
                "district": "浦东新区",
                "address": "世纪大道 100 号",
                "payment_method": "prepaid",
                "paid_amount": "58.10",
                "shipping_fee": "8.00",
                "buyer_note": "不要放快递柜",
                "lines": [{"platform_sku": "SKU-A", "quantity": 2, "unit_price": "25.05"}],
            },
        )

    def test_sku_falls_back_to_goods_code(self):
        items = [
            {"goods_id": 1, "sku_id": 10, "outer_id": "", "outer_goods_id": "G-B", "goods_count": 1, "goods_price": 1}
        ]
        self.stub.set_orders([pdd_order(1, T0, item_list=items, buyer_memo=None, postage=None)])
        (order,) = self.pull(self.make_adapter())
        self.assertEqual(order["lines"][0]["platform_sku"], "G-B")
        self.assertEqual((order["buyer_note"], order["shipping_fee"]), (None, "0.00"))

    def test_window_split_into_30_minutes(self):
        since, until = T0, T0 + timedelta(minutes=75)
        self.stub.set_orders(pdd_order(i, since + timedelta(minutes=10 * i)) for i in range(8))
        orders = self.pull(self.make_adapter(), since, until)
        self.assertEqual(len(orders), 8)
        base = int(T0.timestamp())
        windows = [
            (int(r.form["start_updated_at"]) - base, int(r.form["end_updated_at"]) - base) for r in self.stub.requests
        ]
        self.assertEqual(windows, [(0, 1800), (1800, 3600), (3600, 4500)])

    def test_refunds(self):
        refund = {"id": 9001, "order_sn": "260301-1", "after_sales_status": 2, "after_sales_type": 2,
                  "refund_amount": "8.00", "order_amount": "58.10", "after_sale_reason": "不想要了",
                  "updated_at": "2026-03-01 10:05:00", "updated_time": "2026-03-01 10:05:00"}  # fmt: skip
        # 退款金额（元）as a string; a whole yuan amount may come as "8"
        other = dict(refund, id=9002, refund_amount="8", after_sale_reason="")
        self.stub.refunds = [refund, other]
        results = list(self.make_adapter().pull_refunds(T0, T0 + timedelta(minutes=30)))
        self.assertEqual(
            [{k: v for k, v in result.items() if k != "raw"} for result in results],
            [{"refund_id": "9001", "order_no": "260301-1", "status": 2, "amount": "8.00", "reason": "不想要了",
              "updated": "2026-03-01 10:05:00"},
             {"refund_id": "9002", "order_no": "260301-1", "status": 2, "amount": "8.00", "reason": "",
              "updated": "2026-03-01 10:05:00"}],
        )  # fmt: skip

    def test_only_paid_orders_waiting_to_ship_are_pulled(self):
        cases = [
            {},  # 已成交, 待发货, 无售后
            {"confirm_status": 0},  # 未成交
            {"confirm_status": 2},  # 已取消
            {"order_status": 2},  # 已发货待签收
            {"refund_status": 4},  # 退款成功
            {"refund_status": 2},  # 售后处理中
            {"confirm_status": 7},  # not documented
        ]
        self.stub.set_orders(pdd_order(i, T0 + timedelta(minutes=i), **values) for i, values in enumerate(cases))
        adapter = self.make_adapter()
        orders = self.pull(adapter)
        self.assertEqual([o["platform_order_no"] for o in orders], ["260301-0"])
        skipped = {s["platform_order_no"]: s for s in adapter.skipped}
        self.assertEqual(sorted(skipped), [f"260301-{i}" for i in range(1, 7)])
        self.assertEqual([skipped[f"260301-{i}"]["unknown"] for i in range(1, 7)], [False] * 5 + [True])
        self.assertEqual(
            skipped["260301-2"]["status"],
            "confirm_status 2, order_status 1, refund_status 1, risk_control_status 0",
        )
        # what a staged order becomes: cancelled (已取消, 退款成功), held (售后处理中)
        self.assertEqual(
            [skipped[f"260301-{i}"]["state"] for i in range(1, 7)],
            ["not_ready", "cancelled", "not_ready", "cancelled", "hold", "unknown"],
        )

    def test_changes_after_intake(self):
        """An order staged before comes back: risk control (risk_control_status
        1 风控中) and after-sales (refund_status 2 售后处理中, 3 退款中) hold
        it, also once shipped (the after-sales staff's matter); refund_status
        4 退款成功 and confirm_status 2 已取消 cancel it."""
        cases = [
            ({"risk_control_status": 1}, "hold"),
            ({"risk_control_status": 0}, None),  # cleared: staged
            ({"refund_status": 3}, "hold"),
            ({"order_status": 2, "refund_status": 2}, "hold"),
            ({"order_status": 2, "refund_status": 4}, "cancelled"),
            ({"confirm_status": 2, "refund_status": 4}, "cancelled"),
            ({"risk_control_status": 9}, "unknown"),
        ]
        self.stub.set_orders(pdd_order(i, T0 + timedelta(minutes=i), **values) for i, (values, _s) in enumerate(cases))
        adapter = self.make_adapter()
        orders = self.pull(adapter)
        self.assertEqual([o["platform_order_no"] for o in orders], ["260301-1"])
        states = {s["platform_order_no"]: s["state"] for s in adapter.skipped}
        self.assertEqual(
            states, {f"260301-{i}": state for i, (_values, state) in enumerate(cases) if state is not None}
        )
        self.assertIn("risk_control_status 1", adapter.skipped[0]["status"])


class TestPddErrors(PddCase):
    def setUp(self):
        super().setUp()
        self.stub.set_orders([pdd_order(1, T0)])

    def test_bad_signature(self):
        wrong = "wrong-secret-0a9c"
        with self.assertLogs("omni_platform.platforms", logging.DEBUG) as logs:
            with self.assertRaises(PlatformAuthError) as caught:
                self.pull(self.make_adapter(app_secret=wrong))
        error = caught.exception
        self.assertIn("签名错误", str(error))
        self.assertIn("pdd.order.number.list.increment.get", str(error))
        self.assertEqual((error.code, error.retryable), (20004, False))
        self.assertEqual(len(self.stub.requests), 1)
        for text in [str(error), error.detail, *logs.output]:
            self.assertNotIn(wrong, text)

    def test_expired_token(self):
        with self.assertRaises(PlatformAuthError) as caught:
            self.pull(self.make_adapter(access_token="expired-token-1"))
        self.assertEqual(caught.exception.code, 10019)

    def test_rate_limit_retried_then_raised(self):
        self.stub.pdd_error_next(1)
        self.assertEqual(len(self.pull(self.make_adapter())), 1)
        self.assertEqual(len(self.stub.requests), 2)
        self.stub.reset()
        self.stub.pdd_error_next(3)
        with self.assertRaises(PlatformRateLimitError) as caught:
            self.pull(self.make_adapter())
        self.assertIn("调用过于频繁", str(caught.exception))
        self.assertEqual(len(self.stub.requests), 3)

    def test_business_refusal(self):
        self.stub.pdd_error_next(1, code=10000, msg="参数错误")
        with self.assertRaises(PlatformRejectedError):
            self.pull(self.make_adapter())
        self.assertEqual(len(self.stub.requests), 1)

    def test_check_connection(self):
        self.make_adapter().check_connection()
        with self.assertRaises(PlatformAuthError):
            self.make_adapter(app_key="other-client").check_connection()


class TestPddPush(PddCase):
    def test_push_stock_per_sku(self):
        self.stub.goods.update({"SKU-B": 502, "SKU-X": 503})
        self.stub.stock_refuse = {"SKU-X": "商品已下架"}
        adapter = self.make_adapter(extra={"goods_ids": {"SKU-B": 502}})
        results = adapter.push_stock({"SKU-A": 5, "SKU-B": 0, "SKU-X": 3, "NOPE": 1})
        self.assertEqual(
            results,
            {"SKU-A": None, "SKU-B": None, "SKU-X": "商品已下架", "NOPE": "no Pinduoduo goods with the SKU code NOPE"},
        )
        self.assertEqual(self.stub.stock, {"SKU-A": 5, "SKU-B": 0})
        lookups = [r.form["outer_id"] for r in self.stub.requests if r.form["type"] == "pdd.goods.list.get"]
        self.assertEqual(lookups, ["SKU-A", "SKU-X", "NOPE"])
        updates = [r.form for r in self.stub.requests if r.form["type"] == "pdd.goods.quantity.update"]
        self.assertEqual(
            [(f["goods_id"], f["outer_id"], f["quantity"], f["update_type"]) for f in updates],
            [("501", "SKU-A", "5", "1"), ("502", "SKU-B", "0", "1"), ("503", "SKU-X", "3", "1")],
        )

    def test_push_stock_rate_limit_raises_with_partial_results(self):
        adapter = self.make_adapter(retries=1)
        adapter.push_stock({"SKU-A": 1})
        self.stub.pdd_error_next(1)
        with self.assertRaises(PlatformRateLimitError) as caught:
            adapter.push_stock({"SKU-A": 5})
        self.assertEqual(caught.exception.partial_results, {})

    def test_push_shipment_looks_up_the_courier_once(self):
        adapter = self.make_adapter()
        adapter.push_shipment("260301-1", "sf", "SF100")
        adapter.push_shipment("260301-2", "SF", "SF101")
        adapter.push_shipment("260301-3", "85", "YT1")
        self.assertEqual(
            self.stub.shipments,
            [
                {"order_no": "260301-1", "courier": "44", "tracking_no": "SF100"},
                {"order_no": "260301-2", "courier": "44", "tracking_no": "SF101"},
                {"order_no": "260301-3", "courier": "85", "tracking_no": "YT1"},
            ],
        )
        self.assertEqual(len([r for r in self.stub.requests if r.form["type"] == "pdd.logistics.companies.get"]), 1)

    def test_push_shipment_refused(self):
        self.stub.shipment_refuse = {"260301-9": "订单已发货"}
        with self.assertRaises(PlatformRejectedError) as caught:
            self.make_adapter().push_shipment("260301-9", "ZTO", "ZT1")
        self.assertIn("订单已发货", str(caught.exception))
        with self.assertRaises(PlatformRejectedError) as caught:
            self.make_adapter().push_shipment("260301-8", "NOSUCH", "N1")
        self.assertIn("NOSUCH", str(caught.exception))


class TestPddChannel(TransactionCase):
    def test_channel_builds_its_adapter(self):
        channel = self.env["omni.channel"].create(
            {
                "name": "PDD shop",
                "code": "PDD01",
                "platform": "pinduoduo",
                "adapter_kind": "pinduoduo",
                "api_base_url": "https://gw-api.pinduoduo.com/api/router",
                "api_app_key": CLIENT_ID,
                "api_app_secret": SECRET,
                "api_access_token": TOKEN,
                "pdd_courier_code_ids": [Command.create({"courier_code": "xyz", "platform_code": "1234"})],
            }
        )
        with channel._get_adapter() as adapter:
            self.assertIsInstance(adapter, PinduoduoAdapter)
            self.assertEqual(adapter.courier_ids, {"XYZ": "1234"})
        with self.assertRaisesRegex(ValidationError, "is a number"):
            channel.pdd_courier_code_ids = [Command.create({"courier_code": "ABC", "platform_code": "abc"})]


class TestPddReceivers(PddCase):
    """Shapes from lywzx/pdd-node-sdk: the order's receiver_* 密文 with
    *_mask and open_address_id; pdd.open.decrypt.batch (data_list of
    {data_tag, encrypted_data}, at most 100; data_decrypt_list)."""

    def encrypted_order(self, number):
        sn = f"260301-{number}"
        cipher = {
            "name": f"~AgAAAAN{number}name~0~",
            "phone": f"~AgAAAAN{number}tel~0~",
            "address": f"~AgAAAAN{number}addr~0~",
        }
        for kind, data_type, text in (
            ("name", 5, "赵六"),
            ("phone", 6, "13600000000"),
            ("address", 8, "世纪大道 100 号"),
        ):
            self.stub.receivers[cipher[kind]] = {"data_tag": sn, "data_type": data_type, "text": text}
        return pdd_order(
            number, T0, receiver_name=cipher["name"], receiver_phone=cipher["phone"],
            receiver_address=cipher["address"], address=cipher["address"], receiver_name_mask="赵*",
            receiver_phone_mask="136****0000", receiver_address_mask="世纪大道***", address_mask="世纪大道***",
            open_address_id=f"oa{number % 2}",
        )  # fmt: skip

    def test_receiver_masked_with_ciphertext_and_open_address_id(self):
        self.stub.set_orders([self.encrypted_order(1), self.encrypted_order(3)])
        orders = {o["platform_order_no"]: o for o in self.pull(self.make_adapter())}
        first = orders["260301-1"]
        self.assertEqual(
            (first["receiver_name"], first["phone"], first["address"]), ("赵*", "136****0000", "世纪大道***")
        )
        self.assertEqual(first["receiver_cipher"]["phone"], "~AgAAAAN1tel~0~")
        self.assertEqual(first["receiver_id"], orders["260301-3"]["receiver_id"], "same address: same open_address_id")

    def test_decrypt_batch_per_ciphertext_and_quota(self):
        self.stub.set_orders([self.encrypted_order(n) for n in range(1, 36)])
        pulled = self.pull(self.make_adapter())
        receivers = [
            {
                "platform_order_no": o["platform_order_no"],
                "receiver_id": o["receiver_id"],
                "cipher": o["receiver_cipher"],
            }
            for o in pulled
        ]
        receivers.append({"platform_order_no": "260301-99", "receiver_id": "", "cipher": {"name": "~unknown~0~"}})
        self.stub.decrypt_quota = 1
        with self.assertRaises(PlatformRateLimitError) as caught:
            self.make_adapter().decrypt_receivers(receivers)
        done = caught.exception.partial_results
        self.assertEqual(len(done), 33, "33 orders (99 ciphertexts) a call")
        plain = {"receiver_name": "赵六", "phone": "13600000000", "address": "世纪大道 100 号"}
        self.assertEqual(list(done.values()), [plain] * 33)
        calls = [r for r in self.stub.requests if r.form.get("type") == "pdd.open.decrypt.batch"]
        self.assertEqual(len(calls), 4, "one call, then the rate limit (3 attempts)")
        data_list = json.loads(calls[0].form["data_list"])
        self.assertEqual(len(data_list), 99)
        first = receivers[0]
        self.assertEqual(
            data_list[0], {"data_tag": first["platform_order_no"], "encrypted_data": first["cipher"]["name"]}
        )
        self.stub.decrypt_quota = None
        rest = self.make_adapter().decrypt_receivers([r for r in receivers if r["platform_order_no"] not in done])
        self.assertEqual(len(rest), 3)
        self.assertEqual([rest[r["platform_order_no"]] for r in receivers[33:35]], [plain, plain])
        self.assertEqual(rest["260301-99"], {"error": "解密失败"})


class TestPddTokenExpired(PddCase):
    def test_token_expired_mid_pull_resumes_after_the_first_window(self):
        self.stub.set_orders([pdd_order(1, T0 + timedelta(minutes=5)), pdd_order(2, T0 + timedelta(minutes=40))])

        def expire(stub, request):
            if request.form.get("type") == "pdd.order.number.list.increment.get":
                stub.access_token = "renewed-elsewhere"

        self.stub.after_request = expire
        with self.assertRaises(PlatformAuthError) as caught:
            self.pull(self.make_adapter(), T0, T0 + timedelta(hours=1))
        self.assertEqual([o["platform_order_no"] for o in caught.exception.partial_orders], ["260301-1"])
        self.assertEqual(caught.exception.pulled_until, T0 + timedelta(minutes=30))
