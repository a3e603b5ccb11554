# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from .common import IntercompanyMixin

DAY = "2026-11-30"


@tagged("post_install", "-at_install")
class TestIntercompanyCheck(IntercompanyMixin, TransactionCase):
    """The check of a pair of companies: wholesale's receivable equals
    retail's payable to the cent, goods in transit at cost, mismatches
    naming the documents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_intercompany(6)

    def _check(self, user=None):
        rule = self.rule.with_user(user or self.auditor)
        return rule.action_check(date=DAY)

    def _ship(self, order):
        """Wholesale ships everything; retail has not received it yet."""
        sale = self._sale_of(order)
        delivery = sale.picking_ids.with_user(self.shipper).with_company(self.wholesale)
        for move in delivery.move_ids:
            move.quantity = move.product_uom_qty
        delivery.move_ids.picked = True
        self._validate(delivery, self.shipper, self.wholesale)
        return sale

    def test_books_agree_and_goods_in_transit_at_cost(self):
        order = self._request(self.products[:3], qty=10)
        order.button_confirm()
        sale = self._ship(order)
        invoice = self._invoice(sale)
        bill = self._bill_of(invoice)
        result = self._check()
        self.assertTrue(result["agree"], result["mismatches"])
        self.assertEqual(
            result["balances"],
            [{"currency": "CNY", "receivable": invoice.amount_total, "payable": bill.amount_total, "difference": 0.0}],
        )
        # costs 6.00, 6.25, 6.50 a unit in wholesale, 10 of each on the way
        self.assertEqual(
            [(t["sale_order"], t["purchase_order"], t["product"], t["quantity"], t["cost"]) for t in result["transit"]],
            [
                (sale.name, order.name, p.default_code, 10.0, cost)
                for p, cost in zip(self.products[:3], (60.0, 62.5, 65.0), strict=True)
            ],
        )
        self.assertEqual(result["transit_cost"], 187.5)
        lines = (
            self.env["omni.intercompany.check.line"].with_user(self.auditor).search([("rule_id", "=", self.rule.id)])
        )
        self.assertEqual(sorted(lines.mapped("kind")), ["balance", "transit", "transit", "transit"])
        # retail receives: nothing in transit any more; a second check replaces the first
        self._validate(order.picking_ids, self.buyer, self.retail)
        result = self._check()
        self.assertEqual(result["transit"], [])
        self.assertTrue(result["agree"])
        self.assertEqual(len(lines.exists()), 0)

    def test_mismatches_name_both_documents(self):
        self.rule.bill_auto_post = False
        order = self._request(self.products[:2], qty=10)
        order.button_confirm()
        invoice = self._invoice(self._deliver_all(order))
        bill = self._bill_of(invoice)
        result = self._check()
        self.assertFalse(result["agree"])
        problems = {m["problem"]: m for m in result["mismatches"]}
        self.assertEqual(set(problems), {"balance", "bill_draft"})
        self.assertEqual(problems["bill_draft"]["supplier_document"], invoice.name)
        self.assertEqual(problems["bill_draft"]["customer_document"], bill.display_name)
        self.assertEqual(problems["balance"]["difference"], invoice.amount_total)
        # retail's accountant lowers a price in the draft bill, then posts it
        bill = bill.with_user(self.buyer_accountant).with_company(self.retail)
        bill.invoice_line_ids[0].price_unit -= 1.0
        bill.action_post()
        result = self._check()
        problems = {m["problem"]: m for m in result["mismatches"]}
        self.assertEqual(set(problems), {"balance", "amount"})
        self.assertEqual(
            (problems["amount"]["supplier_document"], problems["amount"]["customer_document"]),
            (invoice.name, bill.name),
        )
        self.assertEqual(
            round(problems["amount"]["difference"] * 100), round((invoice.amount_total - bill.amount_total) * 100)
        )
        self.assertEqual(problems["amount"]["label"], "Invoice and vendor bill amounts differ")

    def test_an_invoice_without_bill_and_goods_received_twice(self):
        order = self._request(self.products[:1], qty=10)
        order.button_confirm()
        invoice = self._invoice(self._deliver_all(order))
        # retail deletes its bill by resetting and cancelling it
        bill = self._bill_of(invoice).with_user(self.buyer_accountant).with_company(self.retail)
        bill.button_draft()
        bill.button_cancel()
        # and receives 2 more than delivered with an extra receipt of the request
        line = order.order_line
        extra = (
            self.env["stock.picking"]
            .with_company(self.retail)
            .create(
                {
                    "picking_type_id": self.wh_retail.in_type_id.id,
                    "partner_id": self.wholesale.partner_id.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": "extra",
                                "product_id": self.products[0].id,
                                "product_uom_qty": 2,
                                "product_uom": line.product_uom.id,
                                "purchase_line_id": line.id,
                                "location_id": self.wh_retail.in_type_id.default_location_src_id.id,
                                "location_dest_id": self.wh_retail.lot_stock_id.id,
                                "quantity": 2,
                                "picked": True,
                            }
                        )
                    ],
                }
            )
        )
        extra.button_validate()
        self.assertEqual(line.qty_received, 12)
        result = self._check()
        problems = {m["problem"]: m for m in result["mismatches"]}
        self.assertEqual(set(problems), {"balance", "no_bill", "received_more"})
        self.assertEqual(problems["no_bill"]["supplier_document"], invoice.name)
        self.assertEqual(
            (problems["received_more"]["supplier_document"], problems["received_more"]["customer_document"]),
            (self._sale_of(order).name, order.name),
        )

    def test_only_accountants_of_both_companies_check(self):
        order = self._request(self.products[:1])
        order.button_confirm()
        self._invoice(self._deliver_all(order))
        for user in (self.seller_accountant, self.buyer_accountant, self.buyer):
            with self.subTest(user=user.name), self.assertRaises(AccessError):
                self._check(user)
        self._check()
        Lines = self.env["omni.intercompany.check.line"]
        self.assertTrue(Lines.with_user(self.auditor).search([]))
        self.assertFalse(Lines.with_user(self.seller_accountant).search([]))
        line = Lines.with_user(self.auditor).search([], limit=1)
        with self.assertRaises(UserError):
            line.write({"difference": 0.0})
        with self.assertRaises(UserError):
            Lines.with_user(self.auditor).create({"rule_id": self.rule.id, "kind": "balance"})
