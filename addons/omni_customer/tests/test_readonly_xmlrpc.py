# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 23 over XML-RPC, as a Call-centre Agent with core contact rights:
points, customer-card figures and a call's facts are read-only for every
client; only the actions (shipping, returns, the screen pop) change them."""

import xmlrpc.client

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import OmniCustomerTestMixin

PASSWORD = "agent_li_pw_2026"


@tagged("post_install", "-at_install")
class TestReadonlyOverXmlRpc(OmniCustomerTestMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_customer()
        # core contact rights on top of the agent's group: the agent may edit contacts
        cls.agent.groups_id = [Command.link(cls.env.ref("base.group_partner_manager").id)]
        cls.env["omni.points.rule"].create({"channel_id": cls.cc_channel.id, "points_per_yuan": 1.0})
        cls._ship(cls._phone_order(cls.wang, quantity=2, price=30.0))
        cls.call = cls.env["omni.call"]._register_call("138 0013 8000", cls.agent)[0]

    def _write(self, model, record_id, vals):
        uid = self.xmlrpc_common.login(self.env.cr.dbname, "agent_li", PASSWORD)
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, PASSWORD, model, "write", [[record_id], vals])

    def _assert_refused(self, model, record, vals):
        for name, value in vals.items():
            with self.subTest(field=name), self.assertRaises(xmlrpc.client.Fault) as caught:
                self._write(model, record.id, {name: value})
            self.assertIn(f"({name}) is read-only", caught.exception.faultString)

    def test_points_and_card_figures_refused(self):
        wang = self.wang
        wang.invalidate_recordset()
        before = wang.read(
            ["omni_points", "omni_points_earned", "omni_total_spend", "omni_order_count", "omni_open_order_count",
             "omni_open_aftersale_count", "omni_last_order_date", "omni_last_products"]
        )[0]  # fmt: skip
        self.assertTrue(before["omni_points"] and before["omni_order_count"], "the shipped order counts")
        self._assert_refused(
            "res.partner",
            wang,
            {
                "omni_points": 99999,
                "omni_points_earned": 99999,
                "omni_total_spend": 999999,
                "omni_order_count": 999,
                "omni_open_order_count": 999,
                "omni_open_aftersale_count": 999,
                "omni_last_order_date": "2026-01-01 00:00:00",
                "omni_last_products": "forged",
            },
        )
        wang.invalidate_recordset()
        self.assertEqual(wang.read(list(before))[0], before)
        self.assertEqual(
            wang.omni_points, sum(self.env["omni.points.move"].search([("partner_id", "=", wang.id)]).mapped("points"))
        )
        # what the agent may edit stays editable
        self._write("res.partner", wang.id, {"comment": "prefers calls after 18:00"})
        self.assertIn("18:00", str(wang.comment))

    def test_call_facts_refused(self):
        call = self.call
        other = self.env["res.partner"].create({"name": "Someone Else", "company_id": self.company.id})
        self._assert_refused(
            "omni.call",
            call,
            {
                "status": "unknown",
                "partner_id": other.id,
                "user_id": self.env.ref("base.user_admin").id,
                "name": "13900000000",
                "extension": "999",
            },
        )
        self.assertEqual(
            (call.status, call.partner_id, call.user_id, call.extension), ("found", self.wang, self.agent, "801")
        )
        # the agent's own note on the call is no fact of the call
        self._write("omni.call", call.id, {"note": "asked about delivery"})
        self.assertEqual(call.note, "asked about delivery")
