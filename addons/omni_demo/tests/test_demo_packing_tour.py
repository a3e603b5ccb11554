# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestDemoPackingTour(HttpCase):
    """The demo lets a new user complete a packing session with a
    wrong-field scan without leaving the browser (issue 23)."""

    def test_demo_parcel_packed_with_a_label_scanned_into_the_weight_field(self):
        self.env["ir.config_parameter"].sudo().set_param("omni.demo_loaded", "")
        self.assertTrue(self.env["omni.demo"]._load_demo())
        order = self.env["omni.order"].search([("platform_order_no", "=", "4090012345678901236")])
        picking = order.sale_order_id.picking_ids
        self.assertEqual(len(picking), 1)
        self.assertTrue(picking.omni_scan_required)
        self.assertFalse(picking.carrier_id)
        self.start_tour(
            f"/odoo/action-stock.action_picking_tree_all/{picking.id}", "omni_demo_packing_tour", login="admin"
        )
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.carrier_id.omni_courier_code, "ZTO")
        self.assertEqual(picking.carrier_tracking_ref, "773012345678")
        self.assertAlmostEqual(picking.omni_parcel_weight, 1.2)
        self.assertEqual(order.state, "shipped")
