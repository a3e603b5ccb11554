# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import OmniCustomerTestMixin

URL = "/omni_customer/screen_pop"


@tagged("post_install", "-at_install")
class TestScreenPop(OmniCustomerTestMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_customer()
        env = cls.env
        cls.pbx = env["res.users"].create(
            {
                "name": "PBX",
                "login": "pbx",
                "password": "pbx_pw_2026_x",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "groups_id": [Command.set([env.ref("base.group_user").id,
                                           env.ref("omni_customer.group_omni_telephony").id])],
            }
        )  # fmt: skip
        cls.pbx_key = env["res.users.apikeys"].with_user(cls.pbx).sudo()._generate(None, "pbx", None)
        cls.agent_key = env["res.users.apikeys"].with_user(cls.agent).sudo()._generate(None, "agent", None)

    def _pop(self, body, key=None, raw=None):
        headers = {"Content-Type": "application/json"}
        if key is not False:
            headers["Authorization"] = f"Bearer {key or self.pbx_key}"
        return self.url_open(URL, data=raw if raw is not None else json.dumps(body), headers=headers)

    def _notifications(self):
        return self.env["bus.bus"].sudo().search([("message", "like", "omni_customer/screen_pop")])

    def test_known_caller_pops_on_the_agents_channel(self):
        before = self._notifications()
        response = self._pop({"number": "+86 138-0013-8000", "extension": "801"})
        self.assertEqual(response.status_code, 200, response.text)
        answer = response.json()
        self.assertEqual(answer["status"], "found")
        self.assertEqual(answer["customers"], [{"id": self.wang.id, "name": "王芳"}])
        call = self.env["omni.call"].browse(answer["call_id"])
        self.assertEqual((call.user_id, call.partner_id, call.status), (self.agent, self.wang, "found"))
        [note] = self._notifications() - before
        self.assertEqual(json.loads(note.channel)[1:], ["res.partner", self.agent.partner_id.id])
        self.assertEqual(json.loads(note.message)["payload"], {"call_id": call.id})
        # the agent's browser takes it once
        action = self.env["omni.call"].with_user(self.agent).action_take_pending()
        self.assertEqual((action["res_model"], action["res_id"]), ("res.partner", self.wang.id))
        self.assertFalse(self.env["omni.call"].with_user(self.agent).action_take_pending())

    def test_unknown_shared_and_malformed_numbers(self):
        answer = self._pop({"number": "139 1111 2222", "extension": "801"}).json()
        self.assertEqual((answer["status"], answer["customers"]), ("unknown", []))
        call = self.env["omni.call"].browse(answer["call_id"])
        action = call.with_user(self.agent).action_open()
        self.assertEqual(action["res_model"], "omni.call", "no customer: the call opens to create one")
        card = call.with_user(self.agent).action_create_customer()
        self.assertEqual(self.env["res.partner"].browse(card["res_id"]).omni_number_ids.key, "+8613911112222")

        twin = self.env["res.partner"].create(
            {"name": "王芳的丈夫", "phone": "13800138000", "company_id": self.company.id}
        )
        answer = self._pop({"number": "13800138000", "extension": "801"}).json()
        self.assertEqual(answer["status"], "ambiguous")
        self.assertEqual({c["id"] for c in answer["customers"]}, {self.wang.id, twin.id})

        answer = self._pop({"number": "12-34", "extension": "801"}).json()
        self.assertEqual((answer["status"], answer["customers"]), ("malformed", []))

    def test_refusals(self):
        self.assertEqual(self._pop({"number": "13800138000", "extension": "801"}, key=False).status_code, 401)
        self.assertEqual(self._pop({"number": "13800138000", "extension": "801"}, key="bad-key").status_code, 401)
        # an agent's own key is no telephone system
        self.assertEqual(self._pop({"number": "13800138000", "extension": "801"}, key=self.agent_key).status_code, 403)
        self.assertEqual(self._pop({"number": "13800138000"}).status_code, 400)
        self.assertEqual(self._pop(None, raw="{not json").status_code, 400)
        response = self._pop({"number": "13800138000", "extension": "999"})
        self.assertEqual(response.status_code, 404)
        self.assertIn("999", response.json()["error"])
        # an agent of another company is not reachable by this telephone system
        other = self.env["res.company"].create({"name": "Other Co"})
        self.agent.write({"company_ids": [Command.set(other.ids)], "company_id": other.id})
        self.assertEqual(self._pop({"number": "13800138000", "extension": "801"}).status_code, 404)

    def test_agent_found_as_the_search_finds_it(self):
        """The agent a pop rings (kept per process) is the user this sudo
        search finds, after every change that moves an extension."""
        Users = self.env["res.users"]
        other = self.env["res.company"].create({"name": "Other Co"})

        def searched(extension, company_ids):
            return Users.sudo().search(
                [("omni_extension", "=", extension), ("company_ids", "in", company_ids)], limit=1, order="id"
            )

        def check(extension, company_ids=None):
            company_ids = company_ids or self.company.ids
            found = Users._omni_agent_for_extension(extension, company_ids)
            self.assertEqual(found, searched(extension, company_ids), extension)
            if found:
                values = [(found.login, found.company_id, found.partner_id, found.omni_extension)]
                found.invalidate_recordset()
                self.assertEqual(values, [(found.login, found.company_id, found.partner_id, found.omni_extension)])
            return found

        self.assertEqual(check("801"), self.agent)
        self.assertFalse(check("802"))
        self.assertFalse(check("801", other.ids))
        # a new agent on an extension nobody had
        li2 = Users.create(
            {"name": "Agent Li 2", "login": "agent_li2", "omni_extension": "802", "company_id": self.company.id,
             "company_ids": [Command.set(self.company.ids)]}
        )  # fmt: skip
        self.assertEqual(check("802"), li2)
        # an extension moved (the old one kept just before), a login changed
        self.assertEqual(check("801"), self.agent)
        self.agent.omni_extension = "803"
        self.assertFalse(check("801"))
        self.assertEqual(check("803"), self.agent)
        self.agent.login = "agent_li_new"
        self.assertEqual(check("803").login, "agent_li_new")
        # archived, back again
        li2.active = False
        self.assertFalse(check("802"))
        li2.active = True
        self.assertEqual(check("802"), li2)
        # companies changed from either side
        li2.write({"company_ids": [Command.set((self.company | other).ids)]})
        self.assertEqual(check("802", other.ids), li2)
        other.write({"user_ids": [Command.unlink(li2.id)]})
        self.assertFalse(check("802", other.ids))
        self.assertEqual(check("802"), li2)
        # and over HTTP the moved extension rings the agent
        self.assertEqual(self._pop({"number": "13800138000", "extension": "803"}).json()["agent"], "agent_li_new")
        self.assertEqual(self._pop({"number": "13800138000", "extension": "801"}).status_code, 404)

    def test_lookup_over_xmlrpc(self):
        uid = self.xmlrpc_common.login(self.env.cr.dbname, "agent_li", "agent_li_pw_2026")
        result = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, "agent_li_pw_2026", "res.partner", "omni_lookup_caller", ["010 6000 0000"]
        )
        self.assertEqual(result["status"], "unknown")
        result = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, "agent_li_pw_2026", "res.partner", "omni_lookup_caller", ["138-0013-8000"]
        )
        self.assertEqual([c["id"] for c in result["customers"]], [self.wang.id])

    def test_screen_pop_tour(self):
        self._ship(self._phone_order(self.wang, quantity=2, price=30.0))
        answer = self._pop({"number": "13800138000", "extension": "801"}).json()
        self.assertEqual(answer["status"], "found")
        self.start_tour("/odoo", "omni_customer_screen_pop_tour", login="agent_li")
        self.assertTrue(self.env["omni.call"].browse(answer["call_id"]).popped)

    def test_caller_search_tour(self):
        self.start_tour("/odoo/action-omni_customer.action_omni_caller_search", "omni_customer_caller_search_tour",
                        login="agent_li")  # fmt: skip
