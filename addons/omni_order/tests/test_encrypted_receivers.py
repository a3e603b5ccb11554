# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Encrypted receivers through Odoo: a Taobao channel against the stand-in
TOP router (oaid, masked receiver fields, taobao.top.oaid.decrypt with its
quota). The other platforms' adapters are tested in their own addons."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase

from odoo.addons.omni_channel.tools import guard
from odoo.addons.omni_platform.tests.platform_stub import PlatformStub

from .common import JobsMixin, OmniOrderTestMixin

NOW = datetime(2026, 11, 11, 8, 0, 0)  # naive UTC


def encrypted_trade(tid, oaid, **values):
    modified = (NOW - timedelta(minutes=30)) + timedelta(hours=8)  # Beijing time
    trade = {
        "tid": tid, "type": "fixed", "status": "WAIT_SELLER_SEND_GOODS", "created": "2026-11-11 15:00:00",
        "modified": modified.strftime("%Y-%m-%d %H:%M:%S"), "oaid": oaid,
        # 加密 fields: masked text as the trade gives it
        "receiver_name": "刘*", "receiver_mobile": "*******9107", "receiver_state": "江苏省",
        "receiver_city": "南京市", "receiver_district": "鼓楼区", "receiver_address": "建国路**",
        "payment": "25.00", "post_fee": "0.00", "buyer_nick": f"tb_{tid}",
        "orders": {"order": [{"num_iid": 1001, "outer_sku_id": "TM-HONEY-500G", "num": 1, "price": "25.00"}]},
    }  # fmt: skip
    trade.update(values)
    return trade


class TestEncryptedReceivers(JobsMixin, OmniOrderTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.Order = cls.env["omni.order"]
        cls.clerk = cls._create_omni_user("enc_clerk", cls.company, "omni_channel.group_omni_channel_user")
        cls.full = cls._create_omni_user(
            "enc_full", cls.company, "omni_channel.group_omni_channel_user", "omni_order.group_omni_receiver_plain"
        )

    def _pull(self, stub):
        guard.internal(self.channel).write(
            {
                "adapter_kind": "taobao_top",
                "api_base_url": stub.router_url,
                "api_access_token": "token-1",
                "api_app_key": "key-1",
                "api_app_secret": "secret-1",
                "last_pull_until": NOW - timedelta(hours=1),
            }
        )
        with freeze_time(NOW):
            self.channel._pull_orders()
        return self.Order.search([("channel_id", "=", self.channel.id)], order="platform_order_no")

    def _stub(self):
        trades = [encrypted_trade(8001, "oaid-A"), encrypted_trade(8002, "oaid-A"), encrypted_trade(8003, "oaid-B")]
        stub = PlatformStub(trades, access_token="token-1", app_key="key-1", app_secret="secret-1")
        for tid, oaid in ((8001, "oaid-A"), (8003, "oaid-B")):
            stub.receivers[oaid] = {"tid": str(tid), "name": "刘洋", "mobile": "19038879107",
                                    "address_detail": "建国路685号"}  # fmt: skip
        return stub

    def test_kept_masked_merged_by_receiver_id(self):
        with self._stub() as stub:
            orders = self._pull(stub)
        first, second, third = orders
        self.assertEqual(first.receiver_id, "oaid-A")
        self.assertTrue(first.receiver_encrypted)
        self.assertEqual(
            (first.receiver_name_cipher, first.receiver_phone_cipher, first.receiver_address_cipher),
            ("刘*", "*******9107", "建国路**"),
        )
        self.assertEqual((first.receiver_name, first.phone), ("刘*", "*******9107"), "screens show the masked text")
        # a masked phone is no bad phone; the masked address is an address
        self.assertNotIn("bad_phone", first.exception_codes or "")
        self.assertNotIn("missing_address", first.exception_codes or "")
        # same oaid: same receiver; another oaid with the same masked text: not
        self.assertEqual(first.receiver_key, second.receiver_key)
        self.assertNotEqual(first.receiver_key, third.receiver_key)
        self.assertIn(second, first._get_merge_candidates()[first])
        self.assertNotIn(third, first._get_merge_candidates()[first])

    def test_plain_receiver_for_the_group_only_within_quota(self):
        with self._stub() as stub:
            orders = self._pull(stub)
            first, second, third = orders
            # staff without the group: no button, no plain values
            with self.assertRaises(AccessError):
                first.with_user(self.clerk).action_decrypt_receiver()
            with self.assertRaises(AccessError):
                first.with_user(self.clerk).read(["receiver_phone_plain"])
            self.assertFalse(stub.requests_for(api_method="taobao.top.oaid.decrypt"))
            # quota used up: the orders wait with the platform's words, a retry is queued
            stub.decrypt_quota = 0
            (first | third).with_user(self.full).action_decrypt_receiver()
            self.assertEqual(set((first | third).mapped("receiver_decrypt_state")), {"waiting"})
            self.assertIn("call limit", first.receiver_decrypt_error)
            [job] = self._jobs("_omni_retry_receiver_decrypt")
            # quota back: the retry decrypts them, nothing lost
            stub.decrypt_quota = None
            with freeze_time(NOW + timedelta(hours=2)):
                self._perform_jobs("_omni_retry_receiver_decrypt")
            self.assertEqual(set((first | third).mapped("receiver_decrypt_state")), {"done"})
            plain = first.with_user(self.full).read(["receiver_name_plain", "receiver_phone_plain"])[0]
            self.assertEqual((plain["receiver_name_plain"], plain["receiver_phone_plain"]), ("刘洋", "19038879107"))
            self.assertEqual(first.receiver_name, "刘*", "the screens keep the masked text")
            # the platform does not know 8002's oaid for its trade: refused, said
            second.with_user(self.full).action_decrypt_receiver()
            self.assertEqual(second.receiver_decrypt_state, "failed")
            self.assertIn("not returned", second.receiver_decrypt_error)
