# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

# what a screen pop needs of the agent it rings
AGENT_POP_FIELDS = ("login", "company_id", "partner_id", "omni_extension")


class ResUsers(models.Model):
    _inherit = "res.users"

    omni_extension = fields.Char(
        string="Phone Extension",
        index=True,
        copy=False,
        help="The agent's extension on the telephone system: its screen pops open in this user's browser.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["omni_extension"]

    @api.constrains("omni_extension", "company_ids")
    def _check_omni_extension(self):
        for user in self.filtered("omni_extension"):
            clash = self.sudo().search(
                [
                    ("omni_extension", "=", user.omni_extension),
                    ("id", "!=", user.id),
                    ("company_ids", "in", user.company_ids.ids),
                ],
                limit=1,
            )
            if clash:
                # the clashing user's name is not shown: it may belong to another company's staff
                raise ValidationError(
                    self.env._(
                        "Extension %(extension)s is already given to another user of these companies.",
                        extension=user.omni_extension,
                    )  # fmt: skip
                )

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        if any(vals.get("omni_extension") for vals in vals_list):
            self.env.registry.clear_cache()  # _omni_agent_values may hold "nobody" for this extension
        return users

    def _get_invalidation_fields(self):
        # core clears the caches on a change of these (active, company_id, company_ids among them):
        # _omni_agent_values holds the extension, login and contact of each agent found
        return super()._get_invalidation_fields() | {"omni_extension", "login", "partner_id"}

    @api.model
    def _omni_agent_for_extension(self, extension, company_ids):
        """The active user with ``extension`` among the users of
        ``company_ids`` (one at most: :meth:`_check_omni_extension`), with
        :data:`AGENT_POP_FIELDS` in the cache, from
        :meth:`_omni_agent_values`; for the telephone system that rings
        the agent."""
        # sudo: the telephone system's user finds the agent it rings, among its own companies' users only
        users = self.sudo()
        values = users._omni_agent_values(extension, tuple(sorted(company_ids)))
        if not values:
            return users.browse()
        agent = users.browse(values[0])
        for name, value in zip(AGENT_POP_FIELDS, values[1:], strict=True):
            users.env.cache.insert_missing(agent, users._fields[name], [value])
        return agent

    @api.model
    @tools.ormcache("extension", "company_ids")
    def _omni_agent_values(self, extension, company_ids):
        """``(id, *AGENT_POP_FIELDS)`` of the user :meth:`_omni_agent_for_extension`
        finds (as the cache holds them: ids for the many2one fields), or
        None; kept per process, cleared as core clears its caches when a
        user's extension, login, contact, activity or companies change
        (:meth:`_get_invalidation_fields`, :meth:`create`, core's
        ``unlink``) or a company's users do (``res.company``). A screen pop
        then finds its agent without a query (a fifth of its own CPU went
        to the search). It is this search, in sudo::

            search_fetch([("omni_extension", "=", extension), ("company_ids", "in", company_ids)],
                         AGENT_POP_FIELDS, limit=1, order="id")
        """
        if not extension or not company_ids:
            return None
        # sudo and active users only whoever asks first: the answer is kept for every caller
        agent = (
            self.sudo()
            .with_context(active_test=True)
            .search_fetch(
                [("omni_extension", "=", extension), ("company_ids", "in", list(company_ids))],
                AGENT_POP_FIELDS,
                limit=1,
                # one agent per extension among these companies (the constraint above): no ordering by name,
                # which joins the contacts
                order="id",
            )
        )
        if not agent:
            return None
        return (agent.id, *(agent._fields[name].convert_to_cache(agent[name], agent) for name in AGENT_POP_FIELDS))
