# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Douyin waybill client against the stand-in service (Odoo test cases
without database)."""

import json

from odoo.addons.omni_platform.platforms import PlatformRejectedError, PlatformTimeout
from odoo.addons.omni_platform.tests.common import StubTestCase
from odoo.addons.omni_platform_douyin.tests.douyin_stub import douyin_sign

from ..services.douyin_waybill import DouyinWaybillClient
from .douyin_waybill_stub import DouyinWaybillStub

APP_KEY = "dy-app-7c1e"
SECRET = "dy-secret-90af"
TOKEN = "dy-token-55b2"
SENDER = {"name": "电商总仓", "mobile": "13800000000", "province": "上海", "city": "上海市", "district": "浦东新区",
          "address": "申江路 1 号"}  # fmt: skip
#: a receiver as Douyin's order API gives it (encrypt_post_*): ciphertext
CIPHER = {"name": "#AbCname#", "mobile": "#AbCtel#", "province": "上海", "city": "上海市", "district": "浦东新区",
          "address": "#AbCaddr#"}  # fmt: skip


def parcel(index, **values):
    result = {"key": f"db1-{index}-1-7-0", "order_no": f"69{index:016d}", "package_id": f"db1-{index}-1-7-0",
              "receiver": dict(CIPHER), "items": [{"name": "龙井 250g", "count": 1}], "weight_g": 500}  # fmt: skip
    result.update(values)
    return result


class TestDouyinWaybill(StubTestCase):
    def setUp(self):
        super().setUp()
        self.stub = DouyinWaybillStub(
            app_key=APP_KEY, app_secret=SECRET, access_token=TOKEN, balance={"zhongtong": 100}, unserved={"西藏"}
        ).start()
        self.addCleanup(self.stub.stop)

    def client(self, **config):
        options = {"base_url": self.stub.url, "app_key": APP_KEY, "app_secret": SECRET, "access_token": TOKEN,
                   "logistics_code": "zhongtong", "sender": SENDER, "timeout": 2, "retries": 1, **config}  # fmt: skip
        client = DouyinWaybillClient(**options)
        self.addCleanup(client.close)
        return client

    def test_batches_numbers_sorting_codes_and_print_data(self):
        results = self.client().request_waybills([parcel(i) for i in range(12)])
        creates = self.stub.calls("logistics.newCreateOrder")
        applies = self.stub.calls("logistics.waybillApply")
        self.assertEqual([len(json.loads(c.body)["order_infos"]) for c in creates], [10, 2])
        self.assertEqual([len(json.loads(c.body)["waybill_applies"]) for c in applies], [10, 2])
        for call in creates + applies:
            self.assertEqual(call.params["sign"], douyin_sign(call.params, call.body.decode(), SECRET))
        self.assertTrue(all(r["tracking_number"] and not r["error"] for r in results))
        first = results[0]
        self.assertEqual(first["routing"]["sort_code"], "310-A01")
        number = first["tracking_number"]
        self.assertEqual(first["print_data"], {"print_data": f"DYENC({number})", "sign": f"DYSIG({number})"})

    def test_encrypted_receiver_untouched_and_pack_id_safe(self):
        self.client().request_waybills([parcel(1)])
        (info,) = json.loads(self.stub.calls("logistics.newCreateOrder")[0].body)["order_infos"]
        self.assertEqual(info["receiver_info"]["contact"], {"name": "#AbCname#", "mobile": "#AbCtel#"})
        self.assertEqual(info["receiver_info"]["address"]["detail_address"], "#AbCaddr#")
        self.assertEqual(info["pack_id"], "db1_1_1_7_0")

    def test_refused_parcel_does_not_fail_the_batch(self):
        parcels = [parcel(i) for i in range(4)]
        parcels[1]["receiver"] = dict(CIPHER, province="西藏")
        results = self.client().request_waybills(parcels)
        self.assertIn("服务范围", results[1]["error"])
        self.assertEqual(results[1]["code"], "4004")
        self.assertTrue(all(results[i]["tracking_number"] for i in (0, 2, 3)))
        self.assertEqual(len(self.stub.calls("logistics.newCreateOrder")), 1)

    def test_timeout_after_issue_then_retry_finds_that_number(self):
        client = self.client(timeout=0.3)
        self.stub.delay_next(1, seconds=0.8)
        with self.assertRaises(PlatformTimeout):
            client.request_waybills([parcel(1)])
        (result,) = client.request_waybills([parcel(1)])
        self.assertEqual(self.stub.live_numbers(), [result["tracking_number"]])
        self.assertEqual(self.stub.balance["zhongtong"], 99)

    def test_not_subscribed_and_balance_exhausted(self):
        (refused,) = self.client(logistics_code="yuantong").request_waybills([parcel(1)])
        self.assertEqual(refused["error"], "店铺未开通yuantong电子面单服务")
        self.stub.balance["zhongtong"] = 0
        (empty,) = self.client().request_waybills([parcel(2)])
        self.assertEqual(empty["error"], "电子面单余额不足")

    def test_cancel(self):
        client = self.client()
        (result,) = client.request_waybills([parcel(1)])
        self.assertTrue(client.cancel(result["tracking_number"]))
        self.assertEqual(self.stub.live_numbers(), [])
        with self.assertRaises(PlatformRejectedError):
            client.cancel(result["tracking_number"])
        self.assertIsNone(client.print_data(result["tracking_number"]))
