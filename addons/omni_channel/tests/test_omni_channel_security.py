# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase

from .common import OmniChannelTestMixin


class TestOmniChannelSecurity(OmniChannelTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_companies()

    def test_user_sees_only_own_company_channels(self):
        seen = self.env["omni.channel"].with_user(self.user_b).search([])
        self.assertIn(self.channel_b, seen)
        self.assertNotIn(self.channel_a, seen)

    def test_user_cannot_read_other_company_channel_by_id(self):
        with self.assertRaises(AccessError):
            self.channel_a.with_user(self.user_b).read(["code"])

    def test_channel_user_cannot_create_or_change(self):
        Channel = self.env["omni.channel"].with_user(self.user_a)
        with self.assertRaises(AccessError):
            Channel.create({"name": "Nope", "code": "NOPE", "company_id": self.company_a.id})
        with self.assertRaises(AccessError):
            self.channel_a.with_user(self.user_a).write({"name": "Renamed"})

    def test_manager_manages_channels(self):
        self.user_a.groups_id |= self.env.ref("omni_channel.group_omni_channel_manager")
        channel = (
            self.env["omni.channel"]
            .with_user(self.user_a)
            .create({"name": "Call centre", "code": "CALL", "platform": "call_center"})
        )
        self.assertEqual(channel.company_id, self.company_a)
        channel.write({"name": "Call centre East"})
        channel.unlink()

    def test_user_without_channel_group_has_no_access(self):
        plain = self.env["res.users"].create(
            {
                "name": "Plain",
                "login": "omni_plain",
                "company_id": self.company_a.id,
                "company_ids": [(6, 0, self.company_a.ids)],
                "groups_id": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        with self.assertRaises(AccessError):
            self.env["omni.channel"].with_user(plain).search([])
