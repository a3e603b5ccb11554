# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import WaybillTestMixin


@tagged("post_install", "-at_install")
class TestWaybillPackingStation(WaybillTestMixin, TransactionCase):
    """Packed and weighed: the number is asked from the service, the print
    task goes to the screen; the service's refusal is shown and the delivery
    waits; a manual courier keeps the scanned label."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_waybill()
        cls.channel.require_scan_packing = True
        cls.cup.barcode = "6900000000011"

    def _packed(self, number, carrier):
        picking = self._delivery(
            number, carrier, weight=0, lines=[{"platform_sku": "TM-CUP-SET", "quantity": "1", "unit_price": "99"}]
        )
        for _index in range(3):
            self.Picking.omni_packing_scan("6900000000011", picking_id=picking.id)
        return picking

    def test_weight_asks_the_number_and_sends_the_print_task(self):
        picking = self._packed("PS1", self.zto_service)
        self.assertFalse(self.service.calls, "not before it is packed and weighed")
        result = self.Picking.omni_packing_scan("6900000000011", picking_id=picking.id)
        self.assertTrue(result["picking"]["complete"])
        self.assertFalse(self.service.calls, "not before it is weighed")
        result = self.Picking.omni_packing_scan("1.3", picking_id=picking.id, field="weight")
        number = picking.carrier_tracking_ref
        self.assertTrue(number)
        self.assertIn(number, result["message"])
        self.assertEqual(result["picking"]["tracking_no"], number)
        [task] = result["picking"]["print_tasks"]
        self.assertEqual(task["url"], "ws://127.0.0.1:13528")
        self.assertEqual(task["payload"]["documents"], [{"documentID": number}])
        # the browser reports the print component took it
        data = picking.omni_packing_printed(task["waybill_ids"])
        self.assertEqual(picking.omni_waybill_ids.state, "printed")
        self.assertFalse(data["print_tasks"])
        result = self.Picking.omni_packing_scan("O-BTN.validate", picking_id=picking.id)
        self.assertEqual(picking.state, "done")
        self.assertEqual(len(picking.omni_waybill_ids), 1)

    def test_refusal_shown_in_red_and_not_shipped(self):
        picking = self._packed("PS2", self.zto_service)
        self.Picking.omni_packing_scan("6900000000011", picking_id=picking.id)
        self.service.refuse = "收件地址超区 (address not served)"
        result = self.Picking.omni_packing_scan("1.3", picking_id=picking.id, field="weight")
        self.assertEqual(len(self.service.calls), 1, "the weight asks the service once")
        self.assertEqual(result["level"], "danger")
        self.assertIn("address not served", result["message"])
        self.assertIn("address not served", result["picking"]["waybill_error"])
        result = picking.action_omni_pack_validate()
        self.assertEqual(result["level"], "danger")
        self.assertNotEqual(picking.state, "done")
        # fixed at the service: retry
        self.service.refuse = None
        result = picking.omni_packing_request_waybill()
        self.assertNotEqual(result["level"], "danger")
        self.assertTrue(picking.carrier_tracking_ref)
        self.assertFalse(result["picking"]["waybill_error"])

    def test_switch_to_a_manual_courier_after_a_refusal(self):
        picking = self._packed("PS3", self.zto_service)
        self.Picking.omni_packing_scan("6900000000011", picking_id=picking.id)
        self.service.refuse = "余额不足"
        self.Picking.omni_packing_scan("1.3", picking_id=picking.id, field="weight")
        picking.carrier_id = self.zto_manual
        result = self.Picking.omni_packing_scan("ZT1234567890", picking_id=picking.id)
        self.assertEqual(picking.carrier_tracking_ref, "ZT1234567890")
        self.assertIn("recorded", result["message"])

    def test_no_label_scanned_or_typed_for_a_service_courier(self):
        picking = self._packed("PS4", self.zto_service)
        self.Picking.omni_packing_scan("6900000000011", picking_id=picking.id)
        with self.assertRaises(UserError) as err:
            self.Picking.omni_packing_scan("ZT1234567890", picking_id=picking.id)
        self.assertIn("no label is scanned", str(err.exception))
        with self.assertRaises(UserError):
            picking.omni_packing_set_parcel(tracking_no="ZT1234567890")
        self.assertFalse(picking.carrier_tracking_ref)

    def test_manual_courier_keeps_the_scanned_label(self):
        picking = self._packed("PS5", self.zto_manual)
        self.Picking.omni_packing_scan("6900000000011", picking_id=picking.id)
        self.Picking.omni_packing_scan("1.3", picking_id=picking.id, field="weight")
        self.assertFalse(self.service.calls)
        self.Picking.omni_packing_scan("ZT1234567890", picking_id=picking.id)
        self.Picking.omni_packing_scan("O-BTN.validate", picking_id=picking.id)
        self.assertEqual((picking.state, picking.carrier_tracking_ref), ("done", "ZT1234567890"))
        self.assertFalse(picking.omni_waybill_ids)

    def test_routing_rule_at_the_station(self):
        self.env["omni.waybill.rule"].create({"channel_id": self.channel.id, "carrier_id": self.zto_service.id})
        picking = self._packed("PS6", self.env["delivery.carrier"])
        self.Picking.omni_packing_scan("6900000000011", picking_id=picking.id)
        self.Picking.omni_packing_scan("1.3", picking_id=picking.id, field="weight")
        self.assertEqual(picking.carrier_id, self.zto_service)
        self.assertTrue(picking.carrier_tracking_ref)
