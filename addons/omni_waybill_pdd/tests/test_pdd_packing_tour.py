# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo.tests import HttpCase, tagged

from odoo.addons.omni_base.tools import guard

from .test_pdd_waybill_provider import CIPHER, PddProviderMixin


@tagged("post_install", "-at_install")
class TestPddPackingTour(PddProviderMixin, HttpCase):
    """An encrypted Pinduoduo order packed and shipped at the packing station:
    the shop's rule gives it the Pinduoduo waybill courier, the number comes
    from the stand-in service once weighed, the label goes to Pinduoduo's
    print component (a fake WebSocket in the page), nothing is typed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_pdd()
        cls.pdd.require_scan_packing = True
        cls.cup.barcode = "6900000000011"
        cls.env["omni.waybill.rule"].create({"channel_id": cls.pdd.id, "carrier_id": cls.carrier.id})
        order = cls._order(
            "PDD-TOUR-1", paid_amount="81.00", lines=[{"platform_sku": "PDD-CUP", "quantity": "3", "unit_price": "25"}]
        )
        [result] = cls.env["omni.order"].import_orders("PDD01", [order])
        platform_order = cls.env["omni.order"].browse(result["order_id"])
        guard.internal(platform_order).write(CIPHER)
        platform_order.sale_order_id.omni_receiver_encrypted = True
        cls.picking = platform_order.sale_order_id.picking_ids
        cls.picking.write({"name": "OMNI/PDD/0001", "carrier_id": False})

    def test_encrypted_pdd_order_shipped_with_pdd_waybill(self):
        self.start_tour(
            "/odoo/action-omni_fulfilment.action_omni_packing_station", "omni_waybill_pdd_tour", login="admin"
        )
        picking = self.picking
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.carrier_id, self.carrier)
        waybill = picking.omni_waybill_ids
        self.assertEqual(waybill.state, "printed", "the print component took the label")
        self.assertEqual(picking.carrier_tracking_ref, waybill.number)
        self.assertEqual(self.stub.live_numbers(), [waybill.number])
        (call,) = self.stub.calls("pdd.waybill.get")
        (dto,) = json.loads(call.form["param_waybill_cloud_print_apply_new_request"])["trade_order_info_dtos"]
        self.assertEqual(dto["recipient"]["name"], CIPHER["receiver_name"], "the ciphertext went untouched")


@tagged("post_install", "-at_install")
class TestPddBatchTour(PddProviderMixin, HttpCase):
    """Deliveries list ▸ Print E-Waybills on three Pinduoduo deliveries: one
    pdd.waybill.get for the three, one print command with the labels in
    picking order, the labels marked printed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_pdd()
        cls.pickings = cls.env["stock.picking"]
        for index in (1, 2, 3):
            order = cls._order(
                f"PDD-BATCH-{index}",
                paid_amount="31.00",
                lines=[{"platform_sku": "PDD-CUP", "quantity": "1", "unit_price": "25"}],
            )
            [result] = cls.env["omni.order"].import_orders("PDD01", [order])
            picking = cls.env["omni.order"].browse(result["order_id"]).sale_order_id.picking_ids
            picking.write({"name": f"OMNI/PDD/B{index}", "carrier_id": cls.carrier.id})
            cls.pickings |= picking
        cls.pickings[2].priority = "1"

    def test_print_batch_from_the_list(self):
        self.start_tour("/odoo/action-stock.action_picking_tree_all", "omni_waybill_pdd_batch_tour", login="admin")
        (call,) = self.stub.calls("pdd.waybill.get")
        dtos = json.loads(call.form["param_waybill_cloud_print_apply_new_request"])["trade_order_info_dtos"]
        ordered = self.pickings._omni_picking_order()
        self.assertEqual(ordered[0], self.pickings[2])
        self.assertEqual([d["object_id"] for d in dtos], [p.omni_waybill_ids.request_key for p in ordered])
        self.assertEqual(set(self.pickings.omni_waybill_ids.mapped("state")), {"printed"})
