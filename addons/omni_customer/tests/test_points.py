# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import OmniCustomerTestMixin

TODAY = date(2026, 11, 30)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestPoints(OmniCustomerTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_customer()
        cls.env["omni.points.rule"].create({"channel_id": cls.cc_channel.id, "points_per_yuan": 1.0})
        cls.Move = cls.env["omni.points.move"]
        cls.silver = cls.env["omni.member.level"].create({"name": "银卡", "min_points": 100})
        cls.env["omni.member.level"].create({"name": "普通会员", "min_points": 0})

    def _assert_ledger(self, partner):
        self.assertEqual(partner.omni_points, sum(partner.omni_points_move_ids.mapped("points")))

    def test_shipped_order_earns_once(self):
        order = self._phone_order(self.wang, quantity=4, price=30.0)  # 120.00
        self.assertFalse(self.wang.omni_points_move_ids, "nothing before shipping")
        self._ship(order)
        self.assertEqual(self.wang.omni_points, 120)
        self.assertEqual(self.wang.omni_member_level_id, self.silver)
        # the same rule applied to the same order again: nothing more
        self.Move._earn_for_orders(order)
        self.Move._earn_for_orders(order)
        self.assertEqual(self.wang.omni_points, 120)
        self.assertEqual(len(self.wang.omni_points_move_ids), 1)
        self._assert_ledger(self.wang)

    def test_non_member_earns_nothing(self):
        self.wang.omni_is_member = False
        order = self._phone_order(self.wang)
        self._ship(order)
        self.assertEqual(self.wang.omni_points, 0)

    def test_return_takes_points_back_once(self):
        order = self._phone_order(self.wang, quantity=4, price=30.0)
        self._ship(order)
        aftersale = self.env["omni.aftersale"].create(
            {
                "omni_order_id": order.id,
                "refund_amount": 30.0,
                "line_ids": [Command.create({"product_id": self.honey.id, "quantity": 1, "destination": "sellable"})],
            }
        )
        aftersale.action_submit()
        aftersale.action_approve()
        aftersale.action_receive()
        self.assertEqual(self.wang.omni_points, 90)
        self.Move._take_back_for_returns(aftersale)
        self.assertEqual(self.wang.omni_points, 90, "a return takes back once")
        self._assert_ledger(self.wang)
        self.assertAlmostEqual(self.wang.omni_total_spend, order.sale_order_id.amount_total - 30.0, places=2)

    def test_spend_oldest_first_and_expiry(self):
        first, second = self._phone_order(self.wang, 1, 50.0), self._phone_order(self.wang, 1, 70.0)
        with freeze_time("2025-12-15"):
            self._ship(first)
        self._ship(second)
        lot_old, lot_new = self.wang.omni_points_move_ids.sorted("id")
        self.assertEqual(lot_old.expiry_date, date(2026, 12, 15))
        self.wang.omni_spend_points(60)
        self.assertEqual((lot_old.remaining, lot_new.remaining), (0, 60), "the oldest lot is spent first")
        with self.assertRaisesRegex(UserError, "has 60 points"):
            self.wang.omni_spend_points(61)
        with freeze_time("2027-12-01"):
            self.Move._cron_expire()
            self.Move._cron_expire()
        self.assertEqual(self.wang.omni_points, 0)
        self.assertEqual(self.wang.omni_points_move_ids.filtered(lambda m: m.kind == "expire").points, -60)
        self._assert_ledger(self.wang)

    def test_movements_cannot_be_forged(self):
        with self.assertRaisesRegex(UserError, "orders, returns"):
            self.Move.create({"partner_id": self.wang.id, "company_id": self.company.id, "kind": "adjust",
                              "points": 1000})  # fmt: skip
        order = self._phone_order(self.wang)
        self._ship(order)
        with self.assertRaises(UserError):
            self.wang.omni_points_move_ids.write({"points": 9999})
        with self.assertRaises(UserError):
            self.wang.omni_points_move_ids.unlink()

    def test_followups_once(self):
        self.wang.write({"omni_birthday": date(1990, 11, 30), "user_id": self.agent.id})
        self.env["res.partner"]._cron_omni_member_followups()
        self.env["res.partner"]._cron_omni_member_followups()
        activities = self.wang.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("omni_customer.activity_type_birthday")
        )
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.agent)
        order = self._phone_order(self.wang)
        with freeze_time("2025-12-20"):
            self._ship(order)
        self.env["res.partner"]._cron_omni_member_followups()
        self.assertTrue(
            self.wang.activity_ids.filtered(
                lambda a: a.activity_type_id == self.env.ref("omni_customer.activity_type_points")
            )
        )
