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
        if any(users.mapped("omni_extension")):
            self.env.registry.clear_cache()  # _omni_agents_by_extension holds the agents per extension
        return users

    def _get_invalidation_fields(self):
        # core clears the caches on a change of these (login, active, company_id, company_ids among them):
        # _omni_agents_by_extension holds the extension, login and contact of every agent
        return super()._get_invalidation_fields() | {"omni_extension", "login", "partner_id"}

    @api.model
    def _omni_agents_for_extension(self, extension):
        """The active users with ``extension`` among the users of the
        current user's companies (the telephone system's), lowest id first,
        with :data:`AGENT_POP_FIELDS` in the cache, from
        :meth:`_omni_agents_by_extension`: one user, unless users of two
        of these companies were given the same extension
        (:meth:`_check_omni_extension` holds within a company only)."""
        company_ids = tuple(sorted(self.env.user._get_company_ids()))
        # sudo: the telephone system's user finds the agent it rings, among its own companies' users only
        users = self.sudo()
        rows = users._omni_agents_by_extension(company_ids).get(extension, ())
        agents = users.browse([row[0] for row in rows])
        for agent, row in zip(agents, rows, strict=True):
            for name, value in zip(AGENT_POP_FIELDS, row[1:], strict=True):
                users.env.cache.insert_missing(agent, users._fields[name], [value])
        return agents

    @api.model
    @tools.ormcache("company_ids")
    def _omni_agents_by_extension(self, company_ids):
        """{extension: ((id, *AGENT_POP_FIELDS), ...)} of the active users
        of ``company_ids`` (a sorted tuple) that have an extension, lowest
        id first, the values as the cache holds them (ids for the many2one
        fields). Kept per process, one entry per set of companies (an
        extension nobody has takes no room in the cache); cleared as core
        clears its caches when a user's extension, login, contact, activity
        or companies change (:meth:`_get_invalidation_fields`,
        :meth:`create`, core's ``unlink``) or a company's users do
        (``res.company``), in every worker by core's cache signalling, and
        again when the transaction that cleared it rolls back. A screen
        pop then finds its agent without a query (a fifth of its own CPU
        went to the search). What a savepoint rolled back inside a
        committed transaction may leave is left, as in core's caches."""
        # sudo and active users only whoever asks first: the answer is kept for every caller
        users = (
            self.sudo()
            .with_context(active_test=True)
            .search_fetch(
                [("omni_extension", "!=", False), ("company_ids", "in", list(company_ids))],
                AGENT_POP_FIELDS,
                order="id",
            )
        )
        agents = {}
        for user in users:
            row = (user.id, *(user._fields[name].convert_to_cache(user[name], user) for name in AGENT_POP_FIELDS))
            agents[user.omni_extension] = (*agents.get(user.omni_extension, ()), row)
        return agents
