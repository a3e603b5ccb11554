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
        search finds among the telephone user's companies, after every
        change that moves an extension."""
        Users = self.env["res.users"]
        other = self.env["res.company"].create({"name": "Other Co"})
        telephony = self.env.ref("omni_customer.group_omni_telephony")
        pbx_other = Users.create(
            {"name": "PBX other", "login": "pbx_other", "company_id": other.id, "company_ids": [Command.set(other.ids)],
             "groups_id": [Command.set([self.env.ref("base.group_user").id, telephony.id])]}
        )  # fmt: skip

        def check(extension, pbx=None):
            pbx = pbx or self.pbx
            found = Users.with_user(pbx)._omni_agents_for_extension(extension)
            searched = Users.sudo().search(
                [("omni_extension", "=", extension), ("company_ids", "in", pbx.company_ids.ids)], order="id"
            )
            self.assertEqual(found, searched, extension)
            values = [(u.login, u.company_id, u.partner_id, u.omni_extension) for u in found]
            found.invalidate_recordset()
            self.assertEqual(values, [(u.login, u.company_id, u.partner_id, u.omni_extension) for u in found])
            return found

        self.assertEqual(check("801"), self.agent)
        self.assertFalse(check("802"))
        self.assertFalse(check("801", pbx_other), "another company's agent is not reachable")
        # a new agent on an extension nobody had, from a default value too
        li2 = Users.create(
            {"name": "Agent Li 2", "login": "agent_li2", "omni_extension": "802", "company_id": self.company.id,
             "company_ids": [Command.set(self.company.ids)]}
        )  # fmt: skip
        self.assertEqual(check("802"), li2)
        self.assertFalse(check("804"))
        li4 = Users.with_context(default_omni_extension="804").create(
            {"name": "Agent Li 4", "login": "agent_li4", "company_id": self.company.id,
             "company_ids": [Command.set(self.company.ids)]}
        )  # fmt: skip
        self.assertEqual(check("804"), li4)
        # an extension moved (the old one kept just before), a login and a contact changed
        self.assertEqual(check("801"), self.agent)
        self.agent.omni_extension = "803"
        self.assertFalse(check("801"))
        self.assertEqual(check("803"), self.agent)
        self.agent.login = "agent_li_new"
        self.assertEqual(check("803").login, "agent_li_new")
        contact = self.env["res.partner"].create({"name": "Agent Li (new contact)"})
        self.agent.partner_id = contact
        self.assertEqual(check("803").partner_id, contact)
        # archived (first looked up by a caller who sees archived users), back again, deleted
        self.assertEqual(
            Users.with_user(self.pbx).with_context(active_test=False)._omni_agents_for_extension("802"), li2
        )
        li2.active = False
        self.assertEqual(Users.with_user(self.pbx).with_context(active_test=False)._omni_agents_for_extension("802"),
                         Users, "archived users are no agents whoever asks first")  # fmt: skip
        self.assertFalse(check("802"))
        li2.active = True
        self.assertEqual(check("802"), li2)
        self.assertEqual(check("804"), li4)
        li4.unlink()
        self.assertFalse(check("804"))
        # companies changed from either side
        li2.write({"company_ids": [Command.set((self.company | other).ids)]})
        self.assertEqual(check("802", pbx_other), li2)
        other.write({"user_ids": [Command.unlink(li2.id)]})
        self.assertFalse(check("802", pbx_other))
        self.assertEqual(check("802"), li2)
        # and over HTTP the moved extension rings the agent
        self.assertEqual(self._pop({"number": "13800138000", "extension": "803"}).json()["agent"], "agent_li_new")
        self.assertEqual(self._pop({"number": "13800138000", "extension": "801"}).status_code, 404)

    def test_extension_of_agents_of_two_companies(self):
        """Two companies may each give an agent extension 801: a telephone
        system of both cannot tell which rings, and says so (409); of one
        company, it rings that company's agent."""
        other = self.env["res.company"].create({"name": "Other Co"})
        agent_other = self.env["res.users"].create(
            {"name": "Agent Other", "login": "agent_other", "omni_extension": "801", "company_id": other.id,
             "company_ids": [Command.set(other.ids)],
             "groups_id": [Command.set([self.env.ref("omni_customer.group_omni_call_agent").id])]}
        )  # fmt: skip
        self.assertEqual(self._pop({"number": "13800138000", "extension": "801"}).json()["agent"], "agent_li")
        self.pbx.write({"company_ids": [Command.link(other.id)]})
        response = self._pop({"number": "13800138000", "extension": "801"})
        self.assertEqual(response.status_code, 409, response.text)
        self.assertIn("801", response.json()["error"])
        # a user of the other company with that extension but no agent's group rings nobody
        agent_other.groups_id = [Command.set([self.env.ref("base.group_user").id])]
        self.assertEqual(self._pop({"number": "13800138000", "extension": "801"}).json()["agent"], "agent_li")

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
