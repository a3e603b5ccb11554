# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.omni_base.tools import guard
from odoo.addons.omni_customer.tests.common import OmniCustomerTestMixin
from odoo.addons.omni_retail_ledger.tests.common import DAY, SHIPPED_AT, RetailLedgerTestMixin


@tagged("post_install", "-at_install")
@freeze_time("2026-11-21 02:00:00")
class TestDeposit(RetailLedgerTestMixin, OmniCustomerTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_retail_ledger()
        cls._setup_call_centre()
        env = cls.env
        cls.deposit_account = env["account.account"].create(
            {"name": "Advance receipts", "code": "220399", "account_type": "liability_current"}
        )
        cls.company.omni_deposit_account_id = cls.deposit_account
        cls.revenue_cc = env["account.account"].create(
            {"name": "Call centre revenue", "code": "600199", "account_type": "income"}
        )
        cls.cc_channel.write(
            {"omni_revenue_account_id": cls.revenue_cc.id, "omni_clearing_account_id": cls.clearing_tmall.id}
        )
        cls.bank = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1)
        cls.manager = env["res.users"].create(
            {
                "name": "Deposit manager",
                "login": "deposit_manager",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "groups_id": [Command.set([env.ref("omni_deposit.group_omni_deposit_manager").id])],
            }
        )
        cls._deposit(cls.wang, 500.0)

    @classmethod
    def _deposit(cls, partner, amount, kind="receive", user=None):
        wizard = (
            cls.env["omni.deposit.wizard"]
            .with_user(user or cls.manager)
            .with_context(default_partner_id=partner.id, default_kind=kind)
            .create({"amount": amount, "journal_id": cls.bank.id})
        )
        return wizard.action_confirm()

    def _liability(self, partner):
        lines = self.env["account.move.line"].search(
            [("account_id", "=", self.deposit_account.id), ("partner_id", "=", partner.id),
             ("parent_state", "=", "posted")]
        )  # fmt: skip
        return -sum(lines.mapped("balance"))

    def _post_day(self, kind="sale"):
        result = self.Record.generate(DAY)
        records = self.Record.browse(result["records"]).filtered(
            lambda r: r.channel_id == self.cc_channel and r.kind == kind
        )
        records.action_post()
        return records

    def _figures(self, partner):
        partner.invalidate_recordset(["omni_deposit_balance", "omni_deposit_held", "omni_deposit_available"])
        return partner.omni_deposit_balance, partner.omni_deposit_held, partner.omni_deposit_available

    def test_received_deposit_is_a_liability(self):
        self.assertEqual(self._figures(self.wang), (500.0, 0.0, 500.0))
        self.assertEqual(self._liability(self.wang), 500.0)
        with self.assertRaises(AccessError):
            self._deposit(self.wang, 100.0, user=self.agent)

    def test_order_paid_by_deposit_is_booked_by_the_ledger(self):
        order = self._phone_order(self.wang, quantity=2, price=30.0, payment="deposit", user=self.agent)
        self.assertEqual(order.state, "confirmed", order.exception_reasons)
        self.assertEqual(order.sale_order_id.omni_payment_method, "deposit")
        self.assertEqual(order.deposit_hold_ids.amount, 60.0)
        self.assertEqual(self._figures(self.wang), (500.0, 60.0, 440.0), "consumed at once, booked later")
        self._ship(order, when=SHIPPED_AT)
        [record] = self._post_day()
        lines = record.move_id.line_ids
        deposit_line = lines.filtered(lambda line: line.account_id == self.deposit_account)
        self.assertEqual((deposit_line.debit, deposit_line.partner_id), (60.0, self.wang))
        self.assertFalse(lines.filtered(lambda line: line.account_id == self.clearing_tmall), "no platform receivable")
        self.assertEqual(order.deposit_hold_ids.state, "booked")
        self.assertEqual(self._figures(self.wang), (440.0, 0.0, 440.0))
        self.assertEqual(self._liability(self.wang), self.wang.omni_deposit_balance)
        # reversing the record puts the consumption back on hold
        record.action_reverse()
        self.assertEqual(order.deposit_hold_ids.state, "held")
        self.assertEqual(self._figures(self.wang), (500.0, 60.0, 440.0))

    def test_order_larger_than_the_deposit_is_refused(self):
        with self.assertRaisesRegex(UserError, "has 500.00 available|has 500.0 available"):
            self._phone_order(self.wang, quantity=20, price=30.0, payment="deposit")
        self.assertFalse(self.env["omni.order"].search([("customer_id", "=", self.wang.id)]), "nothing half-made")
        self.assertEqual(self._figures(self.wang), (500.0, 0.0, 500.0))
        # a manager's credit lets it through; the deposit goes below zero
        self.wang.with_user(self.manager).omni_deposit_credit = 200.0
        order = self._phone_order(self.wang, quantity=20, price=30.0, payment="deposit")
        self.assertEqual(order.deposit_hold_ids.amount, 600.0)
        self.assertEqual(self._figures(self.wang)[2], -100.0)

    def test_cancel_releases_and_refund_is_capped(self):
        order = self._phone_order(self.wang, quantity=10, price=30.0, payment="deposit")
        with self.assertRaisesRegex(UserError, "cannot be refunded"):
            self._deposit(self.wang, 300.0, kind="refund")
        order.action_cancel()
        self.assertEqual(order.deposit_hold_ids.state, "released")
        self._deposit(self.wang, 500.0, kind="refund")
        self.assertEqual(self._figures(self.wang), (0.0, 0.0, 0.0))
        self.assertEqual(self._liability(self.wang), 0.0)

    def test_return_after_the_deposit_was_refunded_credits_it_back(self):
        order = self._phone_order(self.wang, quantity=2, price=30.0, payment="deposit")
        self._ship(order, when=SHIPPED_AT)
        self._post_day()
        self._deposit(self.wang, 440.0, kind="refund")
        self.assertEqual(self._figures(self.wang), (0.0, 0.0, 0.0))
        self._return(order, 30.0, SHIPPED_AT, lines=[(self.honey, 1)])
        [record] = self._post_day(kind="return")
        deposit_line = record.move_id.line_ids.filtered(lambda line: line.account_id == self.deposit_account)
        self.assertEqual((deposit_line.credit, deposit_line.partner_id), (30.0, self.wang))
        self.assertEqual(self._figures(self.wang), (30.0, 0.0, 30.0), "the refund goes back to the deposit")
        # the same return is covered once: a second generation books nothing more
        self.Record.generate(DAY)
        self.assertEqual(self._liability(self.wang), 30.0)

    def test_deposit_order_needs_a_customer(self):
        [result] = self.env["omni.order"].import_orders(
            "CC01", [self._order("CC-RPC-1", payment_method="deposit",
                                 lines=[{"platform_sku": "CC-HONEY", "quantity": "1", "unit_price": "99"}])]
        )  # fmt: skip
        self.assertEqual(result["result"], "exception", "a platform text 'deposit' is no payment method")
        # a client cannot create a platform order at all (its channel and number are read-only) ...
        with self.assertRaisesRegex(UserError, r"\(platform_order_no\) is read-only"):
            self.env["omni.order"].create(
                {"channel_id": self.cc_channel.id, "platform_order_no": "CC-X", "payment_method": "deposit",
                 "paid_amount": 10.0}
            )  # fmt: skip
        # ... and our own code staging one paid by deposit must name its customer
        with self.assertRaisesRegex(UserError, "no customer"):
            guard.internal(self.env["omni.order"]).create(
                {"channel_id": self.cc_channel.id, "platform_order_no": "CC-X", "payment_method": "deposit",
                 "paid_amount": 10.0}
            )  # fmt: skip
