# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Abuse cases of order intake and review, each tried by the user with the
lowest rights that reaches the model (a Channel User), over XML-RPC where
integrators come in that way. Each asserts the bypass is refused and that
nothing changed.

- a Channel User confirms an order that the re-check turns into an exception
- a Channel User overrides a finding over XML-RPC (no reason; a rule only a
  manager may override; creating the override record itself)
- a Channel User writes ``state`` of an exception order to ``to_review`` and
  confirms it
- a Channel User links an order to another sale order
- the same writes with the context key of a guard (a client can send any key)
- create a platform order already confirmed / linked, or one that takes in
  existing orders or another order's lines
- change the paid amount, the payment method or a line of a confirmed order
- make the amounts of an order in review agree (clearing an exception that
  needs a manager) as a Channel User
- delete a confirmed order (manager)
- confirm an order with a negative quantity (manager)
- merge a cash-on-delivery order into a prepaid one
- merge an exception order into a confirmed one (it would be confirmed with it)
- copy a confirmed order (the copy starts over as new, without sale order)
"""

from xmlrpc.client import Fault

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import OmniOrderTestMixin

USER_GROUP = "omni_channel.group_omni_channel_user"


@tagged("post_install", "-at_install")
class TestOrderAbuseOverXmlRpc(OmniOrderTestMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.channel.auto_confirm = False
        cls.clerk = cls._create_omni_user("abuse_clerk", cls.company, USER_GROUP)
        cls.Order = cls.env["omni.order"]

    def _rpc(self, model, method, *args, **kwargs):
        password = self.clerk.login + "-Pass-123"
        uid = self.xmlrpc_common.login(self.env.cr.dbname, self.clerk.login, password)
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, password, model, method, list(args), kwargs)

    def _staged(self, number, **values):
        [result] = self.Order.import_orders("TMALL01", [self._order(number, **values)])
        return self.Order.browse(result["order_id"])

    def _snapshot(self, order):
        order.invalidate_recordset()
        return order.read(["state", "sale_order_id", "merged_into_id", "paid_amount", "payment_method"])[0]

    def test_override_over_xmlrpc_checks_the_reason_and_the_role(self):
        order = self._staged("AB-OV", paid_amount="50")  # lines 99 + shipping 6
        self.assertEqual(order.state, "exception")
        before = self._snapshot(order)
        with self.assertRaises(Fault) as err:
            self._rpc("omni.order", "action_override", [order.id], "")
        self.assertIn("needs a reason", err.exception.faultString)
        with self.assertRaises(Fault) as err:
            self._rpc("omni.order", "action_override", [order.id], "fine by me")
        self.assertIn("may override", err.exception.faultString)
        forged = {
            "order_id": order.id,
            "rule_id": order.exception_rule_ids.id,
            "params": order.exception_ids.params,
            "reason": "x",
            "user_id": self.clerk.id,
            "date": "2026-11-11 10:00:00",
        }
        with self.assertRaises(Fault):
            self._rpc("omni.order.override", "create", [forged])
        self.assertEqual(self._snapshot(order), before)
        self.assertFalse(order.override_ids)

    def test_clerk_confirm_of_an_order_the_recheck_flags_is_refused(self):
        order = self._staged("AB-1")
        self.assertEqual(order.state, "to_review")
        # the clerk may edit the phone of an order in review; the re-check then flags it
        self._rpc("omni.order", "write", [order.id], {"phone": "12345"})
        with self.assertRaises(Fault) as err:
            self._rpc("omni.order", "action_confirm", [order.id])
        self.assertIn("Override", err.exception.faultString)
        order.invalidate_recordset()
        self.assertFalse(order.sale_order_id)
        self.assertNotEqual(order.state, "confirmed")

    def test_clerk_cannot_write_state_of_an_exception_order(self):
        order = self._staged("AB-2", phone="12345")
        self.assertEqual(order.state, "exception")
        before = self._snapshot(order)
        for vals in ({"state": "to_review"}, {"state": "confirmed"}, {"exception_codes": False}):
            with self.assertRaises(Fault):
                self._rpc("omni.order", "write", [order.id], vals)
        # a context key is not a permission
        with self.assertRaises(Fault):
            self._rpc(
                "omni.order",
                "write",
                [order.id],
                {"state": "to_review"},
                context={"omni_guarded_write": True, "omni_courier_settling": True},
            )
        self.assertEqual(self._snapshot(order), before)

    def test_clerk_cannot_link_an_order_to_a_sale_order(self):
        confirmed = self._staged("AB-3")
        confirmed.action_confirm()
        other = self._staged("AB-4")
        before = self._snapshot(other)
        with self.assertRaises(Fault):
            self._rpc("omni.order", "write", [other.id], {"sale_order_id": confirmed.sale_order_id.id})
        with self.assertRaises(Fault):
            self._rpc("omni.order", "write", [other.id], {"merged_into_id": confirmed.id})
        self.assertEqual(self._snapshot(other), before)

    def test_clerk_cannot_clear_an_amount_exception_by_editing_amounts(self):
        order = self._staged("AB-6", paid_amount="80.00")
        self.assertIn("amount_mismatch", order.exception_codes)
        before = self._snapshot(order)
        with self.assertRaises(Fault):
            self._rpc("omni.order", "write", [order.id], {"paid_amount": 105.0})
        with self.assertRaises(Fault):
            self._rpc("omni.order.line", "write", order.line_ids.ids, {"unit_price": 74.0})
        # the receiver's data stay the clerk's to fix
        self._rpc("omni.order", "write", [order.id], {"receiver_name": "王芳"})
        self.assertEqual(self._snapshot(order), before)
        self.assertEqual(order.line_ids.unit_price, 99.0)

    def test_clerk_cannot_create_a_confirmed_order(self):
        count = self.Order.search_count([])
        for vals in ({"state": "confirmed"}, {"state": "shipped"}, {"exception_codes": "x"}):
            with self.assertRaises(Fault):
                self._rpc(
                    "omni.order",
                    "create",
                    [dict({"channel_id": self.channel.id, "platform_order_no": "AB-NEW"}, **vals)],
                )
        self.assertEqual(self.Order.search_count([]), count)

    def test_clerk_cannot_create_an_order_taking_in_other_orders_or_lines(self):
        confirmed = self._staged("AB-7")
        confirmed.action_confirm()
        other = self._staged("AB-8")
        base = {"channel_id": self.channel.id, "platform_order_no": "AB-NEW2"}
        with self.assertRaises(Fault):
            self._rpc("omni.order", "create", [dict(base, merged_order_ids=[(4, other.id)])])
        with self.assertRaises(Fault):
            self._rpc("omni.order", "create", [dict(base, line_ids=[(4, confirmed.line_ids[0].id)])])
        with self.assertRaises(Fault):
            self._rpc("omni.order", "write", [other.id], {"merged_order_ids": [(4, confirmed.id)]})
        self.assertFalse(other.merged_into_id or confirmed.merged_into_id)
        self.assertEqual(confirmed.line_ids.order_id, confirmed)
        self.assertFalse(self.Order.search([("platform_order_no", "=", "AB-NEW2")]))

    def test_clerk_cannot_change_money_of_a_confirmed_order(self):
        order = self._staged("AB-5")
        order.action_confirm()
        before = self._snapshot(order)
        line = order.line_ids[0]
        for vals in ({"paid_amount": 1.0}, {"payment_method": "cod"}, {"shipping_fee": 0.0}):
            with self.assertRaises(Fault):
                self._rpc("omni.order", "write", [order.id], vals)
        with self.assertRaises(Fault):
            self._rpc("omni.order.line", "write", [line.id], {"unit_price": 1.0})
        with self.assertRaises(Fault):
            self._rpc("omni.order.line", "create", [{"order_id": order.id, "platform_sku": "TM-CUP-SET"}])
        self.assertEqual(self._snapshot(order), before)
        self.assertEqual(line.unit_price, 99.0)
        self.assertEqual(len(order.line_ids), 1)


@tagged("post_install", "-at_install")
class TestOrderAbuse(OmniOrderTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.channel.auto_confirm = False
        cls.Order = cls.env["omni.order"]

    def _staged(self, number, **values):
        [result] = self.Order.import_orders("TMALL01", [self._order(number, **values)])
        return self.Order.browse(result["order_id"])

    def test_manager_cannot_delete_a_confirmed_order(self):
        order = self._staged("AB-10")
        order.action_confirm()
        with self.assertRaises(UserError):
            order.unlink()
        self.assertTrue(order.exists())

    def test_negative_quantity_never_becomes_a_sale_order(self):
        order = self._staged(
            "AB-11", paid_amount="-93.00", lines=[{"platform_sku": "TM-TEA-250G", "quantity": "-1", "unit_price": "99"}]
        )
        self.assertIn("bad_quantity", order.exception_codes)
        with self.assertRaises(UserError):
            order.action_confirm()  # even a manager
        self.assertFalse(order.sale_order_id)

    def test_cod_order_is_not_merged_into_a_prepaid_one(self):
        prepaid = self._staged("AB-12")
        cod = self._staged("AB-13", payment_method="cod")
        self.assertNotIn(cod, prepaid.merge_candidate_ids)
        with self.assertRaises(UserError):
            (prepaid | cod).action_merge()
        self.assertFalse(prepaid.merged_into_id or cod.merged_into_id)
        # nor by the automatic merge
        self.channel.auto_merge = True
        late = self._staged("AB-14", payment_method="cod")
        self.assertEqual(late.merged_into_id, cod, "a COD order merges with the COD order only")
        self.assertFalse(prepaid.merged_order_ids)

    def test_merged_exception_order_needs_a_manager(self):
        clerk = self._create_omni_user("abuse_clerk2", self.company, USER_GROUP)
        primary = self._staged("AB-15")
        flagged = self._staged("AB-16", buyer_note="call me first")
        self.channel._buyer_note_rule_lines().enabled = True
        (primary | flagged).action_merge()
        with self.assertRaises(UserError):
            primary.with_user(clerk).action_confirm()
        self.assertFalse(primary.sale_order_id)

    def test_line_of_a_confirmed_order_cannot_be_deleted(self):
        order = self._staged("AB-17")
        order.action_confirm()
        with self.assertRaises(UserError):
            order.line_ids.unlink()
        with self.assertRaises(UserError):
            order.write({"line_ids": [Command.create({"platform_sku": "TM-CUP-SET", "quantity": 1})]})
        self.assertEqual(len(order.line_ids), 1)

    def test_exception_order_merged_into_a_confirmed_one_needs_a_manager(self):
        clerk = self._create_omni_user("abuse_clerk3", self.company, USER_GROUP)
        confirmed = self._staged("AB-18")
        confirmed.action_confirm()
        flagged = self._staged("AB-19", buyer_note="call me first")
        self.assertEqual(flagged.state, "exception")
        with self.assertRaises(UserError):
            (confirmed | flagged).with_user(clerk).action_merge()
        self.assertFalse(flagged.merged_into_id or flagged.sale_order_id)
        # nor by the automatic merge of a later import
        self.channel.auto_merge = True
        late = self._staged("AB-20", buyer_note="another note")
        self.assertNotEqual(late.merged_into_id, confirmed)
        self.assertEqual(late.merged_into_id, flagged, "merged into the other open order of the receiver")
        self.assertEqual((late.state, flagged.state), ("merged", "exception"))
        self.assertFalse(late.sale_order_id)

    def test_copy_of_a_confirmed_order_starts_over(self):
        order = self._staged("AB-21")
        order.action_confirm()
        copy = order.copy({"platform_order_no": "AB-21-COPY"})
        self.assertEqual(
            (copy.state, copy.sale_order_id, copy.merged_into_id), ("new", self.env["sale.order"], self.Order)
        )
        with self.assertRaises(UserError):
            order.copy({"platform_order_no": "AB-21-COPY2", "state": "confirmed"})
