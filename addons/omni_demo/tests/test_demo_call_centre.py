# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import Form, TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoCallCentre(TransactionCase):
    """On the demo database a new user follows the documented flow without
    setting anything up: the call > the card > a phone order paid by
    deposit."""

    def test_demo_phone_order_paid_by_deposit(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("omni.demo_loaded", "")
        params.set_param("omni.demo_call_centre_loaded", "")
        self.assertTrue(self.env["omni.demo"]._load_demo())
        self.assertTrue(self.env["omni.demo"]._load_demo_call_centre())
        self.assertFalse(self.env["omni.demo"]._load_demo_call_centre(), "loaded once")
        company = self.env["res.company"].browse(int(params.get_param("omni.demo_loaded")))
        admin = self.env.ref("base.user_admin")
        env = self.env(user=admin, context=dict(self.env.context, allowed_company_ids=[company.id]))
        self.assertEqual(env.company, company)
        # the call that rang: it opens the caller's card
        call = env["omni.call"].search([("company_id", "=", company.id)], limit=1)
        self.assertEqual(call.status, "found")
        card = call.action_open()
        customer = env["res.partner"].browse(card["res_id"])
        self.assertEqual(customer.name, "王芳")
        self.assertEqual(customer.omni_deposit_available, 1000.0)
        # the phone order, as the browser fills it: the channel and the address come prefilled
        action = customer.action_omni_phone_order()
        with Form(env[action["res_model"]].with_context(**action["context"])) as wizard:
            self.assertEqual(wizard.channel_id.platform, "call_center")
            self.assertEqual((wizard.province, wizard.district), ("江苏省", "鼓楼区"))
            wizard.payment_method = "deposit"
            with wizard.line_ids.new() as line:
                line.mapping_id = env["omni.product.mapping"].search(
                    [("channel_id", "=", wizard.channel_id.id), ("platform_sku", "=", "CALL-HONEY")]
                )
                line.quantity = 2
        order = env["omni.order"].browse(wizard.record.action_confirm()["res_id"])
        self.assertEqual(order.state, "confirmed", order.exception_reasons)
        self.assertEqual(order.sale_order_id.partner_id, customer)
        customer.invalidate_recordset()
        self.assertEqual(customer.omni_deposit_held, 60.0)
        self.assertEqual(customer.omni_deposit_available, 940.0)
