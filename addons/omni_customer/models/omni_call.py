# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.bus.models.bus import channel_with_db, json_dump
from odoo.addons.omni_base.tools import guard

from ..tools import bus_notify, phone
from .res_partner import POP_READ_FIELDS

# a screen pop not shown within this time (no browser open) is not shown later
POP_WINDOW = timedelta(minutes=2)
BUS_TYPE = "omni_customer/screen_pop"


class OmniCall(models.Model):
    """An incoming call (来电记录) as the telephone system announced it: the
    number, the agent it rang, the customers the number matched. The screen
    pop opens it in the agent's browser."""

    _name = "omni.call"
    _description = "Incoming Call"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Caller Number", required=True, readonly=True)
    number_key = fields.Char(string="Normalised Number", readonly=True, index=True)
    number_kind = fields.Selection(
        [
            ("mobile", "Mobile"),
            ("landline", "Landline"),
            ("virtual", "Virtual Number"),
            ("masked", "Masked Number"),
        ],
        readonly=True,
    )
    status = fields.Selection(
        [
            ("found", "Customer Found"),
            ("ambiguous", "Several Customers"),
            ("unknown", "Unknown Number"),
            ("unmatched", "Masked/Virtual, Unmatched"),
            ("malformed", "Malformed Number"),
        ],
        required=True,
        readonly=True,
    )
    partner_ids = fields.Many2many("res.partner", string="Matching Customers", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="Agent", required=True, readonly=True, index=True)
    extension = fields.Char(readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    popped = fields.Boolean(readonly=True, help="Shown in the agent's browser.")
    note = fields.Text(help="What the call was about.")

    @api.model
    def _register_call(self, raw_number, agent, extension=False):
        """Record a call of ``raw_number`` for ``agent`` (looked up with the
        agent's rights and companies) and pop it in the agent's browser."""
        as_agent = self.with_user(agent).with_company(agent.company_id).sudo(False)
        found = as_agent.env["res.partner"]._omni_find_callers(raw_number, POP_READ_FIELDS)
        found["customers"] = [
            {"id": customer.id, "name": customer.complete_name or customer.name} for customer in found["customers"]
        ]
        # the call's facts come from the lookup above, never from a client
        vals = self._prepare_call_vals(raw_number, agent, extension, found)
        return as_agent._omni_insert_call(vals, agent, sender=self.env.user), found

    @api.model
    def _prepare_call_vals(self, raw_number, agent, extension, found):
        ids = [c["id"] for c in found["customers"]]
        return {
            "name": (raw_number or "").strip() or "?",
            "number_key": found["number"] if found["status"] != "malformed" else False,
            "number_kind": found["kind"] or False,
            "status": found["status"],
            "partner_ids": [fields.Command.set(ids)],
            "partner_id": ids[0] if len(ids) == 1 else False,
            "user_id": agent.id,
            "extension": extension or agent.omni_extension,
            "company_id": agent.company_id.id,
        }

    @api.model
    def _omni_insert_call(self, vals, agent, sender):
        """The call log row of ``vals`` (from :meth:`_prepare_call_vals`), its
        matching customers and the bus message to ``agent``'s browser (sent
        by ``sender``, the telephone system's user), in one SQL statement;
        the bus's NOTIFY after the commit.

        What ``create`` (under :func:`guard.internal`) and
        ``bus.bus._sendone`` would write, the same rows, checked the same
        way: the current user's create right and record rules on the new
        call. The ORM's two creates (defaults, cache, precommit hook) cost
        about 4 ms of Python per screen pop, a third of the endpoint's own
        CPU; tests/test_call_log.py compares these rows with the ORM's.
        The NOTIFY goes through tools/bus_notify.py: no new database
        connection per call."""
        self.check_access("create")
        self.env.flush_all()
        [(_set, _zero, partner_ids)] = vals["partner_ids"]
        relation = self._fields["partner_ids"]
        bus = self.env["bus.bus"]
        channel = channel_with_db(self.env.cr.dbname, agent.partner_id)
        # the transaction's time in UTC, as cr.now() gives it to the ORM's create, without its own query
        now = SQL("(now() AT TIME ZONE 'UTC')")
        columns = ["name", "number_key", "number_kind", "status", "partner_id", "user_id", "extension", "company_id"]
        self.env.cr.execute(
            SQL(
                """
                WITH call AS (
                    INSERT INTO %(call_table)s (%(columns)s, create_uid, create_date, write_uid, write_date)
                    VALUES (%(values)s, %(uid)s, %(now)s, %(uid)s, %(now)s)
                    RETURNING id
                ), matching AS (
                    INSERT INTO %(relation)s (%(column1)s, %(column2)s)
                    SELECT call.id, partner FROM call, unnest(%(partner_ids)s::int[]) AS partner
                ), message AS (
                    INSERT INTO %(bus_table)s (channel, message, create_uid, create_date, write_uid, write_date)
                    SELECT %(channel)s,
                           jsonb_build_object('type', %(type)s,
                                              'payload', jsonb_build_object('call_id', call.id))::text,
                           %(bus_uid)s, %(now)s, %(bus_uid)s, %(now)s
                      FROM call
                )
                SELECT id FROM call
                """,
                call_table=SQL.identifier(self._table),
                columns=SQL(", ").join(SQL.identifier(column) for column in columns),
                values=SQL(", ").join(vals[column] or None for column in columns),
                uid=self.env.uid,
                now=now,
                relation=SQL.identifier(relation.relation),
                column1=SQL.identifier(relation.column1),
                column2=SQL.identifier(relation.column2),
                partner_ids=list(partner_ids),
                bus_table=SQL.identifier(bus._table),
                channel=json_dump(channel),
                type=BUS_TYPE,
                # as bus.bus._sendone writes it: the sender's, in sudo (bus.bus has no access rights of its own)
                bus_uid=sender.id,
            )
        )
        call = self.browse(self.env.cr.fetchone()[0])
        # the cache holds what was written, as after the ORM's create: the record rules are then checked
        # on the new row without reading it back (the request is rolled back if they refuse it)
        call._update_cache({column: vals[column] for column in columns}, validate=False)
        call.check_access("create")
        channels = self.env.cr.postcommit.data.setdefault("omni_customer.pop_channels", [])
        if not channels:

            @self.env.cr.postcommit.add
            def notify():
                bus_notify.notify(self.env.cr.postcommit.data.pop("omni_customer.pop_channels"))

        channels.append(channel)
        return call

    @api.model
    def action_take_pending(self):
        """The newest call rung to the current user within the last minutes
        and not shown yet: its screen-pop action (all pending are marked
        shown). Called by the browser on a bus notification and when it
        starts (a call that rang while the page was loading)."""
        calls = self.search(
            [
                ("user_id", "=", self.env.uid),
                ("popped", "=", False),
                ("create_date", ">=", fields.Datetime.now() - POP_WINDOW),
            ],
            order="id desc",
        )
        if not calls:
            return False
        guard.internal(calls).write({"popped": True})  # the current user's own calls
        return calls[0].action_open()

    def action_open(self):
        """One customer: the card; otherwise the call (choose or create)."""
        self.ensure_one()
        if self.partner_id:
            return self.partner_id.action_omni_open_card()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Incoming Call"),
            "res_model": "omni.call",
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_create_customer(self):
        """Unknown caller: a new customer with this number, its card open."""
        self.ensure_one()
        if self.partner_ids:
            raise UserError(self.env._("Number %(number)s already belongs to a customer.", number=self.name))
        number = phone.try_parse(self.name)
        partner = self.env["res.partner"].create(
            {
                "name": self.env._("Caller %(number)s", number=self.name),
                "company_id": self.company_id.id,
                "phone": self.name if number and number.kind in ("mobile", "landline") else False,
            }
        )
        if number and number.kind == "virtual":
            partner._omni_add_lookup(numbers=[self.name], source="manual")
        guard.internal(self).write({"partner_id": partner.id, "partner_ids": [fields.Command.link(partner.id)]})
        return partner.action_omni_open_card()
