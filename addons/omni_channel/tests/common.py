# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command


class OmniChannelTestMixin:
    """Two companies, each with a warehouse, a channel user and a channel."""

    @classmethod
    def _setup_omni_companies(cls):
        env = cls.env
        cls.company_a = env["res.company"].create({"name": "Omni Test A"})
        cls.company_b = env["res.company"].create({"name": "Omni Test B"})
        cls.warehouse_a = env["stock.warehouse"].search([("company_id", "=", cls.company_a.id)], limit=1)
        cls.warehouse_b = env["stock.warehouse"].search([("company_id", "=", cls.company_b.id)], limit=1)
        user_group = env.ref("omni_channel.group_omni_channel_user")
        cls.user_a = cls._create_omni_user("omni_user_a", cls.company_a, user_group)
        cls.user_b = cls._create_omni_user("omni_user_b", cls.company_b, user_group)
        Channel = env["omni.channel"]
        cls.channel_a = Channel.create(
            {"name": "Tmall A", "code": "TMALL01", "platform": "tmall", "company_id": cls.company_a.id}
        )
        cls.channel_b = Channel.create(
            {"name": "JD B", "code": "JD01", "platform": "jd", "company_id": cls.company_b.id}
        )

    @classmethod
    def _create_omni_user(cls, login, company, *groups):
        """A user of ``company`` only, with ``groups`` (records or xml ids);
        its password is ``login + "-Pass-123"``."""
        group_ids = [(cls.env.ref(g) if isinstance(g, str) else g).id for g in groups]
        return (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": login,
                    "login": login,
                    "password": login + "-Pass-123",
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "groups_id": [Command.set(group_ids)],
                }
            )
        )
