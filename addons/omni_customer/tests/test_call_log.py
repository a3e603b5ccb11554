# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import select

import psycopg2

from odoo import Command, sql_db
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from odoo.addons.bus.models.bus import channel_with_db
from odoo.addons.omni_base.tools import guard
from odoo.addons.omni_customer.tools import bus_notify

from .common import OmniCustomerTestMixin

COMPARED = ["name", "number_key", "number_kind", "status", "partner_ids", "partner_id", "user_id", "extension",
            "company_id", "popped", "note", "create_uid", "write_uid"]  # fmt: skip


@tagged("post_install", "-at_install", "is_query_count")
class TestCallLog(OmniCustomerTestMixin, TransactionCase):
    """The screen pop writes its call log and bus message in one SQL
    statement: the same rows the ORM's create and bus.bus._sendone write,
    under the same rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_customer()
        cls.twin = cls.env["res.partner"].create(
            {"name": "王芳的丈夫", "phone": "13900139000", "company_id": cls.company.id}
        )
        cls.env["res.partner"].create({"name": "王芳的女儿", "phone": "13900139000", "company_id": cls.company.id})
        cls.Call = cls.env["omni.call"]

    def _vals(self, raw):
        found = self.env["res.partner"].with_user(self.agent).omni_lookup_caller(raw)
        return self.Call._prepare_call_vals(raw, self.agent, "801", found)

    def _bus_rows(self):
        return self.env["bus.bus"].sudo().search([("message", "like", "omni_customer/screen_pop")], order="id")

    def test_same_rows_as_the_orm(self):
        as_agent = self.Call.with_user(self.agent).with_company(self.company)
        for raw in ("+86 138-0013-8000", "139 0013 9000", "139 1111 2222", "12-34", "138****8000"):
            vals = self._vals(raw)
            before = self._bus_rows()
            orm = guard.internal(as_agent).create(dict(vals))
            ours = as_agent._omni_insert_call(dict(vals), self.agent, sender=self.env.user)
            self.assertEqual(ours.env.uid, self.agent.id)
            self.assertEqual(ours.read(COMPARED)[0] | {"id": orm.id}, orm.read(COMPARED)[0], raw)
            self.assertEqual(ours.create_date, orm.create_date)
            [note] = self._bus_rows() - before
            self.assertEqual(json.loads(note.channel), list(channel_with_db(self.env.cr.dbname, self.agent.partner_id)))
            self.assertEqual(
                json.loads(note.message), {"type": "omni_customer/screen_pop", "payload": {"call_id": ours.id}}
            )
            self.assertEqual(note.create_uid, self.env.user)
        self.assertEqual(
            self.Call.search([("name", "=", "139 0013 9000")], limit=1).status, "ambiguous", "fixture: a shared number"
        )

    def test_one_statement(self):
        """The call log row, its customers and the bus message: one statement, not even a query of the
        transaction's clock (cr.now() reads it on the first call of a new transaction)."""
        as_agent = self.Call.with_user(self.agent).with_company(self.company)
        vals = self._vals("+86 138-0013-8000")
        as_agent._omni_insert_call(dict(vals), self.agent, sender=self.env.user)  # rights and rules cached
        self.env.cr._now = None  # as in the screen pop's own transaction
        with self.assertQueryCount(1):
            call = as_agent._omni_insert_call(dict(vals), self.agent, sender=self.env.user)
        self.assertEqual(call.create_date, self.env.cr.now())

    def test_rights_of_the_writer(self):
        vals = self._vals("13800138000")
        clerk = self.env["res.users"].create(
            {
                "name": "Clerk",
                "login": "clerk_call_log",
                "groups_id": [Command.set([self.env.ref("base.group_user").id])],
            }
        )
        with self.assertRaises(AccessError):
            self.Call.with_user(clerk)._omni_insert_call(dict(vals), self.agent, sender=self.env.user)
        # the record rule: a call of a company the writer may not use
        other = self.env["res.company"].create({"name": "Other Co"})
        with self.assertRaises(AccessError):
            self.Call.with_user(self.agent)._omni_insert_call(
                dict(vals, company_id=other.id), self.agent, sender=self.env.user
            )


@tagged("post_install", "-at_install")
class TestBusNotify(TransactionCase):
    def test_notify_reaches_the_bus_on_one_kept_connection(self):
        _db, info = sql_db.connection_info_for("postgres")
        listener = psycopg2.connect(**info)
        try:
            listener.autocommit = True
            with listener.cursor() as cr:
                cr.execute("LISTEN imbus")
            channel = (self.env.cr.dbname, "res.partner", 42)
            bus_notify.notify([channel])
            first = bus_notify._state["connection"].get_backend_pid()
            bus_notify.notify([channel])
            self.assertEqual(bus_notify._state["connection"].get_backend_pid(), first, "no new connection per call")
            payloads = []
            for _i in range(20):
                if select.select([listener], [], [], 0.5) != ([], [], []):
                    listener.poll()
                    while listener.notifies:
                        notice = listener.notifies.pop(0)
                        if notice.channel == "imbus":
                            payloads.append(json.loads(notice.payload))
                if len(payloads) >= 2:
                    break
            self.assertEqual(payloads[:2], [[list(channel)], [list(channel)]])
            # a connection the database dropped is replaced on the next call
            bus_notify._state["connection"].close()
            bus_notify.notify([channel])
            self.assertNotEqual(bus_notify._state["connection"].get_backend_pid(), first)
        finally:
            listener.close()
