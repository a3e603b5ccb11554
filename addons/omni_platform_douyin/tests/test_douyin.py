# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Douyin adapter against a stand-in Douyin shop platform on 127.0.0.1
(Odoo test cases without database), and one TransactionCase: a Douyin channel
builds its adapter."""

import hashlib
import hmac
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

from ..platforms.douyin import DouyinAdapter, fen_to_yuan, sign
from .douyin_stub import DouyinStub, douyin_sign

UTC = timezone.utc
T0 = datetime(2026, 3, 1, 2, 0, 0, tzinfo=UTC)  # 10:00 in Beijing
APP_KEY = "7000000000000000001"
SECRET = "douyin-secret-8e2f"
TOKEN = "douyin-token-55b0"


def dy_order(number, updated, **values):
    order = {
        "order_id": f"69{number:08d}",
        "create_time": int(datetime(2026, 3, 1, 1, 58, tzinfo=UTC).timestamp()),  # 09:58 in Beijing
        "update_time": int(updated.timestamp()),
        # as order.searchList gives it: amounts in fen (int64), statuses numbers
        "order_status": 2,
        "order_status_desc": "备货中",
        "pay_type": 1,
        "pay_amount": 5810,
        "post_amount": 800,
        "buyer_words": "周末送货",
        "post_receiver": "孙七",
        "post_tel": "13500000000",
        "post_addr": {
            "province": {"name": "广东省", "id": "44"},
            "city": {"name": "广州市", "id": "4401"},
            "town": {"name": "天河区", "id": "440106"},
            "street": {"name": "石牌街道", "id": "440106001"},
            "detail": "天河路 1 号",
        },
        # origin_amount: 商品现价（单位：分）, one unit; sum_amount: 商品现价*件数
        "sku_order_list": [{"sku_id": 1001, "code": "SKU-A", "out_sku_id": "", "item_num": 2, "origin_amount": 2505,
                            "sum_amount": 5010}],
    }  # fmt: skip
    order.update(values)
    return order


class DouyinCase(StubTestCase):
    def setUp(self):
        super().setUp()
        self.stub = DouyinStub(app_key=APP_KEY, app_secret=SECRET, access_token=TOKEN).start()
        self.addCleanup(self.stub.stop)
        self.sleeps = []

    def make_adapter(self, **config):
        options = {
            "base_url": self.stub.url,
            "app_key": APP_KEY,
            "app_secret": SECRET,
            "access_token": TOKEN,
            "page_size": 3,
            "timeout": 2,
            "sleep": self.sleeps.append,
            **config,
        }
        adapter = DouyinAdapter(**options)
        self.addCleanup(adapter.close)
        return adapter

    def pull(self, adapter, since=T0, until=T0 + timedelta(hours=1)):
        return list(adapter.pull_orders(since, until))

    @staticmethod
    def business(request):
        return json.loads(request.body)


class TestDouyinSign(StubTestCase):
    def test_sign_against_hand_computed_hmac(self):
        text = 'Sapp_keyKmethodorder.searchListparam_json{"page":0}timestamp2026-03-01 10:00:00v2S'
        expected = hmac.new(b"S", text.encode(), hashlib.sha256).hexdigest()
        self.assertEqual(sign("K", "S", "order.searchList", '{"page":0}', "2026-03-01 10:00:00"), expected)
        query = {"app_key": "K", "method": "order.searchList", "timestamp": "2026-03-01 10:00:00", "v": "2"}
        self.assertEqual(douyin_sign(query, '{"page":0}', "S"), expected)

    def test_fen_to_yuan(self):
        self.assertEqual([fen_to_yuan(v) for v in (5810, "1", 0, 100000001)], ["58.10", "0.01", "0.00", "1000000.01"])
        self.assertEqual(fen_to_yuan("12.5"), "12.5")  # not fen: left for normalize_order to refuse


class TestDouyinPull(DouyinCase):
    def test_paging_and_system_parameters(self):
        self.stub.set_orders(dy_order(i, T0 + timedelta(minutes=i)) for i in range(7))
        orders = self.pull(self.make_adapter())
        self.assertEqual([o["platform_order_no"] for o in orders], [f"69{i:08d}" for i in range(7)])
        calls = self.stub.requests
        self.assertEqual([self.business(r)["page"] for r in calls], [0, 1, 2])
        for call in calls:
            query = call.params
            self.assertEqual((call.method, call.path), ("POST", "/order/searchList"))
            self.assertEqual(
                (query["method"], query["app_key"], query["access_token"]), ("order.searchList", APP_KEY, TOKEN)
            )
            self.assertEqual((query["v"], query["sign_method"]), ("2", "hmac-sha256"))
            self.assertEqual(query["sign"], douyin_sign(query, call.body.decode(), SECRET))
            self.assertNotIn("param_json", query)
            business = self.business(call)
            self.assertEqual(list(business), sorted(business))
            self.assertEqual(
                (business["update_time_start"], business["update_time_end"], business["size"]),
                (int(T0.timestamp()), int(T0.timestamp()) + 3600, 3),
            )

    def test_order_mapped_to_public_shape(self):
        order = dy_order(
            1,
            T0,
            pay_type=0,
            pay_amount=10500,  # 6700 + 3000 + 800: the order total is what was paid
            sku_order_list=[
                {"sku_id": 1001, "code": "SKU-A", "item_num": 2, "origin_amount": 3350, "sum_amount": 6700},
                # no merchant code: out_sku_id
                {
                    "sku_id": 1002,
                    "code": "",
                    "out_sku_id": "OUT-B",
                    "item_num": 3,
                    "origin_amount": 1000,
                    "sum_amount": 3000,
                },
            ],
        )
        self.stub.set_orders([order])
        (result,) = self.pull(self.make_adapter())
        self.assertEqual(
            {k: v for k, v in result.items() if k not in ("raw", "receiver_id", "receiver_cipher")},
            {
                "platform_order_no": "6900000001",
                "order_time": "2026-03-01 09:58:00",
                "buyer_nick": "",
                "receiver_name": "孙七",
                "phone": "13500000000",
                "province": "广东省",
                "city": "广州市",
                "district": "天河区",
                "address": "石牌街道 天河路 1 号",
                "payment_method": "cod",
                "paid_amount": "105.00",
                "shipping_fee": "8.00",
                "buyer_note": "周末送货",
                "lines": [
                    # 2 units at 33.50 each, not 16.75
                    {"platform_sku": "SKU-A", "quantity": 2, "unit_price": "33.50"},
                    {"platform_sku": "OUT-B", "quantity": 3, "unit_price": "10.00"},
                ],
            },
        )
        self.assertEqual(result["raw"]["pay_amount"], 10500)
        total = sum(float(line["quantity"]) * float(line["unit_price"]) for line in result["lines"])
        self.assertAlmostEqual(total + float(result["shipping_fee"]), float(result["paid_amount"]))

    def test_only_paid_orders_waiting_to_ship_are_pulled(self):
        statuses = [
            (2, "备货中"),
            (105, "已支付"),
            (1, "待支付"),
            (4, "已取消"),
            (3, "已发货"),
            (5, "已完成"),
            (77, "新状态"),
        ]
        self.stub.set_orders(
            dy_order(i, T0 + timedelta(minutes=i), order_status=code, order_status_desc=desc)
            for i, (code, desc) in enumerate(statuses)
        )
        adapter = self.make_adapter()
        orders = self.pull(adapter)
        self.assertEqual([o["platform_order_no"] for o in orders], ["6900000000", "6900000001"])
        self.assertEqual(
            [(s["platform_order_no"], s["status"], s["unknown"]) for s in adapter.skipped],
            [
                ("6900000002", "1 待支付", False),
                ("6900000003", "4 已取消", False),
                ("6900000004", "3 已发货", False),
                ("6900000005", "5 已完成", False),
                ("6900000006", "77 新状态", True),
            ],
        )

    def test_changes_after_intake(self):
        """sku_order_list[].after_sale_info (zsmhub/doudian-sdk
        order_searchList_response.go AfterSaleInfo): an after-sale under way
        (after_sale_status 6 售后申请, 7 售后退货中) holds the order, also once
        shipped; refund_status 3 退款成功 on one SKU order refunds that line
        (the rest ships), on all of them cancels; a refused after-sale (27)
        leaves it to ship; order_status 4 已取消 cancels."""

        def sku(code, status, refund, pay_amount=2505):
            info = {"after_sale_status": status, "after_sale_type": 2, "refund_status": refund}
            return {"sku_id": 1001, "code": code, "item_num": 1, "origin_amount": 2505, "sum_amount": 2505,
                    "pay_amount": pay_amount, "after_sale_info": info}  # fmt: skip

        cases = [
            {"sku_order_list": [sku("SKU-A", 6, 1), sku("SKU-B", 0, 0)]},
            {"sku_order_list": [sku("SKU-A", 12, 3, 2400), sku("SKU-B", 0, 0)], "pay_amount": 2505 + 2400},
            {"sku_order_list": [sku("SKU-A", 27, 4), sku("SKU-B", 0, 0)]},
            {"sku_order_list": [sku("SKU-A", 12, 3), sku("SKU-B", 12, 3)]},
            {"order_status": 3, "order_status_desc": "已发货", "sku_order_list": [sku("SKU-A", 7, 1)]},
            {"order_status": 4, "order_status_desc": "已取消"},
        ]
        self.stub.set_orders(dy_order(i, T0 + timedelta(minutes=i), **values) for i, values in enumerate(cases))
        adapter = self.make_adapter()
        orders = {o["platform_order_no"]: o for o in self.pull(adapter)}
        self.assertEqual(sorted(orders), ["6900000001", "6900000002"])
        refunded = orders["6900000001"]["lines"][0]
        self.assertEqual((refunded["refund"], refunded["refund_amount"]), ("refunded", "24.00"))
        self.assertNotIn("refund", orders["6900000002"]["lines"][0])
        self.assertEqual(
            [(s["platform_order_no"], s["state"], s["status"]) for s in adapter.skipped],
            [
                ("6900000000", "hold", "2 备货中, after_sale_status 6"),
                ("6900000003", "cancelled", "2 备货中, refund_status 3"),
                ("6900000004", "hold", "3 已发货, after_sale_status 7"),
                ("6900000005", "cancelled", "4 已取消"),
            ],
        )

    def test_buyer_nick_from_user_nick_name(self):
        self.stub.set_orders([dy_order(1, T0, user_nick_name="抖音买家小王")])
        (order,) = self.pull(self.make_adapter())
        self.assertEqual(order["buyer_nick"], "抖音买家小王")

    def test_prepaid_and_free_shipping(self):
        self.stub.set_orders([dy_order(1, T0, post_amount=0, buyer_words="")])
        (order,) = self.pull(self.make_adapter())
        self.assertEqual((order["payment_method"], order["shipping_fee"], order["buyer_note"]), ("prepaid", "0.00", ""))

    def test_window_split_by_day(self):
        since, until = T0, T0 + timedelta(days=2, hours=6)
        self.stub.set_orders(dy_order(i, since + timedelta(hours=10 * i)) for i in range(6))
        orders = self.pull(self.make_adapter(), since, until)
        self.assertEqual(len(orders), 6)
        base = int(T0.timestamp())
        windows = [
            (self.business(r)["update_time_start"] - base, self.business(r)["update_time_end"] - base)
            for r in self.stub.requests
        ]
        self.assertEqual(windows, [(0, 86400), (86400, 172800), (172800, 194400)])


class TestDouyinRefunds(DouyinCase):
    def test_after_sales_in_yuan_across_pages(self):
        def refund(number, minutes, fen):
            info = {"aftersale_id": f"7{number}", "order_id": f"69{number:08d}", "aftersale_status": 6,
                    "refund_amount": fen, "reason_text": "七天无理由",
                    "update_time": int((T0 + timedelta(minutes=minutes)).timestamp())}  # fmt: skip
            return {"aftersale_info": info, "order_info": {"shop_order_id": f"69{number:08d}"}}

        self.stub.refunds = [refund(i, i, 5810 + i) for i in range(4)]
        results = list(self.make_adapter().pull_refunds(T0, T0 + timedelta(hours=1)))
        self.assertEqual([r["amount"] for r in results], ["58.10", "58.11", "58.12", "58.13"])
        self.assertEqual(
            {k: v for k, v in results[0].items() if k != "raw"},
            {"refund_id": "70", "order_no": "6900000000", "status": 6, "amount": "58.10", "reason": "七天无理由",
             "updated": "2026-03-01 10:00:00"},
        )  # fmt: skip
        self.assertEqual([self.business(r)["page"] for r in self.stub.requests], [0, 1])
        self.assertEqual({r.path for r in self.stub.requests}, {"/afterSale/List"})


class TestDouyinErrors(DouyinCase):
    def setUp(self):
        super().setUp()
        self.stub.set_orders([dy_order(1, T0)])

    def test_bad_signature(self):
        wrong = "wrong-secret-4c4c"
        with self.assertLogs("omni_platform.platforms", logging.DEBUG) as logs:
            with self.assertRaises(PlatformAuthError) as caught:
                self.pull(self.make_adapter(app_secret=wrong))
        error = caught.exception
        self.assertIn("签名错误", str(error))
        self.assertEqual((error.code, error.retryable), (30001, False))
        self.assertEqual(len(self.stub.requests), 1)
        for text in [str(error), error.detail, *logs.output]:
            self.assertNotIn(wrong, text)

    def test_expired_token_is_not_logged(self):
        with self.assertLogs("omni_platform.platforms", logging.DEBUG) as logs:
            with self.assertRaises(PlatformAuthError) as caught:
                self.pull(self.make_adapter(access_token="expired-token-99"))
        self.assertEqual(caught.exception.code, 30002)
        for text in [str(caught.exception), *logs.output]:
            self.assertNotIn("expired-token-99", text)

    def test_rate_limit_retried_then_raised(self):
        self.stub.douyin_error_next(1)
        self.assertEqual(len(self.pull(self.make_adapter())), 1)
        self.assertEqual(len(self.stub.requests), 2)
        self.stub.reset()
        self.stub.douyin_error_next(3)
        with self.assertRaises(PlatformRateLimitError):
            self.pull(self.make_adapter())
        self.assertEqual(len(self.stub.requests), 3)

    def test_other_error_90000_is_not_retried(self):
        # 90000 其他错误: not a call limit
        self.stub.douyin_error_next(1, code=90000, msg="其他错误", sub_code="", sub_msg="其他错误")
        with self.assertRaises(PlatformRejectedError) as caught:
            self.pull(self.make_adapter())
        self.assertNotIsInstance(caught.exception, PlatformRateLimitError)
        self.assertEqual(len(self.stub.requests), 1, "not retried as a call limit")

    def test_timestamp_in_unix_seconds(self):
        self.pull(self.make_adapter())
        (call,) = self.stub.requests
        self.assertRegex(call.params["timestamp"], r"^\d{10}$")

    def test_business_refusal(self):
        self.stub.max_days = 0
        with self.assertRaises(PlatformRejectedError) as caught:
            self.pull(self.make_adapter())
        self.assertIn("时间跨度", str(caught.exception))
        self.assertEqual(len(self.stub.requests), 1)

    def test_check_connection(self):
        self.make_adapter().check_connection()
        with self.assertRaises(PlatformAuthError):
            self.make_adapter(app_key="1").check_connection()


class TestDouyinPush(DouyinCase):
    def test_push_stock_per_sku(self):
        self.stub.stock_refuse = {"SKU-X": "商品不存在"}
        adapter = self.make_adapter(extra={"product_ids": {"SKU-B": "3500000000001"}})
        results = adapter.push_stock({"SKU-A": 5, "SKU-B": 0, "SKU-X": 3, "SKU-C": -2})
        self.assertEqual(results, {"SKU-A": None, "SKU-B": None, "SKU-X": "商品不存在", "SKU-C": None})
        self.assertEqual(self.stub.stock, {"SKU-A": 5, "SKU-B": 0, "SKU-C": 0})
        sent = [self.business(r) for r in self.stub.requests]
        self.assertEqual({r.path for r in self.stub.requests}, {"/sku/syncStock"})
        self.assertEqual(sent[1], {"code": "SKU-B", "incremental": False, "product_id": 3500000000001, "stock_num": 0})

    def test_push_stock_invalid_business_parameter_fails_that_sku_only(self):
        # 40004 业务参数错误: that SKU is refused, the push goes on
        self.stub.stock_refuse = {"SKU-X": (40004, "商品编码不存在")}
        results = self.make_adapter().push_stock({"SKU-X": 3, "SKU-A": 5})
        self.assertEqual(results, {"SKU-X": "商品编码不存在", "SKU-A": None})
        self.assertEqual(self.stub.stock, {"SKU-A": 5})

    def test_push_stock_auth_error_raises_with_partial_results(self):
        adapter = self.make_adapter()
        adapter.push_stock({"SKU-A": 1})
        adapter.access_token = "revoked"
        with self.assertRaises(PlatformAuthError) as caught:
            adapter.push_stock({"SKU-A": 5, "SKU-B": 1})
        self.assertEqual(caught.exception.partial_results, {})

    def test_push_shipment(self):
        self.make_adapter().push_shipment("6900000001", "sf", "SF100")
        self.make_adapter(extra={"courier_codes": {"XYZ": "xyz"}}).push_shipment("6900000002", "XYZ", "X1")
        self.assertEqual(
            self.stub.shipments,
            [
                {"order_no": "6900000001", "courier": "shunfeng", "tracking_no": "SF100"},
                {"order_no": "6900000002", "courier": "xyz", "tracking_no": "X1"},
            ],
        )

    def test_push_shipment_refused(self):
        self.stub.shipment_refuse = {"6900000009": "订单已发货"}
        with self.assertRaises(PlatformRejectedError) as caught:
            self.make_adapter().push_shipment("6900000009", "ZTO", "ZT1")
        self.assertIn("订单已发货", str(caught.exception))
        with self.assertRaises(PlatformRejectedError):
            self.make_adapter().push_shipment("6900000008", "NOSUCH", "N1")
        self.assertEqual(len(self.stub.requests), 1)


class TestDouyinChannel(TransactionCase):
    def test_channel_builds_its_adapter(self):
        channel = self.env["omni.channel"].create(
            {
                "name": "Douyin shop",
                "code": "DY01",
                "platform": "douyin",
                "adapter_kind": "douyin",
                "api_base_url": "https://openapi-fxg.jinritemai.com",
                "api_app_key": APP_KEY,
                "api_app_secret": SECRET,
                "api_access_token": TOKEN,
                "douyin_courier_code_ids": [Command.create({"courier_code": "xyz ", "platform_code": " xyzexpress"})],
            }
        )
        with channel._get_adapter() as adapter:
            self.assertIsInstance(adapter, DouyinAdapter)
            self.assertEqual(adapter.courier_codes["XYZ"], "xyzexpress")
            self.assertEqual(adapter.courier_codes["SF"], "shunfeng")
        self.assertEqual(channel.douyin_courier_code_ids.platform, "douyin")
        with self.assertRaisesRegex(ValidationError, "needs our courier code"):
            channel.douyin_courier_code_ids = [Command.create({"courier_code": "  ", "platform_code": "x"})]


class TestDouyinReceivers(DouyinCase):
    """Shapes from zsmhub/doudian-sdk: shop orders with encrypt_post_receiver,
    encrypt_post_tel, post_addr.encrypt_detail and open_address_id;
    order.batchDecrypt (cipher_infos of {auth_id, cipher_text}, at most 50;
    data.decrypt_infos with err_no, custom_err)."""

    def encrypted_order(self, number):
        order_id = f"69{number:08d}"
        cipher = {
            "name": f"##{number}qIOpbLPevlQwA6f*CgYIASAHKAESPgo8#1##",
            "phone": f"$${number}KlqdO3S6/9vQsJes*CgYIASAHKAESPgo8$1$$",
            "address": f"#{number}5e4wPfKQCWbYKOTV*CgYIASAHKAESPgo8#1#",
        }
        for kind, data_type, text in (("name", 2, "孙七"), ("phone", 3, "13500000000"), ("address", 1, "天河路 1 号")):
            self.stub.receivers[cipher[kind]] = {"auth_id": order_id, "data_type": data_type, "text": text}
        order = dy_order(
            number, T0, post_receiver="", post_tel="", encrypt_post_receiver=cipher["name"],
            encrypt_post_tel=cipher["phone"], mask_post_receiver="孙*", mask_post_tel="135****0000",
            open_address_id=f"#open{number % 2}#",
        )  # fmt: skip
        order["post_addr"] = {**order["post_addr"], "detail": "", "encrypt_detail": cipher["address"]}
        order["mask_post_addr"] = {**order["post_addr"], "detail": "天河路***"}
        del order["mask_post_addr"]["encrypt_detail"]
        return order

    def test_receiver_masked_with_ciphertext_and_open_address_id(self):
        self.stub.set_orders([self.encrypted_order(1), dy_order(2, T0)])
        orders = {o["platform_order_no"]: o for o in self.pull(self.make_adapter())}
        encrypted = orders["6900000001"]
        self.assertEqual((encrypted["receiver_name"], encrypted["phone"]), ("孙*", "135****0000"))
        self.assertIn("天河路***", encrypted["address"])
        self.assertTrue(encrypted["receiver_cipher"]["phone"].startswith("$$1"))
        self.assertEqual(encrypted["receiver_id"], "#open1#")
        self.assertEqual((orders["6900000002"]["receiver_id"], orders["6900000002"]["receiver_cipher"]), ("", {}))

    def test_batch_decrypt_within_quota(self):
        self.stub.set_orders([self.encrypted_order(n) for n in range(1, 19)])
        receivers = [
            {
                "platform_order_no": o["platform_order_no"],
                "receiver_id": o["receiver_id"],
                "cipher": o["receiver_cipher"],
            }
            for o in self.pull(self.make_adapter())
        ]
        self.stub.decrypt_quota = 1
        with self.assertRaises(PlatformRateLimitError) as caught:
            self.make_adapter().decrypt_receivers(receivers)
        done = caught.exception.partial_results
        plain = {"receiver_name": "孙七", "phone": "13500000000", "address": "天河路 1 号"}
        self.assertEqual(list(done.values()), [plain] * 16, "16 orders (48 ciphertexts, at most 50) a call")
        call = self.stub.requests_for(path="/order/batchDecrypt")[0]
        infos = self.business(call)["cipher_infos"]
        self.assertEqual(len(infos), 48)
        self.assertEqual(
            infos[0], {"auth_id": receivers[0]["platform_order_no"], "cipher_text": receivers[0]["cipher"]["name"]}
        )
        self.stub.decrypt_quota = None
        rest = self.make_adapter().decrypt_receivers(receivers[16:])
        self.assertEqual(list(rest.values()), [plain] * 2)


class TestDouyinTokenExpired(DouyinCase):
    def test_token_expired_mid_pull_resumes_after_the_first_day(self):
        self.stub.set_orders([dy_order(1, T0 + timedelta(minutes=5)), dy_order(2, T0 + timedelta(days=1, hours=1))])

        def expire(stub, request):
            if request.path == "/order/searchList":
                stub.access_token = "renewed-elsewhere"

        self.stub.after_request = expire
        with self.assertRaises(PlatformAuthError) as caught:
            self.pull(self.make_adapter(), T0, T0 + timedelta(days=2))
        self.assertEqual([o["platform_order_no"] for o in caught.exception.partial_orders], ["6900000001"])
        self.assertEqual(caught.exception.pulled_until, T0 + timedelta(days=1))
