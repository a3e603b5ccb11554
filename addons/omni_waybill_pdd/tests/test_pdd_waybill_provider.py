# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Pinduoduo e-waybills as a delivery provider, end to end against the
stand-in service: an encrypted Pinduoduo order gets its number and label,
batches of 10 from the deliveries list in picking order, a refusal on its
delivery, cancel, the write-back's courier code."""

import json
import time
from urllib.parse import urlsplit

from odoo.tests import TransactionCase, tagged
from odoo.tests.common import HOST, _super_send

from odoo.addons.omni_base.tools import guard
from odoo.addons.omni_order.tests.common import OmniOrderTestMixin

from .pdd_waybill_stub import PddWaybillStub

CLIENT_ID = "pdd-client-01"
SECRET = "pdd-secret-3b7d"
TOKEN = "pdd-token-c41a"
CIPHER = {"receiver_name": "~AgAAAname~", "phone": "~AgAAAphone~", "address": "~AgAAAaddr~"}


class PddProviderMixin(OmniOrderTestMixin):
    """A Pinduoduo shop PDD01, the stand-in waybill service, a carrier ZTO
    through Pinduoduo waybills and the shop's account. Requests to the
    stand-in on 127.0.0.1 go out; others stay blocked."""

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        if urlsplit(r.url).hostname in (HOST, "localhost"):
            return _super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    @classmethod
    def _setup_pdd(cls):
        cls._setup_omni_order()
        env = cls.env
        cls.stub = PddWaybillStub(
            app_key=CLIENT_ID, app_secret=SECRET, access_token=TOKEN, branches={"ZTO": 1000}, unserved={"西藏自治区"}
        ).start()
        cls.addClassCleanup(cls.stub.stop)
        cls.pdd = env["omni.channel"].create(
            {"name": "Pinduoduo shop", "code": "PDD01", "platform": "pinduoduo", "company_id": cls.company.id,
             "warehouse_id": cls.warehouse.id, "ships_without_courier": False}
        )  # fmt: skip
        env["omni.product.mapping"].create(
            {"channel_id": cls.pdd.id, "platform_sku": "PDD-CUP", "product_id": cls.cup.id, "quantity": 1}
        )
        product = env["product.product"].create({"name": "Freight", "type": "service"})
        cls.carrier = env["delivery.carrier"].create(
            {"name": "ZTO (Pinduoduo e-waybill)", "delivery_type": "pdd", "omni_courier_code": "ZTO",
             "product_id": product.id, "company_id": cls.company.id,
             "omni_waybill_template_url": "https://file.pinduoduo.com/kuaidi/template/zhongtong_std.ucml"}
        )  # fmt: skip
        cls.sender = env["res.partner"].create(
            {"name": "电商总仓", "phone": "13800000000", "city": "上海市", "street2": "浦东新区",
             "street": "申江路 1 号", "state_id": env.ref("base.state_cn_SH").id, "country_id": env.ref("base.cn").id}
        )  # fmt: skip
        cls.account = env["omni.waybill.account"].create(
            {"name": "PDD01 waybills", "service": "pdd", "company_id": cls.company.id, "sender_id": cls.sender.id,
             "channel_id": cls.pdd.id, "endpoint_url": cls.stub.router_url, "app_key": CLIENT_ID, "app_secret": SECRET,
             "access_token": TOKEN, "timeout": 5}
        )  # fmt: skip


@tagged("post_install", "-at_install")
class TestPddWaybillProvider(PddProviderMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_pdd()

    def setUp(self):
        super().setUp()
        self.stub.reset()

    def _delivery(self, number, encrypted=True, **values):
        order = self._order(number, lines=[{"platform_sku": "PDD-CUP", "quantity": "1", "unit_price": "25"}],
                            paid_amount="31.00", **values)  # fmt: skip
        [result] = self.env["omni.order"].import_orders("PDD01", [order])
        platform_order = self.env["omni.order"].browse(result["order_id"])
        sale = platform_order.sale_order_id
        if encrypted:
            # the receiver as Pinduoduo's order API gives it: ciphertext
            guard.internal(platform_order).write(CIPHER)
            sale.omni_receiver_encrypted = True
        picking = sale.picking_ids
        picking.write({"carrier_id": self.carrier.id, "omni_parcel_weight": 0.8})
        return picking

    def _dtos(self, request):
        return json.loads(request.form["param_waybill_cloud_print_apply_new_request"])["trade_order_info_dtos"]

    def test_encrypted_order_gets_number_and_label(self):
        picking = self._delivery("PDD-1001")
        tasks = picking.action_omni_waybill_request()
        number = picking.carrier_tracking_ref
        self.assertEqual(self.stub.live_numbers(), [number])
        (dto,) = self._dtos(self.stub.calls("pdd.waybill.get")[0])
        self.assertEqual(dto["recipient"]["name"], "~AgAAAname~", "the ciphertext goes untouched")
        self.assertEqual(dto["recipient"]["mobile"], "~AgAAAphone~")
        self.assertEqual(dto["recipient"]["address"]["detail"], "~AgAAAaddr~")
        self.assertEqual(dto["order_info"]["trade_order_list"], ["PDD-1001"])
        self.assertEqual(dto["object_id"], picking.omni_waybill_ids.request_key)
        (task,) = tasks
        self.assertEqual(task["url"], "ws://127.0.0.1:5000")
        (document,) = task["payload"]["task"]["documents"]
        self.assertEqual(document["documentID"], number)
        self.assertEqual(document["contents"][0]["signature"], f"SIG({number})")

    def test_list_batch_of_23_in_picking_order(self):
        pickings = self.env["stock.picking"]
        for index in range(23):
            pickings |= self._delivery(f"PDD-2{index:03d}")
        # the picking order is not the creation order: the last one is urgent
        pickings[-1].priority = "1"
        unserved = pickings[5]
        guard.internal(unserved.sale_id.omni_order_ids).write({"province": "西藏自治区"})
        action = pickings.action_omni_waybill_print_batch()
        calls = self.stub.calls("pdd.waybill.get")
        sizes = [len(self._dtos(c)) for c in calls]
        # 3 batches (10, 10, 3); the batch holding the unserved address asked again parcel by parcel
        self.assertEqual(sizes, [10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 10, 3])
        ordered = pickings._omni_picking_order()
        self.assertEqual(ordered[0], pickings[-1])
        first_keys = [d["object_id"] for d in self._dtos(calls[0])]
        self.assertEqual(first_keys, [p.omni_waybill_ids.request_key for p in ordered[:10]])
        self.assertIn("服务范围", unserved.omni_waybill_error)
        self.assertFalse(unserved.carrier_tracking_ref)
        (task,) = action["params"]["tasks"]
        documents = [d["documentID"] for d in task["payload"]["task"]["documents"]]
        self.assertEqual(documents, [p.carrier_tracking_ref for p in ordered if p != unserved])
        self.assertEqual(action["params"]["printed"], 22)
        self.assertEqual(len(action["params"]["errors"]), 1)

    def test_cancel_gives_the_number_back(self):
        picking = self._delivery("PDD-3001")
        picking.action_omni_waybill_request()
        number = picking.carrier_tracking_ref
        picking.action_omni_waybill_cancel()
        self.assertTrue(self.stub.issued[number]["cancelled"])
        self.assertEqual(picking.omni_waybill_ids.state, "cancelled")
        self.assertFalse(picking.carrier_tracking_ref)
        picking.action_omni_waybill_request()
        self.assertNotEqual(picking.carrier_tracking_ref, number, "a cancelled number is never reused")

    def test_write_back_sends_the_services_courier_code(self):
        picking = self._delivery("PDD-4001")
        self.carrier.pdd_wp_code = "zto"
        self.assertEqual(self.carrier._omni_platform_courier_code(picking), "ZTO")
        picking.action_omni_waybill_request()
        (dto,) = self._dtos(self.stub.calls("pdd.waybill.get")[0])
        self.assertEqual(json.loads(self.stub.calls("pdd.waybill.get")[0].form[
            "param_waybill_cloud_print_apply_new_request"])["wp_code"], "ZTO")  # fmt: skip

    def test_account_without_token_and_timeout_after_issue(self):
        picking = self._delivery("PDD-5001")
        self.account.access_token = False
        errors = picking._omni_waybill_request()
        self.assertIn("access token", errors[picking])
        self.account.access_token = TOKEN
        self.account.timeout = 1
        self.stub.delay_next(1, seconds=1.5)
        errors = picking._omni_waybill_request()
        self.assertTrue(errors[picking])
        self.assertFalse(picking.carrier_tracking_ref)
        time.sleep(0.7)  # Pinduoduo finishes the call the client gave up on
        errors = picking._omni_waybill_request()
        self.assertEqual(errors, {})
        self.assertEqual(
            self.stub.live_numbers(), [picking.carrier_tracking_ref], "the number issued before the timeout"
        )
