# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The SF Express client against the stand-in open platform (Odoo test cases
without database)."""

import base64
import hashlib
import json
import time
from urllib.parse import quote_plus

from odoo.addons.omni_platform.platforms import PlatformAuthError, PlatformRejectedError, PlatformTimeout
from odoo.addons.omni_platform.tests.common import StubTestCase

from ..services.sf_express import SfExpressClient, msg_digest
from .sf_stub import SfStub

PARTNER = "SF-PARTNER-01"
CHECK = "sf-check-word-8a1"
SENDER = {"name": "电商总仓", "mobile": "13800000000", "province": "上海", "city": "上海市", "district": "浦东新区",
          "address": "申江路 1 号"}  # fmt: skip
RECEIVER = {"name": "王芳", "mobile": "13900000000", "province": "广东省", "city": "深圳市", "district": "福田区",
            "address": "新洲十一街 8 号"}  # fmt: skip


def parcel(index, **values):
    result = {"key": f"db1-{index}-1-9-0", "order_no": f"WEB{index:05d}", "receiver": dict(RECEIVER),
              "items": [{"name": "龙井 250g", "count": 2}], "weight_g": 1250}  # fmt: skip
    result.update(values)
    return result


class TestSfExpress(StubTestCase):
    def setUp(self):
        super().setUp()
        self.stub = SfStub(partner_id=PARTNER, check_word=CHECK, unserved={"西藏"}).start()
        self.addCleanup(self.stub.stop)

    def client(self, **config):
        options = {"base_url": self.stub.router_url, "partner_id": PARTNER, "check_word": CHECK, "sender": SENDER,
                   "monthly_card": "7551234567", "timeout": 2, "retries": 1, **config}  # fmt: skip
        client = SfExpressClient(**options)
        self.addCleanup(client.close)
        return client

    def test_digest_against_hand_computed(self):
        text = '{"orderId":"A 1+2"}'
        expected = base64.b64encode(hashlib.md5(quote_plus(text + "1700000000" + "cw").encode()).digest()).decode()
        self.assertEqual(msg_digest(text, "1700000000", "cw"), expected)
        self.assertIn("+", quote_plus(text))  # spaces as '+', the '+' itself encoded

    def test_numbers_routing_and_pdf_labels(self):
        results = self.client().request_waybills([parcel(i) for i in range(25)])
        self.assertEqual(len(self.stub.calls("EXP_RECE_CREATE_ORDER")), 25)
        prints = self.stub.calls("COM_RECE_CLOUD_PRINT_WAYBILLS")
        self.assertEqual([len(json.loads(c.form["msgData"])["documents"]) for c in prints], [20, 5])
        first = results[0]
        self.assertTrue(first["tracking_number"].startswith("SF"))
        self.assertEqual(first["routing"]["destRouteLabel"], "755WE-571A")
        self.assertEqual(first["routing"]["codingMapping"], "S10")
        self.assertTrue(first["label_pdf"].startswith(b"%PDF"))
        self.assertIn(f"SF {first['tracking_number']}".encode(), first["label_pdf"])
        sent = json.loads(self.stub.calls("EXP_RECE_CREATE_ORDER")[0].form["msgData"])
        self.assertEqual(
            (sent["orderId"], sent["monthlyCard"], sent["totalWeight"]), ("db1-0-1-9-0", "7551234567", 1.25)
        )
        self.assertEqual([c["contactType"] for c in sent["contactInfoList"]], [1, 2])

    def test_child_numbers_for_several_parcels(self):
        (result,) = self.client().request_waybills([parcel(1, parcel_count=3)], with_labels=False)
        self.assertEqual(len(result["child_tracking_numbers"]), 2)

    def test_not_served_address_gives_the_reason(self):
        (result,) = self.client().request_waybills([parcel(1, receiver=dict(RECEIVER, province="西藏"))])
        self.assertFalse(result["tracking_number"])
        self.assertIn("收方超范围", result["error"])

    def test_timeout_after_issue_then_retry_finds_that_number(self):
        client = self.client(timeout=0.3)
        self.stub.delay_next(1, seconds=0.8)
        with self.assertRaises(PlatformTimeout):
            client.request_waybills([parcel(1)], with_labels=False)
        time.sleep(0.7)  # SF finishes the order the client gave up on
        (result,) = client.request_waybills([parcel(1)], with_labels=False)
        # the repeated orderId is refused (8016), the number is read back by the order id
        self.assertEqual(len(self.stub.calls("EXP_RECE_SEARCH_ORDER_RESP")), 1)
        self.assertEqual(self.stub.live_numbers(), [result["tracking_number"]])
        self.assertEqual(client.find_waybill(parcel(1)["key"]), result["tracking_number"])

    def test_balance_bad_digest_and_cancel(self):
        self.stub.balance = 0
        (refused,) = self.client().request_waybills([parcel(1)])
        self.assertEqual(refused["error"], "月结卡号不存在或已失效")
        with self.assertRaises(PlatformAuthError):
            self.client(check_word="wrong").request_waybills([parcel(2)])
        self.stub.balance = 5
        client = self.client()
        (result,) = client.request_waybills([parcel(3)], with_labels=False)
        self.assertTrue(client.cancel(result["tracking_number"], parcel(3)["key"]))
        self.assertEqual(self.stub.live_numbers(), [])
        with self.assertRaises(PlatformRejectedError) as caught:
            client.cancel(result["tracking_number"], parcel(3)["key"])
        self.assertEqual(caught.exception.detail, "订单已取消")
