# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from odoo.addons.omni_base.tools import guard


@tagged("post_install", "-at_install")
class TestDemoCallCentreTour(HttpCase):
    def test_demo_phone_order_paid_by_deposit_in_the_browser(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("omni.demo_loaded", "")
        params.set_param("omni.demo_call_centre_loaded", "")
        self.env["omni.demo"]._load_demo()
        self.env["omni.demo"]._load_demo_call_centre()
        company = self.env["res.company"].browse(int(params.get_param("omni.demo_loaded")))
        # the call rang minutes ago in the demo: the agent opens it from the list (a call still ringing
        # would pop the card by itself: omni_customer's screen-pop tour)
        guard.internal(self.env["omni.call"].search([("company_id", "=", company.id)])).popped = True
        self.start_tour("/odoo/action-omni_customer.action_omni_call", "omni_demo_phone_order_tour", login="admin")
        order = self.env["omni.order"].search(
            [("company_id", "=", company.id), ("channel_id.platform", "=", "call_center")]
        )
        self.assertEqual(len(order), 1)
        self.assertEqual((order.state, order.payment_method), ("confirmed", "deposit"), order.exception_reasons)
        hold = self.env["omni.deposit.hold"].search([("omni_order_id", "=", order.id)])
        self.assertEqual((hold.amount, hold.state), (30.0, "held"))
