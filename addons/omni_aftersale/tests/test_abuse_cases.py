# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Abuse cases of after-sales orders, tried by a Channel User (the lowest
rights that reach the model) over XML-RPC; each is refused and nothing
changes.

- write ``state: approved`` on a submitted after-sales order, then receive it
- the same with a guard's context key
- create an after-sales order already approved / received
- a refund of 999 on an order of 60 that is not shipped
- a refund larger than what was paid for the returned lines, or than what
  is left after earlier refunds
- change the refund amount or the lines after submission
- delete a received after-sales order (manager)
- copy a received after-sales order (the copy starts over as a draft)
"""

from xmlrpc.client import Fault

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.omni_order.tests.common import OmniOrderTestMixin


@tagged("post_install", "-at_install")
class TestAftersaleAbuse(OmniOrderTestMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.clerk = cls._create_omni_user("as_abuse_clerk", cls.company, "omni_channel.group_omni_channel_user")
        cls.shipped = cls._honey_order("ASA1", ship=True)
        cls.unshipped = cls._honey_order("ASA2", quantity=2)
        cls.Aftersale = cls.env["omni.aftersale"]

    @classmethod
    def _honey_order(cls, number, quantity=5, ship=False):
        paid = f"{30 * quantity:.2f}"
        [result] = cls.env["omni.order"].import_orders(
            "TMALL01",
            [cls._order(number, paid_amount=paid, shipping_fee="0",
                        lines=[{"platform_sku": "TM-HONEY-500G", "quantity": str(quantity), "unit_price": "30"}])],
        )  # fmt: skip
        order = cls.env["omni.order"].browse(result["order_id"])
        if ship:
            picking = order.sale_order_id.picking_ids
            picking.move_ids.picked = True
            picking.button_validate()
        return order

    def _rpc(self, model, method, *args, **kwargs):
        password = self.clerk.login + "-Pass-123"
        uid = self.xmlrpc_common.login(self.env.cr.dbname, self.clerk.login, password)
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, password, model, method, list(args), kwargs)

    def _submitted(self, qty=1, refund=30.0):
        aftersale = self.Aftersale.create(
            {
                "omni_order_id": self.shipped.id,
                "refund_amount": refund,
                "line_ids": [Command.create({"product_id": self.honey.id, "quantity": qty})] if qty else [],
            }
        )
        aftersale.action_submit()
        return aftersale

    def _snapshot(self, aftersale):
        aftersale.invalidate_recordset()
        return aftersale.read(["state", "refund_amount", "return_picking_id", "received_at"])[0]

    def test_clerk_cannot_approve_by_writing_state_then_receive(self):
        aftersale = self._submitted()
        before = self._snapshot(aftersale)
        with self.assertRaises(Fault):
            self._rpc("omni.aftersale", "write", [aftersale.id], {"state": "approved"})
        with self.assertRaises(Fault):
            self._rpc(
                "omni.aftersale",
                "write",
                [aftersale.id],
                {"state": "approved"},
                context={"omni_guarded_write": True},
            )
        with self.assertRaises(Fault) as err:  # nothing approved: nothing to receive, and the clerk is told
            self._rpc("omni.aftersale", "action_receive", [aftersale.id])
        self.assertIn(f"{aftersale.name} cannot be received: it is To Review.", err.exception.faultString)
        self.assertEqual(self._snapshot(aftersale), before)

    def test_clerk_cannot_create_an_approved_or_received_aftersale(self):
        count = self.Aftersale.search_count([])
        for vals in ({"state": "approved"}, {"state": "received"}, {"received_at": "2026-11-11 10:00:00"}):
            with self.assertRaises(Fault):
                self._rpc(
                    "omni.aftersale", "create", [dict({"omni_order_id": self.shipped.id, "refund_amount": 1.0}, **vals)]
                )
        self.assertEqual(self.Aftersale.search_count([]), count)

    def test_refund_of_999_on_an_unshipped_order_of_60(self):
        count = self.Aftersale.search_count([])
        with self.assertRaises(Fault) as err:
            self._rpc("omni.aftersale", "create", [{"omni_order_id": self.unshipped.id, "refund_amount": 999.0}])
        self.assertIn("nothing shipped", err.exception.faultString)
        self.assertEqual(self.Aftersale.search_count([]), count)

    def test_refund_capped_by_what_was_paid_for_the_returned_lines(self):
        with self.assertRaises(ValidationError):
            self._submitted(qty=1, refund=30.01)
        with self.assertRaises(ValidationError):
            self._submitted(qty=0, refund=150.01)

    def test_refund_capped_by_what_earlier_returns_refunded(self):
        self._submitted(qty=0, refund=100.0)
        self._submitted(qty=1, refund=30.0)
        with self.assertRaises(ValidationError):
            self._submitted(qty=1, refund=30.0)  # 100 + 30 + 30 > 150 paid
        self._submitted(qty=1, refund=20.0)

    def test_clerk_cannot_change_refund_or_lines_after_submission(self):
        aftersale = self._submitted()
        before = self._snapshot(aftersale)
        with self.assertRaises(Fault):
            self._rpc("omni.aftersale", "write", [aftersale.id], {"refund_amount": 29.0})
        with self.assertRaises(Fault):
            self._rpc("omni.aftersale.line", "write", aftersale.line_ids.ids, {"quantity": 5})
        with self.assertRaises(Fault):
            self._rpc("omni.aftersale.line", "create", [{"aftersale_id": aftersale.id, "product_id": self.honey.id}])
        with self.assertRaises(Fault):
            self._rpc("omni.aftersale.line", "unlink", aftersale.line_ids.ids)
        self.assertEqual(self._snapshot(aftersale), before)
        self.assertEqual(aftersale.line_ids.quantity, 1)

    def test_received_aftersale_cannot_be_deleted(self):
        aftersale = self._submitted()
        aftersale.action_approve()
        aftersale.action_receive()
        with self.assertRaises(UserError):
            aftersale.unlink()
        self.assertTrue(aftersale.exists())

    def test_received_aftersale_cannot_be_copied(self):
        aftersale = self._submitted(qty=0, refund=10.0)
        aftersale.action_approve()
        aftersale.action_receive()
        copy = aftersale.copy()
        self.assertEqual(
            (copy.state, copy.return_picking_id, copy.received_at), ("draft", aftersale.return_picking_id, False)
        )
        with self.assertRaises(UserError):
            aftersale.copy({"state": "received"})
