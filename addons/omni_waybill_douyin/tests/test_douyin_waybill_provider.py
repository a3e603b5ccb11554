# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Douyin e-waybills as a delivery provider, end to end against the
stand-in service."""

import json
from urllib.parse import urlsplit

from odoo.tests import TransactionCase, tagged
from odoo.tests.common import HOST, _super_send

from odoo.addons.omni_base.tools import guard
from odoo.addons.omni_order.tests.common import OmniOrderTestMixin
from odoo.addons.omni_platform_douyin.platforms.douyin import DouyinAdapter
from odoo.addons.omni_platform_douyin.tests.douyin_stub import DouyinStub

from .douyin_waybill_stub import DouyinWaybillStub

APP_KEY = "dy-app-7c1e"
SECRET = "dy-secret-90af"
TOKEN = "dy-token-55b2"
CIPHER = {"receiver_name": "#AbCname#", "phone": "#AbCtel#", "address": "#AbCaddr#"}


@tagged("post_install", "-at_install")
class TestDouyinWaybillProvider(OmniOrderTestMixin, TransactionCase):
    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # requests to the stand-in on 127.0.0.1 go out; others stay blocked
        if urlsplit(r.url).hostname in (HOST, "localhost"):
            return _super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        env = cls.env
        cls.stub = DouyinWaybillStub(
            app_key=APP_KEY, app_secret=SECRET, access_token=TOKEN, balance={"zhongtong": 1000},
            unserved={"西藏自治区"},
        ).start()  # fmt: skip
        cls.addClassCleanup(cls.stub.stop)
        cls.douyin = env["omni.channel"].create(
            {"name": "Douyin shop", "code": "DY01", "platform": "douyin", "company_id": cls.company.id,
             "warehouse_id": cls.warehouse.id, "ships_without_courier": False}
        )  # fmt: skip
        env["omni.product.mapping"].create(
            {"channel_id": cls.douyin.id, "platform_sku": "DY-CUP", "product_id": cls.cup.id, "quantity": 1}
        )
        product = env["product.product"].create({"name": "Freight", "type": "service"})
        cls.carrier = env["delivery.carrier"].create(
            {"name": "ZTO (Douyin e-waybill)", "delivery_type": "douyin", "omni_courier_code": "ZTO",
             "product_id": product.id, "company_id": cls.company.id}
        )  # fmt: skip
        cls.sender = env["res.partner"].create(
            {"name": "电商总仓", "phone": "13800000000", "city": "上海市", "street2": "浦东新区",
             "street": "申江路 1 号", "state_id": env.ref("base.state_cn_SH").id, "country_id": env.ref("base.cn").id}
        )  # fmt: skip
        cls.account = env["omni.waybill.account"].create(
            {"name": "DY01 waybills", "service": "douyin", "company_id": cls.company.id, "sender_id": cls.sender.id,
             "channel_id": cls.douyin.id, "endpoint_url": cls.stub.url, "app_key": APP_KEY, "app_secret": SECRET,
             "access_token": TOKEN, "timeout": 5}
        )  # fmt: skip

    def setUp(self):
        super().setUp()
        self.stub.reset()

    def _delivery(self, number):
        order = self._order(
            number, lines=[{"platform_sku": "DY-CUP", "quantity": "1", "unit_price": "25"}], paid_amount="31.00"
        )
        [result] = self.env["omni.order"].import_orders("DY01", [order])
        platform_order = self.env["omni.order"].browse(result["order_id"])
        # the receiver as Douyin's order API gives it (encrypt_post_*): ciphertext
        guard.internal(platform_order).write(CIPHER)
        platform_order.sale_order_id.omni_receiver_encrypted = True
        picking = platform_order.sale_order_id.picking_ids
        picking.write({"carrier_id": self.carrier.id, "omni_parcel_weight": 0.5})
        return picking

    def test_encrypted_order_gets_number_sorting_code_and_label(self):
        picking = self._delivery("6900000000000001")
        (task,) = picking.action_omni_waybill_request()
        number = picking.carrier_tracking_ref
        self.assertEqual(self.stub.live_numbers(), [number])
        (info,) = json.loads(self.stub.calls("logistics.newCreateOrder")[0].body)["order_infos"]
        self.assertEqual(info["receiver_info"]["contact"]["name"], "#AbCname#", "the ciphertext goes untouched")
        self.assertEqual(info["receiver_info"]["address"]["detail_address"], "#AbCaddr#")
        self.assertEqual(info["order_id"], "6900000000000001")
        waybill = picking.omni_waybill_ids
        self.assertEqual(waybill._print_data()["routing"]["sort_code"], "310-A01")
        self.assertEqual(task["url"], "ws://127.0.0.1:13888")
        (document,) = task["payload"]["task"]["documents"]
        self.assertEqual(document["contents"][0]["signature"], f"DYSIG({number})")
        self.assertEqual(self.carrier._omni_platform_courier_code(picking), "zhongtong")

    def test_batch_one_refusal_does_not_fail_the_others(self):
        pickings = self.env["stock.picking"]
        for index in range(12):
            pickings |= self._delivery(f"69000000000001{index:02d}")
        guard.internal(pickings[3].sale_id.omni_order_ids).write({"province": "西藏自治区"})
        action = pickings.action_omni_waybill_print_batch()
        creates = self.stub.calls("logistics.newCreateOrder")
        self.assertEqual([len(json.loads(c.body)["order_infos"]) for c in creates], [10, 2])
        self.assertIn("服务范围", pickings[3].omni_waybill_error)
        self.assertEqual(action["params"]["printed"], 11)

    def test_cancel(self):
        picking = self._delivery("6900000000000301")
        picking.action_omni_waybill_request()
        number = picking.carrier_tracking_ref
        picking.action_omni_waybill_cancel()
        self.assertTrue(self.stub.issued[number]["cancelled"])
        self.assertEqual(picking.omni_waybill_ids.state, "cancelled")

    def test_write_back_tells_douyin_the_courier_of_the_number(self):
        picking = self._delivery("6900000000000401")
        picking.action_omni_waybill_request()
        code = self.carrier._omni_platform_courier_code(picking)
        self.assertEqual(code, "zhongtong")
        with DouyinStub(app_key=APP_KEY, app_secret=SECRET, access_token=TOKEN) as shop:
            with DouyinAdapter(base_url=shop.url, app_key=APP_KEY, app_secret=SECRET, access_token=TOKEN) as adapter:
                adapter.push_shipment("6900000000000401", code, picking.carrier_tracking_ref)
        self.assertEqual(
            shop.shipments,
            [{"order_no": "6900000000000401", "courier": "zhongtong", "tracking_no": picking.carrier_tracking_ref}],
        )
        rows = self.env["stock.picking"]._omni_export_rows(picking)
        self.assertEqual(rows, [("6900000000000401", "zhongtong", picking.carrier_tracking_ref)])
