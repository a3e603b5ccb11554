# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
from unittest.mock import patch
from urllib.parse import urlsplit

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tests.common import HOST, _super_send

from odoo.addons.omni_order.tests.common import OmniOrderTestMixin

from .cainiao_stand_in import CainiaoStandIn


class CainiaoTestMixin(OmniOrderTestMixin):
    """A Tmall channel, ZTO through Cainiao, a Cainiao account pointing at
    the stand-in service."""

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # the stand-in on 127.0.0.1 gets the requests as sent (Odoo's test
        # handler would stretch the 1 s timeout to 10 s); other hosts stay blocked
        if urlsplit(r.url).hostname in (HOST, "localhost"):
            return _super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    @classmethod
    def _setup_cainiao(cls):
        cls._setup_omni_order()
        env = cls.env
        cls.channel.ships_without_courier = False
        cls.cainiao = CainiaoStandIn().start()
        cls.addClassCleanup(cls.cainiao.stop)
        product = env["product.product"].create({"name": "Freight", "type": "service"})
        cls.zto = env["delivery.carrier"].create(
            {"name": "ZTO (Cainiao)", "delivery_type": "cainiao", "omni_courier_code": "ZTO",
             "product_id": product.id, "company_id": cls.company.id}
        )  # fmt: skip
        cls.company.partner_id.write({"street": "仓库路1号", "city": "杭州市", "phone": "057100000000"})
        cls.company.partner_id.state_id = env["res.country.state"].create(
            {"name": "浙江省", "code": "ZJX", "country_id": env.ref("base.cn").id}
        )
        cls.account = env["omni.waybill.account"].create(
            {"name": "Cainiao", "service": "cainiao", "company_id": cls.company.id, "endpoint_url": cls.cainiao.url,
             "app_key": "cn-key", "app_secret": "cn-secret", "access_token": "cn-session", "timeout": 1}
        )  # fmt: skip

    @classmethod
    def _delivery(cls, number, **order_values):
        [result] = cls.env["omni.order"].import_orders("TMALL01", [cls._order(number, **order_values)])
        picking = cls.env["omni.order"].browse(result["order_id"]).sale_order_id.picking_ids
        picking.write({"carrier_id": cls.zto.id, "omni_parcel_weight": 1.25})
        return picking

    def _get_requests(self):
        return [
            json.loads(business["param_waybill_cloud_print_apply_new_request"])
            for method, business in self.cainiao.requests
            if method == "cainiao.waybill.ii.get"
        ]


@tagged("post_install", "-at_install")
class TestCainiao(CainiaoTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_cainiao()

    def setUp(self):
        super().setUp()
        self.cainiao.requests.clear()
        self.cainiao.balance = {"ZTO": 100, "YTO": 100}
        self.cainiao.unreachable.clear()

    def test_carrier_quotes_its_rate_card_on_a_sale_order(self):
        """Core calls ``cainiao_rate_shipment`` by name (adding shipping to a
        phone order): the service quotes no price, the carrier's fixed price
        is the courier's rate card."""
        self.zto.write({"fixed_price": 6.5, "tracking_url": "https://t.example/<shipmenttrackingnumber>"})
        self.zto.product_id.taxes_id = False
        order = self.env["sale.order"].create({"partner_id": self.company.partner_id.id})
        result = self.zto.rate_shipment(order)
        self.assertTrue(result["success"], result.get("error_message"))
        self.assertAlmostEqual(result["price"], 6.5, places=2)
        picking = self.env["stock.picking"].new({"carrier_tracking_ref": "ZT7000000001"})
        self.assertEqual(self.zto.get_tracking_link(picking), "https://t.example/ZT7000000001")

    def test_number_and_print_data_from_cainiao(self):
        picking = self._delivery("CN1")
        self.assertEqual(picking._omni_waybill_request(), {})
        waybill = picking.omni_waybill_ids
        self.assertEqual(waybill.state, "issued")
        self.assertTrue(waybill.number.startswith("ZT78"))
        self.assertEqual(picking.carrier_tracking_ref, waybill.number)
        [request] = self._get_requests()
        self.assertEqual(request["cp_code"], "ZTO")
        self.assertEqual(request["sender"]["address"]["province"], "浙江省")
        [order] = request["trade_order_info_dtos"]
        self.assertEqual(order["object_id"], waybill.request_key)
        self.assertEqual(order["order_info"], {"order_channels_type": "TM", "trade_order_list": ["CN1"]})
        self.assertEqual(order["package_info"]["weight"], 1250)
        self.assertEqual(order["recipient"]["address"]["province"], "江苏省")
        self.assertEqual(order["recipient"]["mobile"], "19038879107")
        # the CNPrint print task carries Cainiao's print data untouched
        [task] = picking.omni_waybill_ids._print_tasks()
        self.assertEqual(task["url"], "ws://127.0.0.1:13528")
        self.assertEqual(task["payload"]["cmd"], "print")
        [document] = task["payload"]["task"]["documents"]
        self.assertEqual(document["documentID"], waybill.number)
        self.assertEqual(document["contents"][0]["encryptedData"], f"ENC({waybill.number})")

    def test_batches_of_ten(self):
        pickings = self.env["stock.picking"]
        for index in range(12):
            pickings |= self._delivery(f"CN2{index:02d}")
        self.assertEqual(pickings._omni_waybill_request(), {})
        self.assertEqual([len(r["trade_order_info_dtos"]) for r in self._get_requests()], [10, 2])
        self.assertEqual(len(set(pickings.mapped("carrier_tracking_ref"))), 12)

    def test_balance_exhausted_shows_cainiaos_reason(self):
        self.cainiao.balance["ZTO"] = 0
        picking = self._delivery("CN3")
        errors = picking._omni_waybill_request()
        self.assertIn("电子面单余额不足，请充值", errors[picking])
        self.assertIn("电子面单余额不足", picking.omni_waybill_error)
        self.assertFalse(picking.carrier_tracking_ref)

    def test_address_not_served(self):
        self.cainiao.unreachable.add("西藏自治区")
        picking = self._delivery("CN4", province="西藏自治区", city="拉萨市")
        errors = picking._omni_waybill_request()
        self.assertIn("西藏自治区超出派送范围", errors[picking])

    def test_courier_not_subscribed(self):
        self.zto.omni_courier_code = "SF"
        picking = self._delivery("CN5")
        errors = picking._omni_waybill_request()
        self.assertIn("商家未订购SF电子面单服务", errors[picking])

    def test_account_without_session(self):
        self.account.access_token = False
        picking = self._delivery("CN6")
        errors = picking._omni_waybill_request()
        self.assertIn("not configured", errors[picking])
        self.assertFalse(self.cainiao.requests)

    def test_wrong_secret_is_cainiaos_signature_error(self):
        self.account.app_secret = "wrong"
        picking = self._delivery("CN7")
        errors = picking._omni_waybill_request()
        self.assertIn("Cainiao", errors[picking])
        self.assertFalse(picking.carrier_tracking_ref)

    def test_timeout_after_issue_found_by_object_id(self):
        picking = self._delivery("CN8")
        self.cainiao.delay_next = 1.5  # the account's timeout is 1 s: Cainiao issues, we hear nothing
        errors = picking._omni_waybill_request()
        self.assertIn(picking, errors)
        self.assertEqual(picking.omni_waybill_ids.state, "requested")
        issued = self.cainiao.numbers[picking.omni_waybill_ids.request_key][1]
        self.assertEqual(picking._omni_waybill_request(), {})
        self.assertEqual(picking.carrier_tracking_ref, issued)
        methods = [method for method, _business in self.cainiao.requests]
        self.assertEqual(methods, ["cainiao.waybill.ii.get", "cainiao.waybill.ii.query.by.tradecode"])
        self.assertEqual(self.cainiao.balance["ZTO"], 99, "one number taken, not two")

    def test_cancel_gives_the_number_back(self):
        picking = self._delivery("CN9")
        picking._omni_waybill_request()
        number = picking.carrier_tracking_ref
        picking.action_omni_waybill_cancel()
        self.assertIn(number, self.cainiao.cancelled)
        self.assertEqual(picking.omni_waybill_ids.state, "cancelled")
        picking._omni_waybill_request()
        self.assertNotEqual(picking.carrier_tracking_ref, number)

    def test_cancel_refused_once_collected(self):
        picking = self._delivery("CN10")
        picking._omni_waybill_request()
        self.cainiao.collected.add(picking.carrier_tracking_ref)
        with self.assertRaises(UserError) as err:
            picking.action_omni_waybill_cancel()
        self.assertIn("已揽收，不能取消", str(err.exception))
        self.assertEqual(picking.omni_waybill_ids.state, "issued")

    def test_encrypted_tmall_receiver_by_oaid(self):
        picking = self._delivery("CN11")
        picking.sale_id.omni_receiver_encrypted = True
        with patch.object(type(picking), "_omni_waybill_encrypted_receiver", return_value={"oaid": "OAID-1"}):
            self.assertEqual(picking._omni_waybill_request(), {})
        [request] = self._get_requests()
        recipient = request["trade_order_info_dtos"][0]["recipient"]
        self.assertEqual((recipient["oaid"], recipient["tid"]), ("OAID-1", "CN11"))

    def test_encrypted_pinduoduo_receiver_refused(self):
        self.channel.platform = "pinduoduo"
        picking = self._delivery("CN12")
        picking.sale_id.omni_receiver_encrypted = True
        errors = picking._omni_waybill_request()
        self.assertIn("encrypted", errors[picking])
        self.assertFalse(self.cainiao.requests)

    def test_standard_templates(self):
        self.account.action_cainiao_fetch_templates()
        templates = self.account.cainiao_template_ids
        self.assertEqual(sorted(set(templates.mapped("cp_code"))), ["YTO", "ZTO"])
        picking = self._delivery("CN13")
        picking._omni_waybill_request()
        [request] = self._get_requests()
        zto_standard = templates.filtered(lambda t: t.cp_code == "ZTO" and t.waybill_type == 1)
        self.assertEqual(request["trade_order_info_dtos"][0]["template_url"], zto_standard.url)
