# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ast

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import TransactionCase

from .common import CourierTestMixin


class TestShippedWithoutCourier(CourierTestMixin, TransactionCase):
    """A channel parcel shipped without a courier is on no courier's
    statement and among no courier's missing parcels: reconciliation lists it
    as its own problem (issue 23)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_courier()
        cls.channel.ships_without_courier = False
        cls.Picking = cls.env["stock.picking"]
        # shipped before couriers were required (or its courier cleared since)
        cls.uncouriered = cls.pickings["SF1004"]
        cls.uncouriered.carrier_id = False
        cls.fixture = [("id", "in", [picking.id for picking in cls.pickings.values()])]

    def _search(self, domain, user=None):
        Picking = self.Picking.with_user(user) if user else self.Picking
        return Picking.search(self.fixture + domain)

    def test_channel_parcel_without_courier_is_listed(self):
        listed = self._search([("omni_courier_missing", "=", True)])
        self.assertEqual(listed, self.uncouriered)
        self.assertTrue(self.uncouriered.omni_courier_missing)
        self.assertFalse(self.pickings["SF1001"].omni_courier_missing)
        self.assertIn(self.pickings["SF1001"], self._search([("omni_courier_missing", "=", False)]))
        self.assertNotIn(self.uncouriered, self._search([("omni_courier_missing", "!=", True)]))
        self.uncouriered.omni_courier_code = "SF"
        self.assertFalse(self._search([("omni_courier_missing", "=", True)]))

    def test_listed_by_the_reconciliation_menu_for_a_courier_user(self):
        user = self.env["res.users"].create(
            {"name": "Courier Clerk", "login": "courier_clerk_missing",
             "groups_id": [Command.link(self.env.ref("omni_courier.group_courier_user").id)]}
        )  # fmt: skip
        action = self.env.ref("omni_courier.action_picking_courier_missing")
        menu = self.env.ref("omni_courier.menu_picking_courier_missing")
        self.assertEqual(menu.parent_id, self.env.ref("omni_courier.menu_courier_reconciliation"))
        self.assertEqual(menu.action, action)
        self.assertEqual(self.Picking.search(ast.literal_eval(action.domain) + self.fixture), self.uncouriered)
        listed = self._search([("omni_courier_missing", "=", True)], user=user)
        self.assertEqual(listed, self.uncouriered)
        self.assertEqual(action.res_model, "stock.picking")

    def test_pick_up_channel_and_core_deliveries_are_no_problem(self):
        self.channel.ships_without_courier = True
        self.assertFalse(self._search([("omni_courier_missing", "=", True)]))
        self.uncouriered.invalidate_recordset(["omni_courier_missing"])
        self.assertFalse(self.uncouriered.omni_courier_missing)

    def test_unsupported_search_is_refused(self):
        with self.assertRaises(UserError):
            self.Picking.search([("omni_courier_missing", "in", [True])])
