# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestCallerLookup(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.wang = cls.Partner.create({"name": "王芳", "mobile": "138 0013 8000", "phone": "010-12345678"})

    def test_found_under_any_spelling(self):
        for raw in ("+86 138-0013-8000", "13800138000", "0086 13800138000", "(010) 1234 5678"):
            result = self.Partner.omni_lookup_caller(raw)
            self.assertEqual(result["status"], "found", raw)
            self.assertEqual([c["id"] for c in result["customers"]], [self.wang.id])

    def test_lookup_is_an_index_row(self):
        keys = set(self.wang.omni_number_ids.mapped("key"))
        self.assertEqual(keys, {"+8613800138000", "+861012345678"})
        self.wang.mobile = "139-0000-1111"
        self.assertEqual(set(self.wang.omni_number_ids.mapped("key")), {"+8613900001111", "+861012345678"})
        self.assertEqual(self.Partner.omni_lookup_caller("13800138000")["status"], "unknown")

    def test_unknown_and_malformed(self):
        self.assertEqual(self.Partner.omni_lookup_caller("13911112222")["status"], "unknown")
        for raw in ("", "12345", "not a number", None):
            result = self.Partner.omni_lookup_caller(raw)
            self.assertEqual(result["status"], "malformed")
            self.assertEqual(result["customers"], [])

    def test_shared_number_shows_both(self):
        li = self.Partner.create({"name": "李雷", "phone": "+86 10 1234 5678"})
        result = self.Partner.omni_lookup_caller("010-12345678")
        self.assertEqual(result["status"], "ambiguous")
        self.assertEqual({c["id"] for c in result["customers"]}, {self.wang.id, li.id})

    def test_several_numbers_and_nicknames_one_customer(self):
        self.wang._omni_add_lookup(numbers=["13700001111", "13800138000-2233"], nicknames=["tmall:芳芳"])
        for raw in ("137 0000 1111", "13800138000转2233"):
            result = self.Partner.omni_lookup_caller(raw)
            self.assertEqual([c["id"] for c in result["customers"]], [self.wang.id], raw)
        self.assertIn("nick:tmall:芳芳", self.wang.omni_number_ids.mapped("key"))

    def test_masked_and_virtual_numbers(self):
        result = self.Partner.omni_lookup_caller("138****8000")
        self.assertEqual(result["status"], "found")
        self.assertEqual(result["kind"], "masked")
        self.assertEqual(self.Partner.omni_lookup_caller("159****0000")["status"], "unmatched")
        self.assertEqual(self.Partner.omni_lookup_caller("17100001111-9999")["status"], "unmatched")

    def test_agent_cannot_store_a_bad_number(self):
        with self.assertRaisesRegex(ValidationError, "no phone number"):
            self.env["omni.customer.number"].create({"partner_id": self.wang.id, "raw": "12-34"})
        # a contact's own bad phone is kept on the contact, not in the table
        odd = self.Partner.create({"name": "Odd", "phone": "12-34"})
        self.assertEqual(odd.phone, "12-34")
        self.assertFalse(odd.omni_number_ids)

    def test_other_company_customer_not_found(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        hidden = self.Partner.create({"name": "Hidden", "mobile": "13611112222", "company_id": other.id})
        self.assertTrue(hidden.omni_number_ids)
        agent = self.env["res.users"].create(
            {
                "name": "Agent",
                "login": "agent_lookup",
                "groups_id": [(6, 0, [self.env.ref("omni_customer.group_omni_call_agent").id])],
            }
        )
        result = self.Partner.with_user(agent).omni_lookup_caller("13611112222")
        self.assertEqual(result["status"], "unknown")

    def test_company_paths_from_the_process_cache(self):
        """The contacts' rule reads the agent's companies' parent_path from
        the per-process cache (after the first call), not from a query, and finds what the ORM
        finds reading it: a number shared by customers of the agent's
        company, its parent, a sibling and no company."""
        Company = self.env["res.company"]
        parent = Company.create({"name": "Group Co"})
        child = Company.create({"name": "Shop Co", "parent_id": parent.id})
        sibling = Company.create({"name": "Outlet Co", "parent_id": parent.id})
        self.assertEqual(Company._omni_parent_paths((child.id, parent.id)), (child.parent_path, parent.parent_path))
        self.assertEqual(child.parent_path, f"{parent.id}/{child.id}/")
        for name, company in (("Shop", child), ("Group", parent), ("Outlet", sibling), ("Anyone", None)):
            self.Partner.create({"name": name, "mobile": "13622223333", "company_id": company and company.id})
        agent = self.env["res.users"].create(
            {
                "name": "Shop agent",
                "login": "agent_shop",
                "company_id": child.id,
                "company_ids": [Command.set((child | sibling).ids)],
                "groups_id": [Command.set([self.env.ref("omni_customer.group_omni_call_agent").id])],
            }
        )
        # two companies, not in the order of their ids: each path goes with its company
        as_agent = self.Partner.with_user(agent).with_context(allowed_company_ids=[sibling.id, child.id])
        expected = as_agent.search([("omni_number_ids.key", "=", "+8613622223333")])
        self.assertLessEqual({"Shop", "Outlet", "Anyone"}, set(expected.mapped("name")))
        first = as_agent.omni_lookup_caller("136 2222 3333")  # reads the paths once for this process
        self.env.invalidate_all()
        statements = []
        execute = self.env.cr.execute
        with patch.object(self.env.cr, "execute", side_effect=lambda query, *a, **k: (
            statements.append(str(query)), execute(query, *a, **k))[1]):  # fmt: skip
            result = as_agent.omni_lookup_caller("136 2222 3333")
        self.assertEqual({c["id"] for c in result["customers"]}, set(expected.ids))
        self.assertEqual(result, first)
        self.assertFalse([q for q in statements if "parent_path" in q], "no query reads the companies' paths")

    @mute_logger("odoo.sql_db")
    def test_row_filed_meanwhile_is_skipped(self):
        Number = self.env["omni.customer.number"]
        rows = Number._create_missing(
            [
                {"partner_id": self.wang.id, "raw": "13800138000", "source": "order"},  # already there
                {"partner_id": self.wang.id, "raw": "13700001111", "source": "order"},
            ]
        )
        self.assertEqual(rows.mapped("key"), ["+8613700001111"])
        self.assertEqual(len(self.wang.omni_number_ids), 3)
