# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Abuse cases of courier statements, tried over XML-RPC by a Courier
Reconciliation User (the lowest rights that write statements); each is
refused and nothing changes.

- change a settled statement with the context key the settlement used
- resolve a line of a settled statement with that key
- settle a statement by writing its state (no bill, no COD entry)
- create a statement already settled
"""

from xmlrpc.client import Fault

from odoo.tests import HttpCase, tagged

from odoo.addons.omni_base.tools import guard

from .common import CourierTestMixin, xlsx_bytes

SETTLING_KEYS = {"omni_courier_settling": True, "omni_guarded_write": True}


@tagged("post_install", "-at_install")
class TestCourierAbuse(CourierTestMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_courier()
        cls.user = cls._create_omni_user("courier_abuse", cls.company, "omni_courier.group_courier_user")

    def _rpc(self, model, method, *args, **kwargs):
        password = self.user.login + "-Pass-123"
        uid = self.xmlrpc_common.login(self.env.cr.dbname, self.user.login, password)
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, password, model, method, list(args), kwargs)

    def _snapshot(self, statement):
        statement.invalidate_recordset()
        return statement.read(["state", "date_to", "bill_id", "settled_at"])[0]

    def test_settled_statement_is_frozen_whatever_the_context(self):
        statement = self._import(xlsx_bytes(self.STATEMENT_ROWS[:2]))
        guard.internal(statement).write({"state": "settled"})
        before = self._snapshot(statement)
        for vals in ({"date_to": "2026-12-31"}, {"state": "reconciled"}):
            with self.assertRaises(Fault):
                self._rpc("courier.statement", "write", statement.ids, vals, context=SETTLING_KEYS)
        line = statement.line_ids[:1]
        with self.assertRaises(Fault):
            self._rpc("courier.statement.line", "write", line.ids, {"resolution_note": "x"}, context=SETTLING_KEYS)
        self.assertEqual(self._snapshot(statement), before)

    def test_statement_is_not_settled_by_writing_its_state(self):
        statement = self._import(xlsx_bytes(self.STATEMENT_ROWS[:2]))
        before = self._snapshot(statement)
        for vals in ({"state": "settled"}, {"settled_at": "2026-11-30 10:00:00"}):
            with self.assertRaises(Fault):
                self._rpc("courier.statement", "write", statement.ids, vals)
        self.assertEqual(self._snapshot(statement), before)

    def test_statement_is_not_created_settled(self):
        count = self.env["courier.statement"].search_count([])
        with self.assertRaises(Fault):
            self._rpc("courier.statement", "create", [{"carrier_id": self.carrier.id, "state": "settled"}])
        self.assertEqual(self.env["courier.statement"].search_count([]), count)
