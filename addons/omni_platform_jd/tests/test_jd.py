# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The JD adapter against a stand-in JD router on 127.0.0.1 (Odoo test cases without database),
and one TransactionCase: a JD channel builds its adapter."""

import hashlib
import importlib.util
import json
import logging
from datetime import datetime, timedelta, timezone
from pathlib import Path

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase
from odoo.tools import mute_logger

from odoo.addons.omni_channel.tests.common import OmniChannelTestMixin
from odoo.addons.omni_platform.platforms import (
    PlatformAuthError,
    PlatformRateLimitError,
    PlatformRejectedError,
    PlatformServerError,
    get_adapter,
)
from odoo.addons.omni_platform.tests.common import StubTestCase

from ..platforms.jd import JdAdapter, sign
from .jd_stub import JdStub, jd_sign

UTC = timezone.utc
BEIJING = timezone(timedelta(hours=8))
T0 = datetime(2026, 3, 1, 2, 0, 0, tzinfo=UTC)  # 10:00 in Beijing
APP_KEY = "JDAPPKEY01"
SECRET = "jd-secret-51ac"
TOKEN = "jd-token-9f3e"


def jd_order(number, modified, **values):
    order = {
        "orderId": str(number),
        "orderState": "WAIT_SELLER_STOCK_OUT",
        "orderStartTime": "2026-03-01 09:58:00",
        "modified": modified.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S"),
        "payType": "4-在线支付",
        "orderTotalPrice": "66.00",
        "orderPayment": "58.00",
        "freightPrice": "8.00",
        "orderRemark": "请尽快发货",
        "pin": "jd_buyer",
        "consigneeInfo": {
            "fullname": "王五",
            "mobile": "13700000000",
            "telephone": "010-12345678",
            "province": "北京",
            "city": "北京市",
            "county": "朝阳区",
            "fullAddress": "北京朝阳区建国路 1 号",
        },
        "itemInfoList": [{"skuId": "100012", "outerSkuId": "SKU-A", "jdPrice": "25.00", "itemTotal": "2"}],
    }
    order.update(values)
    return order


class JdCase(StubTestCase):
    def setUp(self):
        super().setUp()
        self.stub = JdStub(app_key=APP_KEY, app_secret=SECRET, access_token=TOKEN, skus={"SKU-A": 100012}).start()
        self.addCleanup(self.stub.stop)
        self.sleeps = []

    def make_adapter(self, **config):
        options = {
            "base_url": self.stub.router_url,
            "app_key": APP_KEY,
            "app_secret": SECRET,
            "access_token": TOKEN,
            "page_size": 3,
            "timeout": 2,
            "sleep": self.sleeps.append,
            **config,
        }
        adapter = JdAdapter(**options)
        self.addCleanup(adapter.close)
        return adapter

    def pull(self, adapter, since=T0, until=T0 + timedelta(hours=1)):
        return list(adapter.pull_orders(since, until))

    def business(self, request):
        return json.loads(request.form["360buy_param_json"])


class TestJdSign(StubTestCase):
    def test_sign_against_hand_computed_md5(self):
        params = {
            "method": "jingdong.pop.order.search",
            "app_key": "K",
            "access_token": "T",
            "timestamp": "2026-03-01 10:00:00",
            "v": "2.0",
            "360buy_param_json": '{"page":"1"}',
            "empty": "",
            "sign": "OLD",
        }
        text = (
            "S"
            '360buy_param_json{"page":"1"}'
            "access_tokenT"
            "app_keyK"
            "methodjingdong.pop.order.search"
            "timestamp2026-03-01 10:00:00"
            "v2.0"
            "S"
        )
        self.assertEqual(sign(params, "S"), hashlib.md5(text.encode()).hexdigest().upper())
        self.assertEqual(sign(params, "S"), jd_sign({k: v for k, v in params.items()}, "S"))


class TestJdPull(JdCase):
    def test_paging_and_system_parameters(self):
        self.stub.set_orders(jd_order(1000 + i, T0 + timedelta(minutes=i)) for i in range(7))
        orders = self.pull(self.make_adapter())
        self.assertEqual([o["platform_order_no"] for o in orders], [str(1000 + i) for i in range(7)])
        calls = self.stub.requests
        self.assertEqual([self.business(r)["page"] for r in calls], ["1", "2", "3"])
        for call in calls:
            form = call.form
            self.assertEqual((call.method, call.path), ("POST", "/routerjson"))
            self.assertEqual(form["method"], "jingdong.pop.order.search")
            self.assertEqual((form["app_key"], form["access_token"]), (APP_KEY, TOKEN))
            self.assertEqual((form["v"], form["format"], form["sign_method"]), ("2.0", "json", "md5"))
            self.assertRegex(form["timestamp"], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
            self.assertEqual(form["sign"], jd_sign(form, SECRET))
            business = self.business(call)
            self.assertEqual(
                business["order_state"], "WAIT_SELLER_STOCK_OUT,LOCKED,POP_ORDER_PAUSE,PAUSE,TRADE_CANCELED"
            )
            self.assertEqual(business["page_size"], "3")
            self.assertEqual(
                (business["start_date"], business["end_date"]), ("2026-03-01 10:00:00", "2026-03-01 11:00:00")
            )
            self.assertIn("itemInfoList", business["optional_fields"].split(","))

    def test_order_mapped_to_public_shape(self):
        order = jd_order(
            2001,
            T0,
            payType="1-货到付款",
            orderPayment="58.10",
            orderRemark=None,
            itemInfoList=[
                {"skuId": "100012", "outerSkuId": "SKU-A", "jdPrice": "9.90", "itemTotal": "3"},
                {"skuId": "100013", "outerSkuId": "", "jdPrice": "28.40", "itemTotal": "1"},
            ],
        )
        self.stub.set_orders([order])
        (result,) = self.pull(self.make_adapter())
        self.assertEqual(
            {k: v for k, v in result.items() if k not in ("raw", "receiver_id", "receiver_cipher")},
            {
                "platform_order_no": "2001",
                "order_time": "2026-03-01 09:58:00",
                "buyer_nick": "jd_buyer",
                "receiver_name": "王五",
                "phone": "13700000000",
                "province": "北京",
                "city": "北京市",
                "district": "朝阳区",
                "address": "北京朝阳区建国路 1 号",
                "payment_method": "cod",
                "paid_amount": "58.10",
                "shipping_fee": "8.00",
                "buyer_note": None,
                "lines": [
                    {"platform_sku": "SKU-A", "quantity": "3", "unit_price": "9.90"},
                    # no merchant code on JD: JD's sku id
                    {"platform_sku": "100013", "quantity": "1", "unit_price": "28.40"},
                ],
            },
        )
        self.assertEqual(result["raw"]["payType"], "1-货到付款")

    def test_prepaid_note_and_states(self):
        self.stub.set_orders([jd_order(1, T0), jd_order(2, T0, orderState="TRADE_CANCELED")])
        (order,) = self.pull(self.make_adapter())
        self.assertEqual((order["payment_method"], order["buyer_note"]), ("prepaid", "请尽快发货"))
        # asked for, a cancelled order is still not staged: it is skipped and named
        adapter = self.make_adapter(extra={"order_states": "WAIT_SELLER_STOCK_OUT,TRADE_CANCELED"})
        self.assertEqual([o["platform_order_no"] for o in self.pull(adapter)], ["1"])
        self.assertEqual(
            adapter.skipped,
            [{"platform_order_no": "2", "status": "TRADE_CANCELED", "unknown": False, "state": "cancelled"}],
        )

    def test_states_asked_and_changes_after_intake(self):
        """By default the search asks, besides WAIT_SELLER_STOCK_OUT, the
        states an order waiting to ship moves to when it must not ship:
        LOCKED (已锁定: a refund asked) and paused hold a staged order,
        TRADE_CANCELED cancels it."""
        self.stub.set_orders(
            [
                jd_order(1, T0),
                jd_order(2, T0, orderState="LOCKED"),
                jd_order(3, T0, orderState="POP_ORDER_PAUSE"),
                jd_order(4, T0, orderState="TRADE_CANCELED"),
            ]
        )
        adapter = self.make_adapter()
        self.assertEqual([o["platform_order_no"] for o in self.pull(adapter)], ["1"])
        self.assertEqual(
            self.business(self.stub.requests[0])["order_state"],
            "WAIT_SELLER_STOCK_OUT,LOCKED,POP_ORDER_PAUSE,PAUSE,TRADE_CANCELED",
        )
        self.assertEqual(
            [(s["platform_order_no"], s["state"]) for s in adapter.skipped],
            [("2", "hold"), ("3", "hold"), ("4", "cancelled")],
        )

    def test_unknown_order_state_is_not_guessed(self):
        self.stub.set_orders([jd_order(1, T0), jd_order(2, T0, orderState="NEW_STATE")])
        adapter = self.make_adapter(extra={"order_states": "WAIT_SELLER_STOCK_OUT,NEW_STATE"})
        self.assertEqual([o["platform_order_no"] for o in self.pull(adapter)], ["1"])
        [skipped] = adapter.skipped
        self.assertEqual(
            {k: v for k, v in skipped.items() if k != "order"},
            {"platform_order_no": "2", "status": "NEW_STATE", "unknown": True, "state": "unknown"},
        )
        self.assertEqual(skipped["order"]["platform_order_no"], "2", "kept for the exception queue")

    def test_window_never_longer_than_a_month(self):
        # 30 days from 1 February would be more than the documented one month
        since = datetime(2026, 2, 1, 2, 0, 0, tzinfo=UTC)
        until = since + timedelta(days=70)
        self.stub.set_orders(jd_order(i, since + timedelta(days=10 * i)) for i in range(7))
        orders = self.pull(self.make_adapter(), since, until)
        self.assertEqual(sorted(int(o["platform_order_no"]) for o in orders), list(range(7)))
        windows = [(self.business(r)["start_date"], self.business(r)["end_date"]) for r in self.stub.requests]
        self.assertEqual(
            windows,
            [
                ("2026-02-01 10:00:00", "2026-03-01 10:00:00"),
                ("2026-03-01 10:00:00", "2026-03-29 10:00:00"),
                ("2026-03-29 10:00:00", "2026-04-12 10:00:00"),
            ],
        )

    def test_page_size_capped_at_100(self):
        self.pull(self.make_adapter(page_size=500))
        self.assertEqual(self.business(self.stub.requests[0])["page_size"], "100")


class TestJdErrors(JdCase):
    def setUp(self):
        super().setUp()
        self.stub.set_orders([jd_order(1, T0)])

    def test_bad_signature(self):
        wrong = "wrong-secret-77d1"
        with self.assertLogs("omni_platform.platforms", logging.DEBUG) as logs:
            with self.assertRaises(PlatformAuthError) as caught:
                self.pull(self.make_adapter(app_secret=wrong))
        error = caught.exception
        self.assertIn("jingdong.pop.order.search", str(error))
        self.assertIn("无效签名", str(error))
        self.assertEqual((error.code, error.retryable), ("12", False))
        self.assertEqual(len(self.stub.requests), 1)
        for text in [str(error), error.detail, *logs.output]:
            self.assertNotIn(wrong, text)

    def test_expired_token(self):
        with self.assertRaises(PlatformAuthError) as caught:
            self.pull(self.make_adapter(access_token="old-token-0000"))
        self.assertEqual(caught.exception.code, "19")
        self.assertNotIn("old-token-0000", str(caught.exception))

    def test_rate_limit_retried_then_raised(self):
        self.stub.jd_error_next(1)
        self.assertEqual(len(self.pull(self.make_adapter())), 1)
        self.assertEqual((len(self.stub.requests), self.sleeps), (2, [0.5]))
        self.stub.reset()
        self.stub.jd_error_next(3)
        with self.assertRaises(PlatformRateLimitError) as caught:
            self.pull(self.make_adapter())
        self.assertTrue(caught.exception.retryable)
        self.assertEqual(len(self.stub.requests), 3)

    def test_server_busy_is_retried(self):
        self.stub.jd_error_next(3, code="66", zh_desc="平台服务繁忙")
        with self.assertRaises(PlatformServerError):
            self.pull(self.make_adapter())
        self.assertEqual(len(self.stub.requests), 3)

    def test_business_refusal(self):
        # a window the stub refuses (JD answers apiResult.success = false)
        self.stub.max_days = 0
        with self.assertRaises(PlatformRejectedError) as caught:
            self.pull(self.make_adapter())
        self.assertIn("时间跨度", str(caught.exception))
        self.assertEqual(len(self.stub.requests), 1)

    def test_check_connection(self):
        self.make_adapter().check_connection()
        with self.assertRaises(PlatformAuthError):
            self.make_adapter(app_key="OTHER").check_connection()


class TestJdPush(JdCase):
    def test_push_stock_per_sku(self):
        self.stub.skus.update({"SKU-B": 100020, "SKU-X": 100030})
        self.stub.stock_refuse = {"SKU-X": "商品已下架"}
        adapter = self.make_adapter(extra={"sku_ids": {"SKU-B": "100020"}})
        results = adapter.push_stock({"SKU-A": 5, "SKU-B": 0, "SKU-X": 3, "NOPE": 1, "SKU-A2": -4})
        self.assertEqual(
            results,
            {
                "SKU-A": None,
                "SKU-B": None,
                "SKU-X": "商品已下架",
                "NOPE": "no JD SKU with the merchant code NOPE",
                "SKU-A2": "no JD SKU with the merchant code SKU-A2",
            },
        )
        self.assertEqual(self.stub.stock, {"SKU-A": 5, "SKU-B": 0})
        stock_calls = [
            self.business(r) for r in self.stub.requests_for(api_method="jingdong.stock.write.updateSkuStock")
        ]
        self.assertEqual(stock_calls[0], {"skuId": 100012, "stockNum": 5})
        # SKU-B was mapped: no lookup for it
        lookups = [
            self.business(r)["outId"] for r in self.stub.requests_for(api_method="jingdong.sku.read.searchSkuList")
        ]
        self.assertEqual(lookups, ["SKU-A", "SKU-X", "NOPE", "SKU-A2"])

    def test_sku_lookup_filters_by_outid_among_many(self):
        # searchSkuList's names are outId / pageNo / page_size: with other
        # names the filter is ignored and the SKU is not on the first page
        self.stub.skus = {f"OTHER-{i:02d}": 200000 + i for i in range(30)} | {"SKU-Z": 100099}
        results = self.make_adapter().push_stock({"SKU-Z": 4})
        self.assertEqual(results, {"SKU-Z": None})
        (lookup,) = self.stub.requests_for(api_method="jingdong.sku.read.searchSkuList")
        self.assertEqual(
            self.business(lookup), {"outId": "SKU-Z", "pageNo": 1, "page_size": 20, "field": "skuId,outerId"}
        )

    def test_push_stock_auth_error_raises_with_partial_results(self):
        adapter = self.make_adapter()
        adapter.push_stock({"SKU-A": 1})
        adapter.access_token = "revoked"
        with self.assertRaises(PlatformAuthError) as caught:
            adapter.push_stock({"SKU-A": 5})
        self.assertEqual(caught.exception.partial_results, {})

    def test_push_shipment(self):
        self.make_adapter().push_shipment("3001", "sf", "SF1234567890")
        self.make_adapter().push_shipment("3002", "2087", "JDV0001")
        self.assertEqual(
            self.stub.shipments,
            [
                {"order_no": "3001", "courier": "467", "tracking_no": "SF1234567890"},
                {"order_no": "3002", "courier": "2087", "tracking_no": "JDV0001"},
            ],
        )
        extra = {"courier_ids": {"XYZ": "9999"}}
        self.make_adapter(extra=extra).push_shipment("3003", "XYZ", "X1")
        self.assertEqual(self.stub.shipments[-1]["courier"], "9999")

    def test_push_shipment_refused(self):
        self.stub.shipment_refuse = {"3002": "订单已出库"}
        with self.assertRaises(PlatformRejectedError) as caught:
            self.make_adapter().push_shipment("3002", "SF", "SF1")
        self.assertIn("订单已出库", str(caught.exception))
        self.assertIn("3002", str(caught.exception))

    def test_unknown_courier_is_refused_before_calling(self):
        with self.assertRaises(PlatformRejectedError) as caught:
            self.make_adapter().push_shipment("3004", "NOSUCH", "N1")
        self.assertIn("NOSUCH", str(caught.exception))
        self.assertEqual(self.stub.requests, [])


class TestJdChannel(OmniChannelTestMixin, TransactionCase):
    def test_channel_builds_its_adapter(self):
        channel = self.env["omni.channel"].create(
            {
                "name": "JD flagship",
                "code": "JD01",
                "platform": "jd",
                "adapter_kind": "jd",
                "api_base_url": "https://api.jd.com/routerjson",
                "api_app_key": APP_KEY,
                "api_app_secret": SECRET,
                "api_access_token": TOKEN,
                "jd_courier_code_ids": [Command.create({"courier_code": "XYZ", "platform_code": "9999"})],
            }
        )
        with channel._get_adapter() as adapter:
            self.assertIsInstance(adapter, JdAdapter)
            self.assertEqual(adapter.courier_ids["XYZ"], "9999")
            self.assertEqual(adapter.courier_ids["SF"], "467")
            self.assertEqual(adapter.order_states, "WAIT_SELLER_STOCK_OUT")
        self.assertIs(
            type(get_adapter("jd", base_url="http://x", app_key="k", app_secret="s", access_token="t")), JdAdapter
        )

    def test_a_manager_fills_the_courier_ids_on_the_channel_form(self):
        manager = self._create_omni_user(
            "jd_form_manager",
            self.env.company,
            "omni_channel.group_omni_channel_user",
            "omni_channel.group_omni_channel_manager",
        )
        form = Form(self.env["omni.channel"].with_user(manager))
        form.name = "JD form"
        form.code = "JD05"
        form.platform = "jd"
        form.adapter_kind = "jd"
        form.api_base_url = "https://api.jd.com/routerjson"
        with form.jd_courier_code_ids.new() as line:
            line.courier_code = "kye"
            line.platform_code = "2130"
        channel = form.save()
        self.assertEqual(channel.sudo()._jd_parse_courier_ids(), {"KYE": "2130"})

    def test_courier_ids_are_lines_checked_one_by_one(self):
        channel = self.env["omni.channel"].create({"name": "JD 2", "code": "JD02", "platform": "jd"})
        channel.jd_courier_code_ids = [Command.create({"courier_code": " sf", "platform_code": "467 "})]
        self.assertEqual(channel._jd_parse_courier_ids(), {"SF": "467"})
        for values, says in (
            ({"courier_code": "ZTO", "platform_code": "abc"}, "ZTO: the platform's id is a number"),
            ({"courier_code": "", "platform_code": "468"}, "needs our courier code"),
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError) as caught:
                channel.jd_courier_code_ids = [Command.create(values)]
            self.assertIn(says, str(caught.exception))
            self.assertIn("JD 2", str(caught.exception))
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            channel.jd_courier_code_ids = [Command.create({"courier_code": "Sf", "platform_code": "468"})]
        self.assertEqual(channel._jd_parse_courier_ids(), {"SF": "467"})
        # another platform's line of the same courier is that platform's business
        self.env["omni.channel.courier.code"].create(
            {"channel_id": channel.id, "platform": "douyin_test", "courier_code": "SF", "platform_code": "sf"}
        )
        self.assertEqual(channel._jd_parse_courier_ids(), {"SF": "467"})

    def test_migration_turns_the_text_into_lines(self):
        """18.0.1.1.0: the text field jd_courier_ids (CODE=ID a line) becomes lines."""
        channel = self.env["omni.channel"].create({"name": "JD 3", "code": "JD03", "platform": "jd"})
        other = self.env["omni.channel"].create({"name": "JD 4", "code": "JD04", "platform": "jd"})
        cr = self.env.cr
        # the column of the text field as a database of version 18.0.1.0.0 has it
        cr.execute("ALTER TABLE omni_channel ADD COLUMN IF NOT EXISTS jd_courier_ids text")
        cr.execute(
            "UPDATE omni_channel SET jd_courier_ids = %s WHERE id = %s",
            ["sf = 467\n\nZTO=abc\nXYZ=9\nxyz=99", channel.id],
        )
        cr.execute("UPDATE omni_channel SET jd_courier_ids = NULL WHERE id != %s", [channel.id])
        path = Path(__file__).parents[1] / "migrations" / "18.0.1.1.0" / "post-migrate.py"
        spec = importlib.util.spec_from_file_location("omni_platform_jd_post_migrate_18_0_1_1_0", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        with self.assertLogs("odoo.addons.omni_platform.models.omni_channel_courier_code", "WARNING") as logs:
            module.migrate(cr, "18.0.1.0.0")
        self.assertIn("ZTO=abc", logs.output[0])  # not a number: left out, said
        self.assertEqual(channel._jd_parse_courier_ids(), {"SF": "467", "XYZ": "99"})
        self.assertFalse(other.jd_courier_code_ids)
        # run twice, nothing twice
        module.migrate(cr, "18.0.1.0.0")
        self.assertEqual(len(channel.jd_courier_code_ids), 2)


class TestJdReceivers(JdCase):
    """jingdong.jos.order.oaid.decrypt as the JD Java SDK defines it
    (getReceiverInfoListReqVO with orderInfos of orderId and oaid; returnType
    with code, message and data of OrderReceiverInfoModel)."""

    def encrypted_order(self, number):
        oaid = f"JDOAID{number}x9"
        self.stub.receivers[oaid] = {
            "orderId": str(number), "customerName": "王五", "consMobilePhone": "13700000000",
            "address": "北京朝阳区建国路 1 号",
        }  # fmt: skip
        consignee = {"fullname": "王*", "mobile": "137****0000", "province": "北京", "city": "北京市",
                     "county": "朝阳区", "fullAddress": "北京朝阳区建国路***"}  # fmt: skip
        return jd_order(number, T0, oaid=oaid, consigneeInfo=consignee)

    def test_receiver_masked_with_its_oaid(self):
        self.stub.set_orders([self.encrypted_order(2001), jd_order(2002, T0)])
        orders = {o["platform_order_no"]: o for o in self.pull(self.make_adapter())}
        self.assertEqual((orders["2001"]["receiver_name"], orders["2001"]["phone"]), ("王*", "137****0000"))
        self.assertEqual(orders["2001"]["receiver_id"], "JDOAID2001x9")
        self.assertEqual(orders["2001"]["receiver_cipher"]["address"], "北京朝阳区建国路***")
        self.assertEqual(orders["2002"]["receiver_cipher"], {})
        self.assertIn("oaid", self.business(self.stub.requests[0])["optional_fields"].split(","))

    def test_oaid_decrypt_within_quota(self):
        self.stub.set_orders([self.encrypted_order(3000 + n) for n in range(22)])
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
        plain = {"receiver_name": "王五", "phone": "13700000000", "address": "北京朝阳区建国路 1 号"}
        self.assertEqual(list(done.values()), [plain] * 20)
        call = next(r for r in self.stub.requests if r.form.get("method") == "jingdong.jos.order.oaid.decrypt")
        request = self.business(call)["getReceiverInfoListReqVO"]
        self.assertEqual(request["orderType"], "POP")
        self.assertEqual(
            request["orderInfos"][0],
            {"orderId": receivers[0]["platform_order_no"], "oaid": receivers[0]["receiver_id"]},
        )
        self.stub.decrypt_quota = None
        self.assertEqual(list(self.make_adapter().decrypt_receivers(receivers[20:]).values()), [plain] * 2)


class TestJdTokenExpired(JdCase):
    def test_token_expired_mid_pull_resumes_after_the_first_window(self):
        self.stub.set_orders([jd_order(6001, T0 + timedelta(days=1)), jd_order(6002, T0 + timedelta(days=30))])

        def expire(stub, request):
            if request.form.get("method") == "jingdong.pop.order.search":
                stub.access_token = "renewed-elsewhere"

        self.stub.after_request = expire
        with self.assertRaises(PlatformAuthError) as caught:
            self.pull(self.make_adapter(), T0, T0 + timedelta(days=40))
        self.assertEqual([o["platform_order_no"] for o in caught.exception.partial_orders], ["6001"])
        self.assertEqual(caught.exception.pulled_until, T0 + timedelta(days=28))
