# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import tagged

from odoo.addons.omni_base.tools import guard

from .common import PostingCase, truth

# a partial refund of the Alipay sample: 交易付款 396.00 (row 78), 交易退款 -138.60 (row 82)
ORDER = "4060000026925023938"
REFUND = "138.60"


@tagged("post_install", "-at_install")
class TestRefundRematch(PostingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        book = truth("TMALL01")["orders"]
        cls._book("TMALL01", {o["order"]: float(o["paid"]) for o in book if o["settled_in_file"]})
        cls.manager = cls.env["res.users"].create(
            {
                "name": "Settlement manager",
                "login": "settle_manager_refund",
                "email": "manager@example.com",
                "groups_id": [
                    Command.link(cls.env.ref("omni_settlement.group_settlement_manager").id),
                    Command.link(cls.env.ref("account.group_account_invoice").id),
                    Command.link(cls.env.ref("omni_channel.group_omni_channel_user").id),
                ],
            }
        )

    def _ship(self, order, amount):
        """The order's sale order with one line of ``amount``, confirmed and
        its delivery done (an after-sales order is made for shipped goods)."""
        product = self.env["product.product"].create({"name": "Tea", "type": "consu"})
        sale = order.sale_order_id
        sale.order_line = [Command.create({"product_id": product.id, "product_uom_qty": 1, "price_unit": amount,
                                           "tax_id": [Command.clear()]})]  # fmt: skip
        sale.action_confirm()
        picking = sale.picking_ids
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def _book_return(self, aftersale, amount, date="2026-11-25"):
        """The retail ledger's posted return of the after-sales order: the
        platform receivable credited with the refund."""
        env = self.env
        code = "TMALL01"
        journal = env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "general")], limit=1
        )
        move = env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "date": date,
                "line_ids": [
                    Command.create({"account_id": self.receivables[code].id, "balance": -amount, "name": "return"}),
                    Command.create({"account_id": self.revenue.id, "balance": amount, "name": "return"}),
                ],
            }
        )
        move.action_post()
        record = guard.internal(env["omni.retail.record"]).create(
            {
                "company_id": self.company.id,
                "channel_id": self.channels[code].id,
                "date": date,
                "kind": "return",
                "state": "posted",
                "amount_total": amount,
                "move_id": move.id,
            }
        )
        guard.internal(env["omni.retail.record.line"]).create(
            {
                "record_id": record.id,
                "company_id": self.company.id,
                "kind": "return",
                "aftersale_id": aftersale.id,
                "reference": aftersale.omni_order_id.platform_order_no,
                "document_at": f"{date} 03:00:00",
                "currency_id": self.company.currency_id.id,
                "amount_total": amount,
                "amount_untaxed": amount,
            }
        )

    def _refund_line(self, statement):
        return statement.line_ids.filtered(lambda line: line.order_ref == ORDER and line.kind == "refund")

    def test_refund_matched_once_aftersale_exists(self):
        """A refund imported before its after-sales order exists waits as
        'refund without an after-sales order'; once the after-sales order
        exists (and the ledger booked its return), Match Again makes it a
        matched refund and the statement posts, the order's receivable
        cleared to zero."""
        statement = self.import_sample("TMALL01")
        refund = self._refund_line(statement)
        self.assertEqual(len(refund), 1)
        self.assertEqual(refund.state, "refund_no_aftersale")
        self.assertAlmostEqual(refund.amount, -float(REFUND), places=2)

        order = self.orders["TMALL01"][ORDER]
        self._ship(order, 396.00)
        aftersale = self.env["omni.aftersale"].create({"omni_order_id": order.id, "refund_amount": float(REFUND)})
        self._book_return(aftersale, float(REFUND))
        statement.with_user(self.manager).action_rematch()
        self.assertEqual(refund.state, "matched")
        self.assertFalse(refund.order_diff)
        payment = statement.line_ids.filtered(lambda line: line.order_ref == ORDER and line.kind == "sale")
        self.assertEqual(payment.state, "matched", "sale 396.00 - refund 138.60 = booked 396.00 - return 138.60")
        self.assertNotIn(ORDER, statement.line_ids.filtered(lambda line: line.state == "refund_no_aftersale")
                         .mapped("order_ref"))  # fmt: skip

        statement.with_user(self.manager).action_post()
        self.assertEqual(statement.state, "posted")
        # cleared by the statement's month clearing, with no difference for this order
        self.assertFalse(statement.clearing_diff_ids.filtered(lambda diff: diff.omni_order_id == order))
        self.assertFalse(
            self.env["omni.settlement.open.order"].search([("omni_order_id", "=", order.id), ("open_amount", "!=", 0)])
        )
        # the order's receivable: 396.00 booked, 138.60 returned, 257.40 settled
        self.env["account.move.line"].flush_model()
        receivable = self.receivables["TMALL01"]
        lines = self.env["account.move.line"].search(
            [("account_id", "=", receivable.id), ("parent_state", "=", "posted")]
        )
        booked = round(sum(float(o["paid"]) for o in truth("TMALL01")["orders"] if o["settled_in_file"]), 2)
        credits = round(sum(statement.clearing_ids.mapped("amount")), 2)
        self.assertAlmostEqual(sum(lines.mapped("balance")), booked - float(REFUND) - credits, places=2)
        self.assertAlmostEqual(order.omni_settled_amount, 396.00 - float(REFUND), places=2)

    def test_refund_still_waiting_without_aftersale(self):
        """Match Again without an after-sales order leaves the refund waiting."""
        statement = self.import_sample("TMALL01")
        statement.action_rematch()
        self.assertEqual(self._refund_line(statement).state, "refund_no_aftersale")
