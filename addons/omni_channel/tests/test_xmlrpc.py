# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from xmlrpc.client import Fault

from odoo.tests import HttpCase, tagged

from .common import OmniChannelTestMixin


@tagged("post_install", "-at_install")
class TestOmniChannelXmlRpc(OmniChannelTestMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_companies()

    def _login(self, user):
        uid = self.xmlrpc_common.login(self.env.cr.dbname, user.login, user.login + "-Pass-123")
        self.assertEqual(uid, user.id)
        return uid

    def _call(self, user, method, *args, **kwargs):
        uid = self._login(user)
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, user.login + "-Pass-123", "omni.channel", method, list(args), kwargs
        )

    def test_company_b_user_reads_only_company_b_channels(self):
        # the fixtures' channels only (omni_customer gives each new company a call-centre channel too)
        rows = self._call(
            self.user_b, "search_read", [("code", "in", ["TMALL01", "JD01"])], fields=["code", "company_id"]
        )
        self.assertEqual([r["code"] for r in rows], ["JD01"])
        self.assertEqual(rows[0]["company_id"][0], self.company_b.id)

    def test_company_b_user_cannot_read_company_a_channel(self):
        with self.assertRaises(Fault) as err:
            self._call(self.user_b, "read", [self.channel_a.id], fields=["code"])
        self.assertIn("doesn't have 'read' access", err.exception.faultString)
        self.assertNotIn("TMALL01", err.exception.faultString)

    def test_company_b_user_cannot_switch_to_company_a(self):
        # asking for a company the user does not belong to gives nothing more
        with self.assertRaises(Fault):
            self._call(
                self.user_b,
                "search_read",
                [],
                fields=["code"],
                context={"allowed_company_ids": [self.company_a.id]},
            )

    def test_duplicate_unit_code_message_over_rpc(self):
        manager = self.env.ref("omni_channel.group_omni_channel_manager")
        self.user_a.groups_id |= manager
        with self.assertRaises(Fault) as err:
            self._call(self.user_a, "create", [{"name": "Dup", "code": "tmall01"}])
        self.assertIn("Unit code 'TMALL01' is already used by channel 'Tmall A'", err.exception.faultString)
