# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

# the demo's call-centre customer: 王芳, a Tmall buyer of the first demo run (DEMO_RECEIVERS of omni_demo.py)
DEMO_CALLER = "13900139002"
DEMO_DEPOSIT = 1000.0


class OmniDemo(models.AbstractModel):
    _inherit = "omni.demo"

    @api.model
    def _load_demo_call_centre(self):
        """The call centre of the demo company (after ``_load_demo``, which
        makes the company): its channel's relation table,
        its deposit account, 王芳 with a deposit of 1,000 and a call of hers
        for admin (extension 801), so that a new user follows the documented
        flow in the browser: Incoming Calls > the call > her card > Phone
        Order paid by Prepaid Deposit."""
        params = self.env["ir.config_parameter"].sudo()
        company_id = params.get_param("omni.demo_loaded")
        if not company_id or params.get_param("omni.demo_call_centre_loaded"):
            return False
        company = self.env["res.company"].browse(int(company_id)).exists()
        if not company:
            return False
        env = self.with_company(company).with_context(allowed_company_ids=[company.id], tracking_disable=True).env
        demo = self.with_env(env)
        channel = demo._demo_call_centre_channel(company)
        company._omni_ensure_deposit_account()
        customer = demo._demo_call_centre_customer(company)
        demo._demo_call_centre_deposit(company, customer)
        admin = self.env.ref("base.user_admin")
        admin.omni_extension = admin.omni_extension or "801"
        self.env["omni.call"]._register_call(DEMO_CALLER, admin)
        params.set_param("omni.demo_call_centre_loaded", channel.id)
        return True

    def _demo_call_centre_channel(self, company):
        """The company's call-centre channel (made at installation) as 呼叫中心
        with the SKUs of the other channels' relation table."""
        company._omni_ensure_call_centre_channel()
        channel = self.env["omni.channel"].search(
            [("platform", "=", "call_center"), ("company_id", "=", company.id)], limit=1
        )
        clearing = self.env["account.account"].create(
            {"name": "呼叫中心 结算", "code": "112305", "account_type": "asset_receivable", "reconcile": True}
        )
        channel.write({"name": "呼叫中心", "require_scan_packing": True, "omni_clearing_account_id": clearing.id})
        Product = self.env["product.product"]
        rows = []
        for sku, code, quantity in (
            ("CALL-TEA-250G", "TEA-1KG", 0.25),
            ("CALL-CUP-SET", "CUP", 4),
            ("CALL-HONEY", "HONEY-500G", 1),
            ("CALL-RICE-5KG", "RICE-1KG", 5),
            ("CALL-GIFT-BOX", "TEA-1KG", 0.5),
            ("CALL-GIFT-BOX", "CUP", 2),
        ):
            product = Product.search([("default_code", "=", code), ("company_id", "=", company.id)], limit=1)
            rows.append({"channel_id": channel.id, "platform_sku": sku, "product_id": product.id, "quantity": quantity})
        self.env["omni.product.mapping"].create(rows)
        return channel

    def _demo_call_centre_customer(self, company):
        """王芳, found by her number as a caller is, made a member."""
        found = self.env["res.partner"].omni_lookup_caller(DEMO_CALLER)["customers"]
        customer = self.env["res.partner"].browse(found[0]["id"])
        customer.write({"mobile": DEMO_CALLER, "omni_is_member": True})
        return customer

    def _demo_call_centre_deposit(self, company, customer):
        bank = self.env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
        self.env["omni.deposit.wizard"].with_context(default_partner_id=customer.id).create(
            {"amount": DEMO_DEPOSIT, "journal_id": bank.id, "memo": "微信转账 预存款"}
        ).action_confirm()
