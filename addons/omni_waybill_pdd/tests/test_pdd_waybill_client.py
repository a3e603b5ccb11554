# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Pinduoduo waybill client against the stand-in service (Odoo test
cases without database)."""

import json

from odoo.addons.omni_platform.platforms import PlatformRejectedError, PlatformTimeout
from odoo.addons.omni_platform.tests.common import StubTestCase
from odoo.addons.omni_platform_pdd.tests.pdd_stub import pdd_sign

from ..services.pdd_waybill import PddWaybillClient
from .pdd_waybill_stub import PddWaybillStub

CLIENT_ID = "pdd-client-01"
SECRET = "pdd-secret-3b7d"
TOKEN = "pdd-token-c41a"
SENDER = {"name": "电商总仓", "mobile": "13800000000", "province": "上海", "city": "上海市", "district": "浦东新区",
          "address": "申江路 1 号"}  # fmt: skip
#: a receiver as Pinduoduo's order API gives it: ciphertext
CIPHER = {"name": "~AgAAAAname~", "mobile": "~AgAAAAmobile~", "province": "上海", "city": "上海市",
          "district": "浦东新区", "address": "~AgAAAAaddr~"}  # fmt: skip


def parcel(index, **values):
    result = {"key": f"KEY-{index}", "order_no": f"260301-{index}", "package_id": f"P{index}",
              "receiver": dict(CIPHER), "items": [{"name": "龙井 250g", "count": 2}], "weight_g": 800}  # fmt: skip
    result.update(values)
    return result


class PddWaybillCase(StubTestCase):
    def setUp(self):
        super().setUp()
        self.stub = PddWaybillStub(
            app_key=CLIENT_ID, app_secret=SECRET, access_token=TOKEN, branches={"ZTO": 100}, unserved={"西藏"}
        ).start()
        self.addCleanup(self.stub.stop)

    def client(self, **config):
        options = {"base_url": self.stub.router_url, "app_key": CLIENT_ID, "app_secret": SECRET,
                   "access_token": TOKEN, "wp_code": "ZTO", "sender": SENDER, "user_id": "9001",
                   "template_url": "https://file.pinduoduo.com/kuaidi/template/zhongtong_std.ucml", "timeout": 2,
                   "retries": 1, **config}  # fmt: skip
        client = PddWaybillClient(**options)
        self.addCleanup(client.close)
        return client

    def dtos(self, request):
        return json.loads(request.form["param_waybill_cloud_print_apply_new_request"])["trade_order_info_dtos"]


class TestPddWaybill(PddWaybillCase):
    def test_batches_of_ten_in_order_with_signed_calls(self):
        results = self.client().request_waybills([parcel(i) for i in range(23)])
        calls = self.stub.calls("pdd.waybill.get")
        self.assertEqual([len(self.dtos(call)) for call in calls], [10, 10, 3])
        for call in calls:
            self.assertEqual(call.form["sign"], pdd_sign(call.form, SECRET))
            self.assertEqual((call.form["client_id"], call.form["access_token"]), (CLIENT_ID, TOKEN))
        self.assertEqual([r["key"] for r in results], [f"KEY-{i}" for i in range(23)])
        self.assertTrue(all(r["tracking_number"] and r["error"] is None for r in results))
        self.assertEqual(len({r["tracking_number"] for r in results}), 23)
        self.assertEqual(results[0]["print_data"]["signature"], f"SIG({results[0]['tracking_number']})")

    def test_encrypted_receiver_passed_untouched(self):
        (result,) = self.client().request_waybills([parcel(1)])
        (dto,) = self.dtos(self.stub.calls("pdd.waybill.get")[0])
        self.assertEqual(dto["recipient"]["name"], "~AgAAAAname~")
        self.assertEqual(dto["recipient"]["mobile"], "~AgAAAAmobile~")
        self.assertEqual(dto["recipient"]["address"]["detail"], "~AgAAAAaddr~")
        self.assertEqual(dto["order_info"], {"order_channels_type": "PDD", "trade_order_list": ["260301-1"]})
        self.assertEqual(dto["object_id"], "KEY-1")
        self.assertTrue(result["tracking_number"])

    def test_refused_address_lands_on_its_parcel(self):
        parcels = [parcel(i) for i in range(5)]
        parcels[2]["receiver"] = dict(CIPHER, province="西藏")
        results = self.client().request_waybills(parcels)
        self.assertIn("服务范围", results[2]["error"])
        self.assertFalse(results[2]["tracking_number"])
        self.assertTrue(all(results[i]["tracking_number"] for i in (0, 1, 3, 4)))
        # the refused batch of 5, then each parcel alone
        self.assertEqual([len(self.dtos(c)) for c in self.stub.calls("pdd.waybill.get")], [5, 1, 1, 1, 1, 1])

    def test_same_parcel_twice_gets_the_same_number(self):
        client = self.client()
        (first,) = client.request_waybills([parcel(1)])
        (second,) = client.request_waybills([parcel(1)])
        self.assertEqual(first["tracking_number"], second["tracking_number"])
        self.assertEqual(self.stub.branches["ZTO"], 99)

    def test_timeout_after_issue_then_retry_finds_that_number(self):
        client = self.client(timeout=0.3)
        self.stub.delay_next(1, seconds=0.8)
        with self.assertRaises(PlatformTimeout):
            client.request_waybills([parcel(1)])
        (result,) = client.request_waybills([parcel(1)])
        self.assertEqual(self.stub.live_numbers(), [result["tracking_number"]])

    def test_balance_exhausted_and_not_subscribed(self):
        self.stub.branches["ZTO"] = 1
        results = self.client().request_waybills([parcel(1), parcel(2)])
        self.assertTrue(results[0]["tracking_number"])
        self.assertEqual(results[1]["error"], "电子面单余额不足")
        (refused,) = self.client(wp_code="YTO").request_waybills([parcel(3)])
        self.assertEqual(refused["error"], "未订购YTO电子面单服务")

    def test_cancel_reprint_and_balance(self):
        client = self.client()
        first, second = client.request_waybills([parcel(1), parcel(2)])
        self.assertTrue(client.cancel(first["tracking_number"]))
        self.assertEqual(self.stub.live_numbers(), [second["tracking_number"]])
        with self.assertRaises(PlatformRejectedError) as caught:
            client.cancel(first["tracking_number"])
        self.assertIn("已取消", caught.exception.detail)
        self.assertEqual(client.print_data(second["tracking_number"])["signature"], f"SIG({second['tracking_number']})")
        self.assertIsNone(client.print_data(first["tracking_number"]))
        self.assertEqual(client.balance(), {"ZTO-0001": 99})
