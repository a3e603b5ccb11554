# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo.exceptions import UserError
from odoo.tests import Form, TransactionCase, tagged

from .common import IntercompanyMixin


@tagged("post_install", "-at_install")
class TestGoodsRequestBackorder(IntercompanyMixin, TransactionCase):
    """Wholesale ships part of a request and cancels the rest: retail's
    receipt stops expecting it; retail alone cancels nothing still to come."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_intercompany(4)
        # wholesale invoices what it delivered (Invoicing Policy: Delivered quantities)
        cls.all_products.invoice_policy = "delivery"

    def _ship(self, sale, quantities, backorder=True):
        """Wholesale validates its open delivery with ``quantities`` per product,
        keeping a backorder for the rest or not."""
        delivery = sale.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        delivery = delivery.with_user(self.shipper).with_company(self.wholesale)
        for move in delivery.move_ids:
            move.quantity = quantities.get(move.product_id, move.product_uom_qty)
        delivery.move_ids.picked = True
        action = delivery.button_validate()
        if isinstance(action, dict) and action.get("res_model") == "stock.backorder.confirmation":
            wizard = Form(
                self.env["stock.backorder.confirmation"].with_user(self.shipper).with_context(**action["context"])
            ).save()
            wizard.process() if backorder else wizard.process_cancel_backorder()
        return delivery

    def _open_receipts(self, order):
        return order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))

    def _check(self):
        return self.rule.with_user(self.auditor).action_check(date="2026-11-30")

    def test_a_cancelled_delivery_backorder_cancels_the_receipt_backorder(self):
        order = self._request(self.products[:2])
        order.button_confirm()
        sale = self._sale_of(order)
        first, second = self.products[:2]
        self._ship(sale, {first: 6})
        self._validate(self._open_receipts(order), self.buyer, self.retail)
        back_receipt = self._open_receipts(order)
        self.assertEqual((back_receipt.move_ids.product_id, back_receipt.move_ids.product_uom_qty), (first, 4.0))
        # retail alone does not cancel what wholesale still ships
        with self.assertRaisesRegex(
            UserError, re.escape(f"Receipt {back_receipt.name}: 4.0 {first.display_name} of goods request {order.name}")
        ):
            back_receipt.with_user(self.buyer).with_company(self.retail).action_cancel()
        self.assertNotEqual(back_receipt.state, "cancel")
        # wholesale cancels its backorder: retail's follows
        back_delivery = sale.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        back_delivery.with_user(self.shipper).with_company(self.wholesale).action_cancel()
        self.assertEqual(back_receipt.state, "cancel")
        self.assertEqual(order.receipt_status, "full", "nothing more to receive")
        self.assertEqual(order.order_line.mapped("qty_received"), [6.0, 10.0])
        self.assertEqual(sale.order_line.mapped("qty_delivered"), [6.0, 10.0])
        self.assertIn("no longer to receive", order.message_ids[:1].body)
        result = self._check()
        self.assertTrue(result["agree"], result["mismatches"])
        self.assertEqual(result["transit"], [])
        # invoiced as delivered: the bill follows, the books agree to the cent
        invoice = self._invoice(sale)
        bill = self._bill_of(invoice)
        self.assertEqual(order.order_line.mapped("qty_invoiced"), [6.0, 10.0])
        self.assertEqual(round(bill.amount_total * 100), round(invoice.amount_total * 100))
        self.assertTrue(self._check()["agree"])

    def test_shipped_without_backorder_the_receipt_expects_what_was_shipped(self):
        order = self._request(self.products[:3])
        order.button_confirm()
        sale = self._sale_of(order)
        first, second, third = self.products[:3]
        # the first partly, the third not at all, no backorder
        self._ship(sale, {first: 6, third: 0}, backorder=False)
        self.assertFalse(sale.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")))
        receipt = self._open_receipts(order)
        self.assertEqual(len(receipt), 1)
        open_moves = receipt.move_ids.filtered(lambda m: m.state != "cancel")
        self.assertEqual(
            sorted((m.product_id.id, m.product_uom_qty, m.quantity) for m in open_moves),
            sorted([(first.id, 6.0, 6.0), (second.id, 10.0, 10.0)]),
        )
        self.assertEqual(
            sorted((m.product_id.id, m.product_uom_qty) for m in receipt.move_ids - open_moves),
            sorted([(first.id, 4.0), (third.id, 10.0)]),
        )
        # retail receives what was shipped: no backorder asked
        self.assertIs(receipt.with_user(self.buyer).with_company(self.retail).button_validate(), True)
        self.assertEqual((receipt.state, order.receipt_status), ("done", "full"))
        self.assertEqual(order.order_line.mapped("qty_received"), [6.0, 10.0, 0.0])
        result = self._check()
        self.assertTrue(result["agree"], result["mismatches"])

    def test_retail_does_not_drop_shipped_goods_by_refusing_a_backorder(self):
        order = self._request(self.products[:1])
        order.button_confirm()
        sale = self._sale_of(order)
        self._ship(sale, {})
        receipt = self._open_receipts(order).with_user(self.buyer).with_company(self.retail)
        receipt.move_ids.quantity = 6
        action = receipt.button_validate()
        wizard = Form(
            self.env["stock.backorder.confirmation"].with_user(self.buyer).with_context(**action["context"])
        ).save()
        msg = f"Receipt {receipt.name}: 10.0 {self.products[0].display_name} of goods request {order.name}"
        with self.assertRaisesRegex(UserError, re.escape(msg)):
            wizard.process_cancel_backorder()
