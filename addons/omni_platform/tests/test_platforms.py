# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Platform adapters against a real HTTP stub on 127.0.0.1 (no database).

Odoo test cases without database (:class:`.common.StubTestCase`): run by
pytest-odoo (scripts/test.sh) and by ``odoo-bin --test-enable``
(scripts/test_odoo_runner.sh) alike.
"""

import hashlib
import json
import logging
import socket
from datetime import datetime, timedelta, timezone

from ..platforms import (
    ADAPTERS,
    GenericRestAdapter,
    HttpClient,
    PlatformAuthError,
    PlatformConnectionError,
    PlatformRateLimitError,
    PlatformRejectedError,
    PlatformResponseError,
    PlatformServerError,
    PlatformTimeout,
    TaobaoTopAdapter,
    get_adapter,
    sign,
)
from .common import StubTestCase
from .platform_stub import PlatformStub

UTC = timezone.utc
BEIJING = timezone(timedelta(hours=8))
T0 = datetime(2026, 3, 1, 2, 0, 0, tzinfo=UTC)  # 10:00 in Beijing
TOKEN = "rest-token-4f9a"
APP_KEY = "12345678"
SECRET = "top-secret-9c1e"
SESSION = "session-77ab"
SLOW = 0.6  # server delay, well above the client timeout below
CLIENT_TIMEOUT = 0.2


def rest_order(number, updated, **values):
    order = {
        "platform_order_no": number,
        "order_time": "2026-03-01 10:00:00",
        "buyer_nick": "nick_" + number,
        "receiver_name": "张三",
        "phone": "13800000000",
        "province": "浙江省",
        "city": "杭州市",
        "district": "西湖区",
        "address": "文三路 1 号",
        "payment_method": "在线支付",
        "paid_amount": "99.50",
        "shipping_fee": "0.00",
        "buyer_note": "",
        "lines": [{"platform_sku": "SKU-1", "quantity": "2.2500", "unit_price": "44.22"}],
        "updated": updated.isoformat(),
    }
    order.update(values)
    return order


def top_trade(tid, modified, **values):
    trade = {
        "tid": tid,
        "type": "fixed",
        "status": "WAIT_SELLER_SEND_GOODS",
        "created": "2026-03-01 09:58:00",
        "modified": modified.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S"),
        "buyer_nick": "tb_buyer",
        "receiver_name": "李四",
        "receiver_mobile": "13900000000",
        "receiver_phone": "0755-12345678",
        "receiver_state": "广东省",
        "receiver_city": "深圳市",
        "receiver_district": "南山区",
        "receiver_address": "科技园 2 号",
        "payment": "58.00",
        "post_fee": "8.00",
        "buyer_message": "请尽快发货",
        "orders": {
            "order": [
                {
                    "oid": tid * 10,
                    "num_iid": 1001,
                    "outer_iid": "ITEM-A",
                    "outer_sku_id": "SKU-A",
                    "num": 2,
                    "price": "25.00",
                }
            ]
        },
    }
    trade.update(values)
    return trade


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StubCase(StubTestCase):
    """Starts a PlatformStub per test; ``self.sleeps`` records back-off waits.
    :meth:`make_adapter` builds an ``adapter_class`` talking to the stub with
    the stub's credentials (``stub_options``), 3 orders a page, no real
    waits; keyword arguments override."""

    stub_options = {}
    adapter_class = None

    def setUp(self):
        super().setUp()
        self.stub = PlatformStub(**self.stub_options).start()
        self.addCleanup(self.stub.stop)
        self.sleeps = []

    def base_url(self):
        raise NotImplementedError

    def make_adapter(self, **config):
        options = {
            "base_url": self.base_url(),
            **self.stub_options,
            "page_size": 3,
            "timeout": CLIENT_TIMEOUT,
            "sleep": self.sleeps.append,
            **config,
        }
        adapter = self.adapter_class(**options)
        self.addCleanup(adapter.close)
        return adapter

    def pull(self, adapter, since=T0, until=T0 + timedelta(hours=1)):
        return list(adapter.pull_orders(since, until))


class GenericCase(StubCase):
    stub_options = {"access_token": TOKEN}
    adapter_class = GenericRestAdapter

    def base_url(self):
        return self.stub.url


class TopCase(StubCase):
    stub_options = {"app_key": APP_KEY, "app_secret": SECRET, "access_token": SESSION}
    adapter_class = TaobaoTopAdapter

    def base_url(self):
        return self.stub.router_url


# --- generic REST: orders ------------------------------------------------------
class TestGenericRestPull(GenericCase):
    def test_paging_across_three_pages(self):
        self.stub.set_orders(rest_order(f"W{i}", T0 + timedelta(minutes=i)) for i in range(7))
        orders = self.pull(self.make_adapter())
        self.assertEqual([o["platform_order_no"] for o in orders], [f"W{i}" for i in range(7)])
        calls = self.stub.requests_for("/orders")
        self.assertEqual([r.params["page"] for r in calls], ["1", "2", "3"])
        self.assertEqual({r.params["page_size"] for r in calls}, {"3"})
        self.assertEqual({r.headers["Authorization"] for r in calls}, {f"Bearer {TOKEN}"})

    def test_public_order_shape(self):
        # values as the platform gives them: omni.order._prepare_staging_vals
        # is the one normaliser (omni_order's test_platform_pull stages them)
        raw = rest_order("W1", T0, payment_method="货到付款", paid_amount=12.5, shipping_fee=None)
        self.stub.set_orders([raw])
        (order,) = self.pull(self.make_adapter())
        self.assertEqual(
            {k: v for k, v in order.items() if k not in ("raw", "updated")},
            {
                "platform_order_no": "W1",
                "order_time": "2026-03-01 10:00:00",
                "buyer_nick": "nick_W1",
                "receiver_name": "张三",
                "phone": "13800000000",
                "province": "浙江省",
                "city": "杭州市",
                "district": "西湖区",
                "address": "文三路 1 号",
                "payment_method": "货到付款",
                "paid_amount": 12.5,
                "shipping_fee": None,
                "buyer_note": "",
                "lines": [{"platform_sku": "SKU-1", "quantity": "2.2500", "unit_price": "44.22"}],
            },
        )
        self.assertEqual(order["raw"]["platform_order_no"], "W1")
        self.assertEqual(order["raw"]["payment_method"], "货到付款")

    def test_values_are_not_normalised_here(self):
        # the words and times go to staging as given (one normaliser there):
        # an unknown payment method no longer fails the whole pull
        self.stub.set_orders(
            [
                rest_order("W1", T0, payment_method="在线支付", order_time="2026-03-01T01:30:00+00:00"),
                rest_order("W2", T0, payment_method="barter"),
            ]
        )
        orders = {o["platform_order_no"]: o for o in self.pull(self.make_adapter())}
        self.assertEqual(orders["W1"]["payment_method"], "在线支付")
        self.assertEqual(orders["W1"]["order_time"], "2026-03-01T01:30:00+00:00")
        self.assertEqual(orders["W2"]["payment_method"], "barter")

    def test_order_without_number_is_a_response_error(self):
        self.stub.set_orders([rest_order(" ", T0)])
        with self.assertRaises(PlatformResponseError) as caught:
            self.pull(self.make_adapter())
        self.assertIn("without platform_order_no", str(caught.exception))

    def test_incremental_window(self):
        since, until = T0, T0 + timedelta(minutes=15)
        self.stub.set_orders(
            [
                rest_order("before", since - timedelta(seconds=1)),
                rest_order("at-since", since),
                rest_order("inside", since + timedelta(minutes=7)),
                rest_order("last-second", until - timedelta(seconds=1)),
                rest_order("at-until", until),
                rest_order("after", until + timedelta(hours=1)),
            ]
        )
        # naive datetimes are UTC, as Odoo stores them
        orders = self.pull(self.make_adapter(), since.replace(tzinfo=None), until.replace(tzinfo=None))
        self.assertEqual([o["platform_order_no"] for o in orders], ["at-since", "inside", "last-second"])
        (call,) = self.stub.requests_for("/orders")
        self.assertEqual(call.params["updated_from"], "2026-03-01T02:00:00+00:00")
        self.assertEqual(call.params["updated_to"], "2026-03-01T02:15:00+00:00")

    def test_aware_window_in_china_time(self):
        self.stub.set_orders([rest_order("W1", T0)])
        orders = self.pull(self.make_adapter(), T0.astimezone(BEIJING), (T0 + timedelta(minutes=1)).astimezone(BEIJING))
        self.assertEqual(len(orders), 1)
        (call,) = self.stub.requests_for("/orders")
        self.assertEqual(call.params["updated_from"], "2026-03-01T02:00:00+00:00")

    def test_empty_window_sends_nothing(self):
        self.assertEqual(self.pull(self.make_adapter(), T0, T0), [])
        self.assertEqual(self.stub.requests, [])
        with self.assertRaises(ValueError):
            self.pull(self.make_adapter(), T0, T0 - timedelta(minutes=1))

    def test_dedup_across_shifted_pages_keeps_last_version(self):
        self.stub.set_orders(rest_order(f"W{i}", T0 + timedelta(minutes=i)) for i in range(1, 7))

        def after_first_page(stub, request):
            if request.params.get("page") == "1":
                # a new order arrives before the others: everything shifts by one
                stub.add_orders(rest_order("W0", T0))
                # and W3 (last of page 1, first of page 2 now) is changed
                stub.upsert_order(rest_order("W3", T0 + timedelta(minutes=3), buyer_note="new version"))

        self.stub.after_request = after_first_page
        orders = self.pull(self.make_adapter())
        numbers = [o["platform_order_no"] for o in orders]
        self.assertEqual(numbers, ["W1", "W2", "W3", "W4", "W5", "W6"])
        self.assertEqual(len(self.stub.requests_for("/orders")), 3)
        self.assertEqual(orders[2]["buyer_note"], "new version")

    def test_has_more_never_ending_is_stopped(self):
        self.stub.set_orders(rest_order(f"W{i}", T0) for i in range(10))
        with self.assertRaises(PlatformResponseError):
            self.pull(self.make_adapter(extra={"max_pages": 2}))


# --- the HTTP client (through the generic adapter) -------------------------------
class TestHttpRetries(GenericCase):
    def setUp(self):
        super().setUp()
        self.stub.set_orders([rest_order("W1", T0)])

    def test_timeout_then_success(self):
        self.stub.delay_next(1, SLOW)
        orders = self.pull(self.make_adapter())
        self.assertEqual([o["platform_order_no"] for o in orders], ["W1"])
        self.assertEqual(len(self.stub.requests), 2)
        self.assertEqual(self.sleeps, [0.5])

    def test_timeout_on_every_try(self):
        self.stub.delay_next(3, SLOW)
        with self.assertRaises(PlatformTimeout) as caught:
            self.pull(self.make_adapter(retries=3))
        error = caught.exception
        self.assertTrue(error.retryable)
        self.assertIsNone(error.status)
        self.assertEqual(len(self.stub.requests), 3)
        self.assertEqual(self.sleeps, [0.5, 1.0])
        self.assertIn("Generic REST", str(error))
        self.assertIn("GET /orders", str(error))
        self.assertIn("after 3 attempts", str(error))

    def test_server_error_then_success(self):
        self.stub.fail_next(1, status=500)
        self.assertEqual(len(self.pull(self.make_adapter())), 1)
        self.assertEqual(len(self.stub.requests), 2)

    def test_server_error_always(self):
        self.stub.fail_next(5, status=503)
        with self.assertRaises(PlatformServerError) as caught:
            self.pull(self.make_adapter(retries=4))
        self.assertEqual(caught.exception.status, 503)
        self.assertTrue(caught.exception.retryable)
        self.assertEqual(len(self.stub.requests), 4)
        self.assertEqual(self.sleeps, [0.5, 1.0, 2.0])

    def test_rate_limit_honours_retry_after(self):
        self.stub.fail_next(1, status=429, headers={"Retry-After": "3"})
        self.assertEqual(len(self.pull(self.make_adapter())), 1)
        self.assertEqual(self.sleeps, [3.0])

    def test_rate_limit_always(self):
        self.stub.fail_next(3, status=429)
        with self.assertRaises(PlatformRateLimitError) as caught:
            self.pull(self.make_adapter())
        self.assertTrue(caught.exception.retryable)
        self.assertEqual(len(self.stub.requests), 3)

    def test_unauthorized_is_not_retried(self):
        self.stub.fail_next(1, status=401)
        with self.assertRaises(PlatformAuthError) as caught:
            self.pull(self.make_adapter())
        self.assertEqual(caught.exception.status, 401)
        self.assertFalse(caught.exception.retryable)
        self.assertEqual(len(self.stub.requests), 1)
        self.assertEqual(self.sleeps, [])

    def test_wrong_token_never_shown(self):
        with self.assertLogs("omni_platform.platforms", logging.DEBUG) as logs:
            with self.assertRaises(PlatformAuthError) as caught:
                self.pull(self.make_adapter(access_token="wrong-token-123"))
        self.assertEqual(caught.exception.status, 401)
        for text in [str(caught.exception), caught.exception.detail, *logs.output]:
            self.assertNotIn("wrong-token-123", text)

    def test_every_call_logged_without_secret(self):
        with self.assertLogs("omni_platform.platforms", logging.DEBUG) as logs:
            self.pull(self.make_adapter())
        self.assertEqual(len(logs.records), 1)
        self.assertIn("GET /orders", logs.output[0])
        self.assertNotIn(TOKEN, logs.output[0])

    def test_client_error_is_not_retried(self):
        self.stub.fail_next(1, status=400)
        with self.assertRaises(PlatformRejectedError) as caught:
            self.pull(self.make_adapter())
        self.assertEqual(caught.exception.status, 400)
        self.assertEqual(len(self.stub.requests), 1)

    def test_malformed_json(self):
        self.stub.respond_next(1, b'{"orders": [{"platform_order_no": ')
        with self.assertRaises(PlatformResponseError) as caught:
            self.pull(self.make_adapter())
        self.assertFalse(caught.exception.retryable)
        self.assertIn("invalid JSON", str(caught.exception))
        self.assertEqual(len(self.stub.requests), 1)

    def test_unexpected_shape(self):
        self.stub.respond_next(1, b'{"data": []}')
        with self.assertRaises(PlatformResponseError):
            self.pull(self.make_adapter())
        self.stub.respond_next(1, b"[1, 2]")
        with self.assertRaises(PlatformResponseError):
            self.pull(self.make_adapter())

    def test_error_object_in_answer(self):
        self.stub.respond_next(1, b'{"error": {"code": "window_too_large", "message": "window too large"}}')
        with self.assertRaises(PlatformRejectedError) as caught:
            self.pull(self.make_adapter())
        self.assertIn("window too large", str(caught.exception))

    def test_connection_refused(self):
        adapter = self.make_adapter(base_url=f"http://127.0.0.1:{free_port()}", retries=2)
        with self.assertRaises(PlatformConnectionError) as caught:
            self.pull(adapter)
        self.assertTrue(caught.exception.retryable)
        self.assertNotIsInstance(caught.exception, PlatformTimeout)
        self.assertEqual(self.sleeps, [0.5])


class TestHttpClient(StubTestCase):
    def test_secret_in_url_is_redacted(self):
        secret = "a+b/c=="
        client = HttpClient(name="Some platform", secrets=(secret,), retries=2, sleep=lambda s: None, timeout=0.2)
        self.addCleanup(client.close)
        with self.assertLogs("omni_platform.platforms", logging.DEBUG) as logs:
            with self.assertRaises(PlatformConnectionError) as caught:
                client.request("GET", f"http://127.0.0.1:{free_port()}/api/orders", params={"access_token": secret})
        error = caught.exception
        self.assertIn("Some platform: GET /api/orders could not connect after 2 attempts", str(error))
        self.assertIn("***", error.detail)
        for text in [str(error), error.detail, *logs.output]:
            for form in (secret, "a%2Bb%2Fc%3D%3D"):
                self.assertNotIn(form, text)

    def test_request_returns_parsed_json(self):
        with PlatformStub(orders=[rest_order("W1", T0)]) as stub:
            client = HttpClient(sleep=lambda s: None)
            self.addCleanup(client.close)
            payload = client.request(
                "GET", stub.url + "/orders", params={"updated_from": T0.isoformat(), "updated_to": "2026-03-02"}
            )
        self.assertEqual(payload["orders"][0]["platform_order_no"], "W1")
        self.assertIs(payload["has_more"], False)


# --- generic REST: stock, shipments, connection -------------------------------------
class TestGenericRestPush(GenericCase):
    def test_push_stock_batches_and_partial_refusal(self):
        self.stub.stock_refuse = {"SKU-007": "unknown sku", "SKU-101": "item delisted"}
        quantities = {f"SKU-{i:03d}": i for i in range(120)}
        results = self.make_adapter().push_stock(quantities)
        self.assertEqual(set(results), set(quantities))
        self.assertEqual(
            {sku: error for sku, error in results.items() if error is not None},
            {"SKU-007": "unknown sku", "SKU-101": "item delisted"},
        )
        calls = self.stub.requests_for("/stock", method="POST")
        self.assertEqual([len(r.json["items"]) for r in calls], [50, 50, 20])
        self.assertEqual(calls[0].json["items"][3], {"sku": "SKU-003", "quantity": 3})
        self.assertEqual(self.stub.stock["SKU-119"], 119)
        self.assertNotIn("SKU-007", self.stub.stock)

    def test_push_stock_batch_refused(self):
        self.stub.respond_next(1, b'{"error": {"code": "frozen", "message": "store frozen"}}', path="/stock")
        self.stub.fail_next(1, status=422, path="/stock")
        adapter = self.make_adapter(extra={"stock_batch_size": 2})
        results = adapter.push_stock({"A": 1, "B": 2, "C": 3, "D": 4, "E": 5})
        self.assertEqual(
            results,
            {
                "A": "store frozen",
                "B": "store frozen",
                "C": "Unprocessable Entity",
                "D": "Unprocessable Entity",
                "E": None,
            },
        )
        self.assertEqual(self.stub.stock, {"E": 5})

    def test_push_stock_negative_is_zero(self):
        self.assertEqual(self.make_adapter().push_stock({"A": -3}), {"A": None})
        self.assertEqual(self.stub.stock, {"A": 0})

    def test_push_stock_missing_result(self):
        self.stub.respond_next(1, b'{"results": [{"sku": "A", "ok": true}]}', path="/stock")
        results = self.make_adapter().push_stock({"A": 1, "B": 2})
        self.assertIsNone(results["A"])
        self.assertIn("no result", results["B"])

    def test_push_stock_transport_failure_raises(self):
        def fail_after_first_batch(stub, request):
            if len(stub.requests) == 1:
                stub.fail_next(3, status=500)

        self.stub.after_request = fail_after_first_batch
        adapter = self.make_adapter(extra={"stock_batch_size": 2})
        with self.assertRaises(PlatformServerError) as caught:
            adapter.push_stock({"A": 1, "B": 2, "C": 3})
        self.assertEqual(caught.exception.partial_results, {"A": None, "B": None})

    def test_push_stock_auth_failure_raises(self):
        with self.assertRaises(PlatformAuthError):
            self.make_adapter(access_token="nope").push_stock({"A": 1})

    def test_push_shipment(self):
        self.assertIsNone(self.make_adapter().push_shipment("W1", "SF", "SF1234567890"))
        (call,) = self.stub.requests_for("/shipments")
        self.assertEqual(call.method, "POST")
        self.assertEqual(call.json, {"order_no": "W1", "courier": "SF", "tracking_no": "SF1234567890"})
        self.assertEqual(
            self.stub.shipments,
            [{"protocol": "generic_rest", "order_no": "W1", "courier": "SF", "tracking_no": "SF1234567890"}],
        )

    def test_push_shipment_refused(self):
        self.stub.shipment_refuse = {"W2": "order already shipped"}
        with self.assertRaises(PlatformRejectedError) as caught:
            self.make_adapter().push_shipment("W2", "SF", "SF1")
        self.assertIn("order already shipped", str(caught.exception))
        self.assertIn("W2", str(caught.exception))

    def test_check_connection(self):
        self.make_adapter().check_connection()
        with self.assertRaises(PlatformAuthError):
            self.make_adapter(access_token="bad").check_connection()


# --- TOP --------------------------------------------------------------------------
class TestTopSign(StubTestCase):
    def test_sign_against_hand_computed_md5(self):
        params = {
            "v": "2.0",
            "method": "taobao.item.quantity.update",
            "app_key": "12345678",
            "session": "sess",
            "timestamp": "2026-03-01 10:00:00",
            "format": "json",
            "sign_method": "md5",
            "quantity": 5,
            "outer_id": "SKU-A",
            "empty": "",
            "nothing": None,
            "sign": "OLD",
        }
        # sorted by name, sign / None / '' left out, secret on both ends
        text = (
            "s3cret"
            "app_key12345678"
            "formatjson"
            "methodtaobao.item.quantity.update"
            "outer_idSKU-A"
            "quantity5"
            "sessionsess"
            "sign_methodmd5"
            "timestamp2026-03-01 10:00:00"
            "v2.0"
            "s3cret"
        )
        expected = hashlib.md5(text.encode()).hexdigest().upper()
        self.assertEqual(sign(params, "s3cret"), expected)
        self.assertEqual(expected, "11B6367F1356BF95C432588D7280A7DC")  # md5sum of the text above

    def test_sign_encodes_utf8_and_booleans(self):
        expected = hashlib.md5("kflagtruename张三k".encode()).hexdigest().upper()
        self.assertEqual(sign({"name": "张三", "flag": True}, "k"), expected)


class TestTaobaoTopPull(TopCase):
    def test_paging_backwards_from_the_last_page(self):
        # taobao.trades.sold.increment.get: newest first, "必须采用倒序的分页方式
        # （从最后一页往回取）才能避免漏单问题": total_results first, then last page to first
        self.stub.set_orders(top_trade(1000 + i, T0 + timedelta(minutes=i)) for i in range(7))
        orders = self.pull(self.make_adapter())
        self.assertEqual(sorted(o["platform_order_no"] for o in orders), [str(1000 + i) for i in range(7)])
        calls = self.stub.requests
        self.assertEqual([r.form["page_no"] for r in calls], ["1", "3", "2", "1"])
        for call in calls:
            self.assertEqual(call.method, "POST")
            self.assertEqual(call.path, "/router/rest")
            self.assertEqual(call.api_method, "taobao.trades.sold.increment.get")
            self.assertEqual(call.form["app_key"], APP_KEY)
            self.assertEqual(call.form["session"], SESSION)
            self.assertEqual((call.form["format"], call.form["v"], call.form["sign_method"]), ("json", "2.0", "md5"))
            self.assertNotIn("use_has_next", call.form, "has_next pages cannot be read backwards")
            self.assertEqual(call.form["page_size"], "3")
            self.assertRegex(call.form["timestamp"], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
            self.assertEqual(call.form["sign"], sign(call.form, SECRET))
            self.assertIn("tid", call.form["fields"].split(","))

    def test_only_paid_trades_waiting_to_ship_are_pulled(self):
        statuses = [
            "WAIT_SELLER_SEND_GOODS",
            "WAIT_BUYER_PAY",
            "TRADE_CLOSED",
            "TRADE_CLOSED_BY_TAOBAO",
            "WAIT_BUYER_CONFIRM_GOODS",
            "PAID_FORBID_CONSIGN",
            "SOMETHING_NEW",
        ]
        self.stub.set_orders(top_trade(3000 + i, T0 + timedelta(minutes=i), status=st) for i, st in enumerate(statuses))
        adapter = self.make_adapter()
        orders = self.pull(adapter)
        self.assertEqual([o["platform_order_no"] for o in orders], ["3000"])
        self.assertEqual(
            sorted((s["platform_order_no"], s["status"], s["unknown"]) for s in adapter.skipped),
            [
                ("3001", "WAIT_BUYER_PAY", False),
                ("3002", "TRADE_CLOSED", False),
                ("3003", "TRADE_CLOSED_BY_TAOBAO", False),
                ("3004", "WAIT_BUYER_CONFIRM_GOODS", False),
                ("3005", "PAID_FORBID_CONSIGN", False),
                ("3006", "SOMETHING_NEW", True),
            ],
        )

    def test_trade_mapped_to_public_shape(self):
        trade = top_trade(
            2001,
            T0,
            type="cod",
            receiver_mobile="",
            buyer_message=None,
            orders={
                "order": [
                    {"num_iid": 1, "outer_iid": "ITEM-B", "num": 3, "price": "9.90"},
                    {"num_iid": 2, "outer_iid": "ITEM-C", "outer_sku_id": "SKU-C1", "num": 1, "price": "5.00"},
                ]
            },
        )
        self.stub.set_orders([trade])
        (order,) = self.pull(self.make_adapter())
        self.assertEqual(
            {k: v for k, v in order.items() if k not in ("raw", "receiver_id", "receiver_cipher")},
            {
                "platform_order_no": "2001",
                "order_time": "2026-03-01 09:58:00",
                "buyer_nick": "tb_buyer",
                "receiver_name": "李四",
                "phone": "0755-12345678",
                "province": "广东省",
                "city": "深圳市",
                "district": "南山区",
                "address": "科技园 2 号",
                "payment_method": "cod",
                "paid_amount": "58.00",
                "shipping_fee": "8.00",
                "buyer_note": None,
                "lines": [
                    {"platform_sku": "ITEM-B", "quantity": 3, "unit_price": "9.90"},
                    {"platform_sku": "SKU-C1", "quantity": 1, "unit_price": "5.00"},
                ],
            },
        )
        self.assertEqual(order["raw"]["tid"], 2001)
        self.assertEqual(order["raw"]["type"], "cod")

    def test_prepaid_and_mobile(self):
        self.stub.set_orders([top_trade(2002, T0)])
        (order,) = self.pull(self.make_adapter())
        self.assertEqual(order["payment_method"], "prepaid")
        self.assertEqual(order["phone"], "13900000000")
        self.assertEqual(order["buyer_note"], "请尽快发货")
        self.assertEqual(order["lines"], [{"platform_sku": "SKU-A", "quantity": 2, "unit_price": "25.00"}])

    def test_incremental_window_in_china_time(self):
        since, until = T0, T0 + timedelta(minutes=15)
        self.stub.set_orders(
            [
                top_trade(1, since - timedelta(seconds=1)),
                top_trade(2, since),
                top_trade(3, until - timedelta(seconds=1)),
                top_trade(4, until),
            ]
        )
        orders = self.pull(self.make_adapter(), since.replace(tzinfo=None), until.replace(tzinfo=None))
        self.assertEqual(sorted(o["platform_order_no"] for o in orders), ["2", "3"])
        (call,) = self.stub.requests
        self.assertEqual(call.form["start_modified"], "2026-03-01 10:00:00")
        self.assertEqual(call.form["end_modified"], "2026-03-01 10:15:00")

    def test_window_longer_than_a_day_is_split(self):
        since, until = T0, T0 + timedelta(days=2, hours=12)
        self.stub.set_orders(top_trade(i, since + timedelta(hours=10 * i)) for i in range(6))
        orders = self.pull(self.make_adapter(), since, until)
        self.assertEqual(sorted(int(o["platform_order_no"]) for o in orders), list(range(6)))
        windows = [(r.form["start_modified"], r.form["end_modified"]) for r in self.stub.requests]
        self.assertEqual(
            windows,
            [
                ("2026-03-01 10:00:00", "2026-03-02 10:00:00"),
                ("2026-03-02 10:00:00", "2026-03-03 10:00:00"),
                ("2026-03-03 10:00:00", "2026-03-03 22:00:00"),
            ],
        )

    def test_no_trade_missed_when_pages_shift(self):
        self.stub.set_orders(top_trade(100 + i, T0 + timedelta(minutes=i)) for i in range(1, 7))

        def after_first_call(stub, request):
            if len(stub.requests) == 1:  # after the first page
                # two trades change and come first: the pages shift by two;
                # read forwards, 103 would move onto page 1 already read
                stub.upsert_order(top_trade(103, T0 + timedelta(minutes=30), buyer_message="new version"))
                stub.upsert_order(top_trade(104, T0 + timedelta(minutes=31)))

        self.stub.after_request = after_first_call
        orders = self.pull(self.make_adapter())
        self.assertEqual(sorted(o["platform_order_no"] for o in orders), ["101", "102", "103", "104", "105", "106"])
        self.assertEqual(next(o for o in orders if o["platform_order_no"] == "103")["buyer_note"], "new version")
        self.assertEqual([r.form["page_no"] for r in self.stub.requests], ["1", "2", "1"])

    def test_no_trades(self):
        self.assertEqual(self.pull(self.make_adapter()), [])
        self.assertEqual(len(self.stub.requests), 1)


class TestTaobaoTopErrors(TopCase):
    def setUp(self):
        super().setUp()
        self.stub.set_orders([top_trade(1, T0)])

    def test_bad_signature(self):
        wrong = "wrong-secret-5d2b"
        with self.assertLogs("omni_platform.platforms", logging.DEBUG) as logs:
            with self.assertRaises(PlatformAuthError) as caught:
                self.pull(self.make_adapter(app_secret=wrong))
        error = caught.exception
        self.assertIn("taobao.trades.sold.increment.get", str(error))
        self.assertIn("Taobao TOP", str(error))
        self.assertIn("Invalid signature", str(error))
        self.assertFalse(error.retryable)
        self.assertEqual(error.code, 25)
        self.assertEqual(len(self.stub.requests), 1)
        for text in [str(error), error.detail, *logs.output]:
            self.assertNotIn(wrong, text)
            self.assertNotIn(SECRET, text)

    def test_bad_session(self):
        with self.assertRaises(PlatformAuthError) as caught:
            self.pull(self.make_adapter(access_token="expired-session"))
        self.assertEqual(caught.exception.code, 27)
        self.assertNotIn("expired-session", str(caught.exception))

    def test_bad_app_key(self):
        with self.assertRaises(PlatformAuthError) as caught:
            self.pull(self.make_adapter(app_key="999"))
        self.assertEqual(caught.exception.code, 29)

    def test_call_limit_then_success(self):
        self.stub.top_error_next(1, code=7, msg="App Call Limited", sub_msg="This ban will last for 2 more seconds")
        self.assertEqual(len(self.pull(self.make_adapter())), 1)
        self.assertEqual(len(self.stub.requests), 2)
        self.assertEqual(self.sleeps, [2.0])

    def test_long_ban_is_left_to_the_caller(self):
        self.stub.top_error_next(1, code=7, msg="App Call Limited", sub_msg="This ban will last for 600 more seconds")
        with self.assertRaises(PlatformRateLimitError) as caught:
            self.pull(self.make_adapter())
        self.assertTrue(caught.exception.retryable)
        self.assertEqual(caught.exception.retry_after, 600.0)
        self.assertEqual(len(self.stub.requests), 1)
        self.assertEqual(self.sleeps, [])

    def test_call_limit_always(self):
        self.stub.top_error_next(3, code=7, msg="App Call Limited")
        with self.assertRaises(PlatformRateLimitError) as caught:
            self.pull(self.make_adapter())
        self.assertTrue(caught.exception.retryable)
        self.assertEqual(len(self.stub.requests), 3)

    def test_isp_error_is_retried(self):
        self.stub.top_error_next(1, code=15, msg="Remote service error", sub_code="isp.top-remote-connection-timeout")
        self.assertEqual(len(self.pull(self.make_adapter())), 1)
        self.assertEqual(len(self.stub.requests), 2)
        self.stub.top_error_next(3, code=15, msg="Remote service error", sub_code="isp.remote-service-error")
        with self.assertRaises(PlatformServerError):
            self.pull(self.make_adapter())

    def test_other_error_is_a_response_error(self):
        self.stub.top_error_next(1, code=15, msg="Remote service error", sub_code="isv.invalid-parameter")
        with self.assertRaises(PlatformResponseError) as caught:
            self.pull(self.make_adapter())
        self.assertIsInstance(caught.exception, PlatformRejectedError)
        self.assertEqual(len(self.stub.requests), 1)

    def test_malformed_json(self):
        self.stub.respond_next(1, b"<html>gateway</html>", content_type="text/html")
        with self.assertRaises(PlatformResponseError):
            self.pull(self.make_adapter())
        self.stub.respond_next(1, b'{"something_else": {}}')
        with self.assertRaises(PlatformResponseError):
            self.pull(self.make_adapter())

    def test_timeout_then_success(self):
        self.stub.delay_next(1, SLOW)
        self.assertEqual(len(self.pull(self.make_adapter())), 1)
        self.assertEqual(len(self.stub.requests), 2)


class TestTaobaoTopPush(TopCase):
    def test_push_stock_sends_num_iid(self):
        # taobao.item.quantity.update: num_iid 商品数字ID，必填参数; the item and
        # SKU ids are looked up by the merchant code (taobao.skus.custom.get,
        # taobao.items.custom.get for an item without SKUs)
        self.stub.top_items = [
            {"num_iid": 1001, "outer_id": "ITEM-A", "skus": [{"sku_id": 5001, "outer_id": "SKU-A"}]},
            {"num_iid": 1002, "outer_id": "ITEM-B"},
            {"num_iid": 1003, "outer_id": "ITEM-X"},
        ]
        self.stub.stock_refuse = {"ITEM-X": "商品已下架"}
        adapter = self.make_adapter()
        results = adapter.push_stock({"SKU-A": 5, "ITEM-B": 0, "ITEM-X": 3, "NONE": 1})
        self.assertEqual(results["SKU-A"], None)
        self.assertEqual(results["ITEM-B"], None)
        self.assertEqual(results["ITEM-X"], "商品已下架")
        self.assertIn("NONE", results["NONE"])
        updates = [r.form for r in self.stub.requests if r.api_method == "taobao.item.quantity.update"]
        self.assertEqual(
            [(f["num_iid"], f.get("sku_id"), f["quantity"], f["type"]) for f in updates],
            [("1001", "5001", "5", "1"), ("1002", None, "0", "1"), ("1003", None, "3", "1")],
        )
        self.assertEqual(self.stub.stock, {"SKU-A": 5, "ITEM-B": 0})
        # looked up once per adapter
        adapter.push_stock({"SKU-A": 4})
        lookups = [r for r in self.stub.requests if r.api_method == "taobao.skus.custom.get"]
        self.assertEqual([r.form["outer_id"] for r in lookups], ["SKU-A", "ITEM-B", "ITEM-X", "NONE"])

    def test_push_stock_configured_num_iid(self):
        self.stub.top_items = [{"num_iid": 1001, "outer_id": "ITEM-A", "skus": [{"sku_id": 5001, "outer_id": "SKU-A"}]}]
        results = self.make_adapter(extra={"num_iid_by_sku": {"SKU-A": 1001}}).push_stock({"SKU-A": 7})
        self.assertEqual(results, {"SKU-A": None})
        (call,) = self.stub.requests
        self.assertEqual((call.form["num_iid"], call.form["outer_id"]), ("1001", "SKU-A"))
        self.assertEqual(self.stub.stock, {"SKU-A": 7})

    def test_push_stock_auth_error_raises(self):
        with self.assertRaises(PlatformAuthError) as caught:
            self.make_adapter(app_secret="other").push_stock({"SKU-A": 5, "SKU-B": 1})
        self.assertEqual(caught.exception.partial_results, {})
        self.assertEqual(len(self.stub.requests), 1)

    def test_push_shipment(self):
        self.make_adapter().push_shipment("3001", "SF", "SF1234567890")
        (call,) = self.stub.requests
        self.assertEqual(call.api_method, "taobao.logistics.offline.send")
        self.assertEqual(
            (call.form["tid"], call.form["company_code"], call.form["out_sid"]), ("3001", "SF", "SF1234567890")
        )
        self.assertEqual(
            self.stub.shipments,
            [{"protocol": "taobao_top", "order_no": "3001", "courier": "SF", "tracking_no": "SF1234567890"}],
        )

    def test_push_shipment_refused(self):
        self.stub.shipment_refuse = {"3002": "订单已发货"}
        with self.assertRaises(PlatformRejectedError) as caught:
            self.make_adapter().push_shipment("3002", "SF", "SF1")
        self.assertIn("订单已发货", str(caught.exception))
        self.assertIn("taobao.logistics.offline.send", str(caught.exception))

    def test_check_connection(self):
        self.make_adapter().check_connection()
        with self.assertRaises(PlatformAuthError):
            self.make_adapter(app_secret="nope").check_connection()


class TestRegistry(StubTestCase):
    def test_get_adapter(self):
        # platform addons installed beside this one add their own kinds
        self.assertEqual(ADAPTERS["generic_rest"], GenericRestAdapter)
        self.assertEqual(ADAPTERS["taobao_top"], TaobaoTopAdapter)
        adapter = get_adapter("generic_rest", base_url="http://127.0.0.1:1/api/", access_token="t")
        self.assertIsInstance(adapter, GenericRestAdapter)
        self.assertEqual(adapter.base_url, "http://127.0.0.1:1/api")
        adapter = get_adapter(
            "taobao_top", base_url="http://x/router/rest", app_key="k", app_secret="secret-77", access_token="t"
        )
        self.assertIsInstance(adapter, TaobaoTopAdapter)
        self.assertNotIn("secret-77", repr(adapter))

    def test_unknown_kind(self):
        with self.assertRaises(ValueError) as caught:
            get_adapter("no_such_platform", base_url="http://x")
        self.assertIn("generic_rest", str(caught.exception))

    def test_top_needs_credentials(self):
        with self.assertRaises(ValueError):
            TaobaoTopAdapter(base_url="http://x/router/rest", app_key="k")


# --- encrypted receivers (Taobao oaid) ---------------------------------------------
class TestTaobaoTopReceivers(TopCase):
    """Shapes from bububa/opentaobao: model/tbtrade/Trade.go (receiver_* 加密,
    oaid), model/topoaid (taobao.top.oaid.decrypt: query_list of {oaid, tid},
    at most 20; receiver_list of Receiver)."""

    def encrypted_trade(self, tid):
        oaid = f"1bHvR3{tid}oaidAbC"
        self.stub.receivers[oaid] = {
            "tid": str(tid),
            "name": "李四",
            "mobile": f"1390000{tid % 10000:04d}",
            "state": "广东省",
            "city": "深圳市",
            "district": "南山区",
            "address_detail": "科技园 2 号",
        }
        return top_trade(
            tid, T0, oaid=oaid, receiver_name="李*", receiver_mobile="*******0000", receiver_phone="",
            receiver_address="科技园**",
        )  # fmt: skip

    def test_receiver_kept_as_given_with_its_oaid(self):
        self.stub.set_orders([self.encrypted_trade(3001), top_trade(3002, T0)])
        orders = {o["platform_order_no"]: o for o in self.pull(self.make_adapter())}
        encrypted = orders["3001"]
        self.assertEqual(encrypted["receiver_id"], "1bHvR33001oaidAbC")
        self.assertEqual(encrypted["receiver_cipher"], {"name": "李*", "phone": "*******0000", "address": "科技园**"})
        self.assertEqual((encrypted["receiver_name"], encrypted["phone"]), ("李*", "*******0000"))
        self.assertEqual((orders["3002"]["receiver_id"], orders["3002"]["receiver_cipher"]), ("", {}))
        (call,) = self.stub.requests_for(api_method="taobao.trades.sold.increment.get")
        self.assertIn("oaid", call.form["fields"].split(","))

    def test_decrypt_through_oaid_decrypt_in_twenties_within_quota(self):
        trades = [self.encrypted_trade(4000 + i) for i in range(25)]
        self.stub.set_orders(trades)
        pulled = self.pull(self.make_adapter())
        receivers = [
            {
                "platform_order_no": o["platform_order_no"],
                "receiver_id": o["receiver_id"],
                "cipher": o["receiver_cipher"],
            }
            for o in pulled
        ]
        self.stub.decrypt_quota = 1  # the second call finds the quota used up
        with self.assertRaises(PlatformRateLimitError) as caught:
            self.make_adapter(retries=1).decrypt_receivers(receivers)
        done = caught.exception.partial_results
        self.assertEqual(len(done), 20, "the first call's 20 receivers are kept")
        first = receivers[0]["platform_order_no"]
        self.assertEqual(
            done[first],
            {"receiver_name": "李四", "phone": f"1390000{int(first) % 10000:04d}", "address": "科技园 2 号"},
        )
        calls = self.stub.requests_for(api_method="taobao.top.oaid.decrypt")
        self.assertEqual(len(calls), 2)
        query = json.loads(calls[0].form["query_list"])
        self.assertEqual(query[0], {"oaid": receivers[0]["receiver_id"], "tid": first})
        # quota back: the rest is decrypted later, nothing lost
        self.stub.decrypt_quota = None
        rest = self.make_adapter().decrypt_receivers([r for r in receivers if r["platform_order_no"] not in done])
        self.assertEqual(len(rest), 5)
        self.assertTrue(all("error" not in answer for answer in rest.values()))


# --- a token expired mid-pull ----------------------------------------------------
class TestGenericRestTokenExpired(GenericCase):
    def test_token_expired_mid_pull_keeps_what_was_read(self):
        self.stub.set_orders(rest_order(f"W{i}", T0 + timedelta(minutes=i)) for i in range(7))

        def expire(stub, request):
            stub.access_token = "renewed-elsewhere"  # the first page was answered

        self.stub.after_request = expire
        with self.assertRaises(PlatformAuthError) as caught:
            self.pull(self.make_adapter())
        self.assertEqual([o["platform_order_no"] for o in caught.exception.partial_orders], ["W0", "W1", "W2"])
        self.assertIsNone(caught.exception.pulled_until, "one window, not read in full: it is read again")


class TestTaobaoTopTokenExpired(TopCase):
    def test_session_expired_mid_pull_resumes_after_the_first_day(self):
        self.stub.set_orders(
            [top_trade(5001, T0 + timedelta(minutes=5)), top_trade(5002, T0 + timedelta(days=1, hours=1))]
        )

        def expire(stub, request):
            if request.api_method == "taobao.trades.sold.increment.get":
                stub.access_token = "renewed-elsewhere"

        self.stub.after_request = expire
        with self.assertRaises(PlatformAuthError) as caught:
            self.pull(self.make_adapter(), T0, T0 + timedelta(days=2))
        self.assertEqual([o["platform_order_no"] for o in caught.exception.partial_orders], ["5001"])
        self.assertEqual(caught.exception.pulled_until, T0 + timedelta(days=1))
