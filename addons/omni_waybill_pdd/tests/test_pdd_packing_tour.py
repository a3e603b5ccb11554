# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo.tests import HttpCase, tagged

from odoo.addons.omni_channel.tools import guard

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
