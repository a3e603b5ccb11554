# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import WaybillTestMixin


@tagged("post_install", "-at_install")
class TestWaybillPrintBatch(WaybillTestMixin, TransactionCase):
    """Deliveries list ▸ Print E-Waybills: ready deliveries only, numbers in
    the service's batches in picking order, one print task per service with
    the labels in picking order, the others listed with their reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_waybill()

    def _ready(self, count, prefix):
        pickings = self.Picking.browse()
        for index in range(count):
            picking = self._delivery(f"{prefix}{index}", self.zto_service)
            self.assertEqual(picking.state, "assigned")
            pickings |= picking
        return pickings

    def test_requests_and_labels_in_picking_order(self):
        self.service.size = 3
        pickings = self._ready(7, "BP1")
        # urgent first, then the earliest scheduled: not the creation order
        pickings[5].priority = "1"
        pickings[2].scheduled_date = "2020-01-01 08:00:00"
        action = pickings.action_omni_waybill_print_batch()
        ordered = pickings._omni_picking_order()
        self.assertEqual(ordered[:2].ids, [pickings[5].id, pickings[2].id])
        issues = [keys for kind, keys in self.service.calls if kind == "issue"]
        self.assertEqual([len(keys) for keys in issues], [3, 3, 1], "one request per service batch")
        self.assertEqual([key for keys in issues for key in keys], [p.omni_waybill_ids.request_key for p in ordered])
        self.assertEqual(action["tag"], "omni_waybill_print_batch")
        (task,) = action["params"]["tasks"]
        self.assertEqual(
            [d["documentID"] for d in task["payload"]["documents"]], ordered.mapped("carrier_tracking_ref")
        )
        self.assertEqual((action["params"]["printed"], action["params"]["errors"]), (7, []))

    def test_not_ready_and_refused_deliveries_are_listed(self):
        pickings = self._ready(3, "BP2")
        pickings[0].action_cancel()
        key = pickings[1]._omni_waybill_request_key(self.zto_service, 1)
        self.service.refuse_keys[key] = "地址不可达 (remote area not served)"
        action = pickings.action_omni_waybill_print_batch()
        errors = action["params"]["errors"]
        self.assertEqual(len(errors), 2)
        self.assertIn(pickings[0].name, errors[0])
        self.assertIn("地址不可达", errors[1])
        self.assertEqual(action["params"]["printed"], 1)
        self.assertTrue(pickings[2].carrier_tracking_ref)
        self.assertFalse(pickings[0].omni_waybill_ids, "a cancelled delivery is never asked")
        with self.assertRaises(UserError):
            pickings[0].action_omni_waybill_print_batch()

    def test_needs_the_right_to_change_deliveries(self):
        pickings = self._ready(1, "BP3")
        reader = new_test_user(self.env, "waybill_batch_reader", groups="base.group_user")
        with self.assertRaises(AccessError):
            pickings.with_user(reader).action_omni_waybill_print_batch()
        self.assertFalse(self.service.calls)
