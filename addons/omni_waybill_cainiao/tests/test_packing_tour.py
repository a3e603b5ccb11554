# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .test_cainiao import CainiaoTestMixin


@tagged("post_install", "-at_install")
class TestCainiaoPackingTour(CainiaoTestMixin, HttpCase):
    """The packing station with a Cainiao courier and a manual one, driven as
    a scanner drives it; the print component is a fake WebSocket in the page."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_cainiao()
        cls.channel.require_scan_packing = True
        cls.cup.barcode = "6900000000011"
        product = cls.env["product.product"].create({"name": "Freight", "type": "service"})
        cls.zto_manual = cls.env["delivery.carrier"].create(
            {"name": "ZTO (labels)", "omni_courier_code": "ZTO", "omni_tracking_pattern": "ZT",
             "product_id": product.id, "company_id": cls.company.id}
        )  # fmt: skip
        cls.env["omni.waybill.rule"].create({"channel_id": cls.channel.id, "carrier_id": cls.zto.id})
        cls.pickings = cls.env["stock.picking"]
        for index, carrier in ((1, False), (2, cls.zto_manual.id)):
            [result] = cls.env["omni.order"].import_orders(
                "TMALL01",
                [cls._order(f"TOUR-WB{index}", paid_amount="50", shipping_fee="0",
                            lines=[{"platform_sku": "TM-CUP-SET", "quantity": "1", "unit_price": "50"}])],
            )  # fmt: skip
            picking = cls.env["omni.order"].browse(result["order_id"]).sale_order_id.picking_ids
            picking.write({"name": f"OMNI/WB/000{index}", "carrier_id": carrier})
            cls.pickings |= picking

    def test_tmall_with_cainiao_and_manual_courier(self):
        self.start_tour(
            "/odoo/action-omni_fulfilment.action_omni_packing_station", "omni_waybill_cainiao_tour", login="admin"
        )
        cainiao, manual = self.pickings
        self.assertEqual((cainiao.state, manual.state), ("done", "done"))
        self.assertEqual(cainiao.carrier_id, self.zto)
        waybill = cainiao.omni_waybill_ids
        self.assertEqual(waybill.state, "printed", "the print component took the label")
        self.assertEqual(cainiao.carrier_tracking_ref, waybill.number)
        self.assertEqual(self.cainiao.numbers[waybill.request_key][1], waybill.number)
        self.assertEqual((manual.carrier_id, manual.carrier_tracking_ref), (self.zto_manual, "ZT1234567890"))
        self.assertFalse(manual.omni_waybill_ids)
