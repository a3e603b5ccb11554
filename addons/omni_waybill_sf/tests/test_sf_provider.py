# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""SF Express as a delivery provider, end to end against the stand-in open
platform: number, routing codes and PDF label; the labels of several
deliveries as one PDF in picking order; an encrypted order refused; the
retry after a timeout; cancel."""

import base64
import io
import json
import time
from urllib.parse import urlsplit

from odoo.tests import TransactionCase, tagged
from odoo.tests.common import HOST, _super_send
from odoo.tools.pdf import PdfFileReader

from odoo.addons.omni_order.tests.common import OmniOrderTestMixin

from .sf_stub import SfStub

PARTNER = "SF-PARTNER-01"
CHECK = "sf-check-word-8a1"


@tagged("post_install", "-at_install")
class TestSfProvider(OmniOrderTestMixin, TransactionCase):
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
        cls.stub = SfStub(partner_id=PARTNER, check_word=CHECK, unserved={"西藏自治区"}).start()
        cls.addClassCleanup(cls.stub.stop)
        cls.channel.ships_without_courier = False
        product = env["product.product"].create({"name": "Freight", "type": "service"})
        cls.carrier = env["delivery.carrier"].create(
            {"name": "SF (open platform)", "delivery_type": "sf_express", "omni_courier_code": "SF",
             "product_id": product.id, "company_id": cls.company.id, "omni_waybill_product_type": "2"}
        )  # fmt: skip
        cls.sender = env["res.partner"].create(
            {"name": "电商总仓", "phone": "13800000000", "city": "上海市", "street2": "浦东新区",
             "street": "申江路 1 号", "state_id": env.ref("base.state_cn_SH").id, "country_id": env.ref("base.cn").id}
        )  # fmt: skip
        cls.account = env["omni.waybill.account"].create(
            {"name": "SF", "service": "sf_express", "company_id": cls.company.id, "sender_id": cls.sender.id,
             "endpoint_url": cls.stub.router_url, "app_key": PARTNER, "app_secret": CHECK,
             "sf_monthly_card": "7551234567", "timeout": 5}
        )  # fmt: skip

    def setUp(self):
        super().setUp()
        self.stub.reset()

    def _delivery(self, number, **values):
        [result] = self.env["omni.order"].import_orders("TMALL01", [self._order(number, **values)])
        picking = self.env["omni.order"].browse(result["order_id"]).sale_order_id.picking_ids
        picking.write({"carrier_id": self.carrier.id, "omni_parcel_weight": 1.25})
        return picking

    def test_number_routing_and_pdf_label(self):
        picking = self._delivery("SF-1001")
        (task,) = picking.action_omni_waybill_request()
        number = picking.carrier_tracking_ref
        self.assertEqual(self.stub.live_numbers(), [number])
        sent = json.loads(self.stub.calls("EXP_RECE_CREATE_ORDER")[0].form["msgData"])
        self.assertEqual(sent["orderId"], picking.omni_waybill_ids.request_key)
        self.assertEqual((sent["monthlyCard"], sent["expressTypeId"], sent["totalWeight"]), ("7551234567", 2, 1.25))
        receiver = sent["contactInfoList"][1]
        self.assertEqual((receiver["contact"], receiver["province"]), ("刘洋", "江苏省"))
        data = picking.omni_waybill_ids._print_data()  # the label fetched for the print task
        self.assertEqual(data["routing"]["destRouteLabel"], "755WE-571A")
        label = self.env["ir.attachment"].browse(data["label_attachment_id"])
        self.assertEqual((label.res_model, label.res_id, label.name), ("stock.picking", picking.id, f"{number}.pdf"))
        self.assertIn(f"SF {number}".encode(), base64.b64decode(task["pdf"]))

    def test_labels_of_a_batch_in_one_pdf_in_picking_order(self):
        pickings = self.env["stock.picking"]
        for index in range(3):
            pickings |= self._delivery(f"SF-20{index}")
        pickings[2].priority = "1"
        action = pickings.action_omni_waybill_print_batch()
        (task,) = action["params"]["tasks"]
        pages = PdfFileReader(io.BytesIO(base64.b64decode(task["pdf"]))).pages
        self.assertEqual(
            [page.extract_text().strip() for page in pages],
            [f"SF {p.carrier_tracking_ref}" for p in pickings._omni_picking_order()],
            "one page per label, in picking order",
        )
        self.assertEqual(len(self.stub.calls("EXP_RECE_CREATE_ORDER")), 3, "one order per call")
        self.assertEqual(len(self.stub.calls("COM_RECE_CLOUD_PRINT_WAYBILLS")), 1, "one cloud print for the batch")

    def test_not_served_and_encrypted_order_refused(self):
        picking = self._delivery("SF-3001", province="西藏自治区")
        errors = picking._omni_waybill_request()
        self.assertIn("收方超范围", errors[picking])
        encrypted = self._delivery("SF-3002")
        encrypted.sale_id.omni_receiver_encrypted = True
        errors = encrypted._omni_waybill_request()
        self.assertIn("encrypted", errors[encrypted])
        self.assertFalse(self.stub.calls("EXP_RECE_CREATE_ORDER")[1:], "SF never asked for the encrypted order")

    def test_timeout_after_issue_finds_that_number_and_cancel(self):
        picking = self._delivery("SF-4001")
        self.account.timeout = 1
        self.stub.delay_next(1, seconds=1.5)
        errors = picking._omni_waybill_request()
        self.assertTrue(errors[picking])
        time.sleep(0.7)  # SF finishes the order the client gave up on
        self.assertEqual(picking._omni_waybill_request(), {})
        self.assertEqual(self.stub.live_numbers(), [picking.carrier_tracking_ref], "no second number")
        number = picking.carrier_tracking_ref
        picking.action_omni_waybill_cancel()
        self.assertTrue(self.stub.orders[picking.omni_waybill_ids.request_key]["cancelled"])
        self.assertEqual(self.stub.live_numbers(), [])
        self.assertEqual(picking.omni_waybill_ids.number, number)
