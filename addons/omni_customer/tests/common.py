# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command

from odoo.addons.omni_order.tests.common import OmniOrderTestMixin


class OmniCustomerTestMixin(OmniOrderTestMixin):
    """The order fixtures of omni_order, a call-centre channel CC01 with its
    relation table, a member 王芳 and an agent."""

    @classmethod
    def _setup_omni_customer(cls):
        cls._setup_omni_order()
        cls._setup_call_centre()

    @classmethod
    def _setup_call_centre(cls):
        """Call-centre channel, member and agent (on top of the order fixtures)."""
        env = cls.env
        # the fixture's channel is the company's call centre (the one made at installation stands aside)
        env["omni.channel"].search(
            [("platform", "=", "call_center"), ("company_id", "=", cls.company.id)]
        ).active = False
        cls.cc_channel = env["omni.channel"].create(
            {"name": "Call centre", "code": "CC01", "platform": "call_center", "company_id": cls.company.id,
             "warehouse_id": cls.warehouse.id}
        )  # fmt: skip
        cls.cc_honey = env["omni.product.mapping"].create(
            {"channel_id": cls.cc_channel.id, "platform_sku": "CC-HONEY", "product_id": cls.honey.id, "quantity": 1}
        )
        cls.wang = env["res.partner"].create(
            {
                "name": "王芳",
                "mobile": "138 0013 8000",
                "street": "中山路88号",
                "city": "南京市",
                "state_id": env.ref("base.state_cn_JS").id,
                "company_id": cls.company.id,
                "omni_is_member": True,
            }
        )
        cls.agent = env["res.users"].create(
            {
                "name": "Agent Li",
                "login": "agent_li",
                "password": "agent_li_pw_2026",
                "omni_extension": "801",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "groups_id": [Command.set([env.ref("omni_customer.group_omni_call_agent").id])],
            }
        )

    @classmethod
    def _phone_order(cls, partner, quantity=2, price=30.0, payment="cod", user=None, **values):
        Wizard = cls.env["omni.phone.order.wizard"]
        if user:
            Wizard = Wizard.with_user(user)
        wizard = Wizard.with_context(default_partner_id=partner.id).create(
            {
                "channel_id": cls.cc_channel.id,
                "province": "江苏省",
                "district": "鼓楼区",
                "payment_method": payment,
                "line_ids": [
                    Command.create({"mapping_id": cls.cc_honey.id, "quantity": quantity, "unit_price": price})
                ],
                **values,
            }
        )
        action = wizard.action_confirm()
        return cls.env["omni.order"].browse(action["res_id"])

    @classmethod
    def _courier(cls):
        Carrier = cls.env["delivery.carrier"]
        courier = Carrier.search([("name", "=", "Courier SF"), ("company_id", "=", cls.company.id)], limit=1)
        if not courier:
            product = cls.env["product.product"].create({"name": "Courier freight", "type": "service"})
            courier = Carrier.create({"name": "Courier SF", "product_id": product.id, "company_id": cls.company.id})
        return courier

    @classmethod
    def _ship(cls, order):
        picking = order.sale_order_id.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        # a phone order's parcel ships with a courier (an Odoo carrier), as every channel's that is no pick-up
        picking.carrier_id = cls._courier()
        picking.move_ids.picked = True
        picking.button_validate()
