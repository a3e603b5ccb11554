# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools

CALL_CENTRE_CODE = "CALL01"


class ResCompany(models.Model):
    _inherit = "res.company"

    omni_followup_user_id = fields.Many2one(
        "res.users",
        string="Member Follow-ups To",
        help="Agent who gets the birthday and points follow-ups of members without a salesperson.",
    )

    def cache_invalidation_fields(self):
        # a company's users are the agents res.users._omni_agent_values finds among its users
        return super().cache_invalidation_fields() | {"user_ids"}

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._omni_ensure_call_centre_channel()
        return companies

    def _omni_ensure_call_centre_channel(self):
        """A call-centre channel (unit code CALL01, or the next free one) for
        each of these companies that has none, archived ones included: a
        manager who archived it meant it. Run at installation and when a
        company is created, so that phone orders work on a fresh database."""
        Channel = self.env["omni.channel"].sudo().with_context(active_test=False)
        # sudo: set-up of the companies being installed or created, by whoever creates a company
        having = set(Channel.search([("platform", "=", "call_center"), ("company_id", "in", self.ids)]).company_id.ids)
        vals_list = []
        for company in self.filtered(lambda c: c.id not in having):
            codes = set(Channel.search([("company_id", "=", company.id)]).mapped("code"))
            code = next(
                c for c in (CALL_CENTRE_CODE, *(f"CALL{n:02d}" for n in range(2, 100)), "CALL-CENTRE") if c not in codes
            )
            vals_list.append(
                {"name": self.env._("Call centre"), "code": code, "platform": "call_center", "company_id": company.id}
            )
        return Channel.create(vals_list)

    @api.model
    @tools.ormcache("company_ids")
    def _omni_parent_paths(self, company_ids):
        """The ``parent_path`` of each of ``company_ids`` (a tuple), kept per
        process: a company's path is written when it is created and never
        after (core's ``res.company.write`` refuses a new ``parent_id``: "The
        company hierarchy cannot be changed."), and an id is never given to
        another company."""
        # sudo: the hierarchy of companies the caller already has in its environment
        companies = self.sudo().browse(company_ids)
        companies.fetch(["parent_path"])
        return tuple(company.parent_path for company in companies)

    def _omni_cache_parent_paths(self):
        """Put these companies' ``parent_path`` in the cache, from
        :meth:`_omni_parent_paths`, without a query: the contacts' record
        rule ``('company_id', 'parent_of', company_ids)`` reads it on every
        search of a contact (a query of its own on every screen pop)."""
        self.env.cache.insert_missing(self, self._fields["parent_path"], self._omni_parent_paths(tuple(self.ids)))
