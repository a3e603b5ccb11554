# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.api import call_kw
from odoo.tests import TransactionCase

from odoo.addons.omni_order.tests.common import OmniOrderTestMixin


class TestPackingReset(OmniOrderTestMixin, TransactionCase):
    """No public method resets what a packer scanned: the packed quantities
    of a delivery change only through the packing station's scans."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.channel.require_scan_packing = True
        cls.honey.barcode = "6900000000028"

    def test_packed_quantities_cannot_be_reset_over_rpc(self):
        [result] = self.env["omni.order"].import_orders(
            "TMALL01",
            [self._order("PR1", paid_amount="58", shipping_fee="0",
                         lines=[{"platform_sku": "TM-HONEY-500G", "quantity": "2", "unit_price": "29"}])],
        )  # fmt: skip
        picking = self.env["omni.order"].browse(result["order_id"]).sale_order_id.picking_ids
        self.env["stock.picking"].omni_packing_scan("6900000000028", picking_id=picking.id)
        packed = sum(picking.move_ids.mapped("omni_packed_qty"))
        self.assertEqual(packed, 1)
        with self.assertRaises(AttributeError):
            call_kw(self.env["stock.picking"], "omni_reset_packing", [picking.ids], {})
        self.assertEqual(sum(picking.move_ids.mapped("omni_packed_qty")), packed)
