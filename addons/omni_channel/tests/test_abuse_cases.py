# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Abuse cases of sales channels over XML-RPC: a user of company B never
learns anything of company A's channels (name, count or existence) from a
uniqueness check.

- a Channel Manager of B creates a channel in company A with A's unit code
- the same manager moves B's channel into company A onto A's unit code
- a Channel User of B (no create right) tries the same create
"""

from xmlrpc.client import Fault

from odoo.tests import HttpCase, tagged

from .common import OmniChannelTestMixin


@tagged("post_install", "-at_install")
class TestChannelAbuse(OmniChannelTestMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_companies()
        cls.manager_b = cls._create_omni_user(
            "abuse_manager_b", cls.company_b, "omni_channel.group_omni_channel_manager"
        )

    def _rpc(self, user, method, *args, **kwargs):
        password = user.login + "-Pass-123"
        uid = self.xmlrpc_common.login(self.env.cr.dbname, user.login, password)
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, password, "omni.channel", method, list(args), kwargs
        )

    def _assert_discloses_nothing(self, fault):
        for secret in ("Tmall A", "Omni Test A", "already used"):
            self.assertNotIn(secret, fault.faultString)

    def test_manager_of_b_learns_nothing_of_company_a_channel(self):
        count = self.env["omni.channel"].search_count([])
        with self.assertRaises(Fault) as err:
            self._rpc(self.manager_b, "create", [{"name": "Probe", "code": "TMALL01", "company_id": self.company_a.id}])
        self._assert_discloses_nothing(err.exception)
        # a free code in company A gives the very same answer: nothing tells them apart
        with self.assertRaises(Fault) as free:
            self._rpc(self.manager_b, "create", [{"name": "Probe", "code": "FREE01", "company_id": self.company_a.id}])
        self.assertEqual(err.exception.faultString, free.exception.faultString)
        self.assertEqual(self.env["omni.channel"].search_count([]), count)

    def test_manager_of_b_cannot_move_a_channel_onto_company_a_code(self):
        with self.assertRaises(Fault) as err:
            self._rpc(
                self.manager_b, "write", [self.channel_b.id], {"company_id": self.company_a.id, "code": "TMALL01"}
            )
        self._assert_discloses_nothing(err.exception)
        self.channel_b.invalidate_recordset()
        self.assertEqual((self.channel_b.company_id, self.channel_b.code), (self.company_b, "JD01"))

    def test_user_of_b_without_create_right_learns_nothing(self):
        with self.assertRaises(Fault) as err:
            self._rpc(self.user_b, "create", [{"name": "Probe", "code": "TMALL01", "company_id": self.company_a.id}])
        self._assert_discloses_nothing(err.exception)

    def test_clash_in_own_company_still_names_the_holder(self):
        with self.assertRaises(Fault) as err:
            self._rpc(self.manager_b, "create", [{"name": "Dup", "code": "jd01"}])
        self.assertIn("Unit code 'JD01' is already used by channel 'JD B'", err.exception.faultString)
