# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo.exceptions import UserError
from odoo.tests import TransactionCase

from odoo.addons.omni_order.tests.common import JobsMixin, OmniOrderTestMixin
from odoo.addons.omni_platform.tests.platform_stub import PlatformStub
from odoo.addons.queue_job.exception import RetryableJobError

from .common import CourierMixin


class TestShipmentWriteBack(JobsMixin, CourierMixin, OmniOrderTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls._setup_couriers()

    def _ship(self, number, courier="SF", tracking="SF1400000001"):
        [result] = self.env["omni.order"].import_orders("TMALL01", [self._order(number)])
        order = self.env["omni.order"].browse(result["order_id"])
        picking = order.sale_order_id.picking_ids
        picking.write({"omni_courier_code": courier, "omni_tracking_no": tracking, "omni_parcel_weight": 1.2})
        picking.move_ids.picked = True
        picking.button_validate()
        return order, picking

    def test_written_back_through_the_platform_api(self):
        with PlatformStub([], access_token="tok") as stub:
            self.channel.write({"adapter_kind": "generic_rest", "api_base_url": stub.url, "api_access_token": "tok"})
            order, picking = self._ship("SH1")
            self.assertEqual(order.state, "shipped")
            self.assertEqual(picking.omni_shipment_state, "pending")
            self._perform_jobs("_omni_push_shipment")
            self.assertEqual(stub.shipments, [
                {"protocol": "generic_rest", "order_no": "SH1", "courier": "SF", "tracking_no": "SF1400000001"}
            ])  # fmt: skip
            self.assertEqual(picking.omni_shipment_state, "sent")
            self.assertFalse(picking._omni_push_shipment(), "a second run sends nothing")
            self.assertEqual(len(stub.shipments), 1)

    def test_refused_write_back_is_visible_and_retryable(self):
        with PlatformStub([], access_token="tok", shipment_refuse={"SH2": "order already shipped"}) as stub:
            self.channel.write({"adapter_kind": "generic_rest", "api_base_url": stub.url, "api_access_token": "tok"})
            _order, picking = self._ship("SH2")
            self._perform_jobs("_omni_push_shipment")
            self.assertEqual(picking.omni_shipment_state, "failed")
            self.assertIn("order already shipped", picking.omni_shipment_error)
            stub.shipment_refuse.clear()
            picking.action_omni_retry_shipment()
            self._perform_jobs("_omni_push_shipment")
            self.assertEqual(picking.omni_shipment_state, "sent")

    def test_platform_down_is_retried_by_the_job(self):
        with PlatformStub([], access_token="tok") as stub:
            self.channel.write({"adapter_kind": "generic_rest", "api_base_url": stub.url, "api_access_token": "tok"})
            _order, picking = self._ship("SH3")
            stub.fail_next(3, status=503)
            with self.assertRaises(RetryableJobError):
                picking._omni_push_shipment()
            self.assertEqual(picking.omni_shipment_state, "pending")

    def test_channel_without_api_exports_a_file_once(self):
        _order, picking = self._ship("SH4", courier="ZTO", tracking="ZT778899")
        self.assertEqual(picking.omni_shipment_state, "to_export")
        action = self.channel.action_export_shipments()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        content = base64.b64decode(attachment.datas).decode("utf-8-sig")
        self.assertIn("SH4,ZTO,ZT778899", content)
        self.assertEqual(picking.omni_shipment_state, "exported")
        with self.assertRaises(UserError):
            self.channel.action_export_shipments()

    def test_tracking_number_required_when_configured(self):
        self.channel.require_tracking = True
        [result] = self.env["omni.order"].import_orders("TMALL01", [self._order("SH5")])
        picking = self.env["omni.order"].browse(result["order_id"]).sale_order_id.picking_ids
        picking.move_ids.picked = True
        with self.assertRaises(UserError) as err:
            picking.button_validate()
        self.assertIn("tracking number", str(err.exception))
