# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import IntercompanyMixin

DAY = "2026-11-30"


@tagged("post_install", "-at_install")
class TestIntercompanyInvoiceReverse(IntercompanyMixin, TransactionCase):
    """Where the rule says so, retail's vendor bill (credit note) of a goods
    request makes wholesale's customer invoice (credit note), once, with
    wholesale's own taxes and accounts; the other side never books by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_intercompany(6)
        cls.rule.invoice_direction = "customer_bill"

    def _bill(self, order, post=True):
        """Retail's accountant bills the request through the normal button (and posts it)."""
        order = order.with_user(self.buyer_accountant).with_company(self.retail)
        action = order.action_create_invoice()
        bill = self.env["account.move"].with_user(self.buyer_accountant).with_company(self.retail)
        bill = bill.browse(action["res_id"])
        bill.invoice_date = "2026-11-20"
        if post:
            bill.action_post()
        return bill

    def _billed_request(self, products=None, post=True):
        order = self._request(products or self.products[:3])
        order.button_confirm()
        sale = self._deliver_all(order)
        return order, sale, self._bill(order, post=post)

    def _check(self):
        return self.rule.with_user(self.auditor).action_check(date=DAY)

    def assertCents(self, first, second, msg=None):
        self.assertEqual(round(first * 100), round(second * 100), msg)

    def test_posting_the_bill_makes_the_posted_invoice(self):
        order, sale, bill = self._billed_request()
        invoice = bill.sudo().omni_ic_invoice_id.with_env(self.env)
        self.assertEqual(self.env["account.move"].search([("id", "=", invoice.id)]), invoice)
        self.assertEqual(
            (invoice.company_id, invoice.move_type, invoice.state, invoice.partner_id),
            (self.wholesale, "out_invoice", "posted", self.retail.partner_id),
        )
        self.assertEqual((invoice.currency_id, invoice.invoice_date), (bill.currency_id, bill.invoice_date))
        self.assertEqual((invoice.ref, invoice.invoice_origin), (bill.name, sale.name))
        for field in ("amount_untaxed", "amount_tax", "amount_total"):
            self.assertCents(invoice[field], bill[field], field)
        self.assertTrue(invoice.amount_tax, "taxed on both sides")
        self.assertEqual(invoice.invoice_line_ids.tax_ids, self.tax_wholesale, "wholesale's own sale tax")
        self.assertEqual(invoice.invoice_line_ids.account_id.company_ids, self.wholesale, "wholesale's accounts")
        self.assertEqual(invoice.invoice_line_ids.sale_line_ids, sale.order_line)
        self.assertEqual(sale.order_line.mapped("qty_invoiced"), [10.0] * 3)
        self.assertEqual(sale.invoice_status, "invoiced")
        self.assertEqual(order.order_line.mapped("qty_invoiced"), [10.0] * 3)
        # linked both ways, each side sees the other's number only
        self.assertEqual(invoice.with_user(self.seller_accountant).omni_ic_counterpart_ref, bill.name)
        self.assertEqual(bill.omni_ic_counterpart_ref, invoice.name)
        self.assertIn(invoice.name, bill.message_ids[0].body)
        # once: the mirror asked again makes nothing more
        bill._omni_ic_mirror_invoices()
        self.assertEqual(
            self.env["account.move"].search([("ref", "=", bill.name), ("move_type", "=", "out_invoice")]), invoice
        )
        # neither side resets its document alone
        with self.assertRaisesRegex(UserError, f"{bill.name} made IC Wholesale Co's invoice {invoice.name}"):
            bill.button_draft()
        with self.assertRaisesRegex(UserError, f"{invoice.name} was made from IC Retail Co's vendor bill {bill.name}"):
            invoice.with_user(self.seller_accountant).with_company(self.wholesale).button_draft()
        # the check agrees, and reads the same balance on both sides
        result = self._check()
        self.assertTrue(result["agree"], result["mismatches"])
        self.assertEqual(
            result["balances"],
            [{"currency": "CNY", "receivable": bill.amount_total, "payable": bill.amount_total, "difference": 0.0}],
        )

    def test_wholesale_does_not_invoice_a_mirrored_request_by_hand(self):
        order = self._request(self.products[:2])
        order.button_confirm()
        sale = self._deliver_all(order)
        invoice = self._invoice(sale, post=False).with_user(self.seller_accountant).with_company(self.wholesale)
        with self.assertRaisesRegex(
            UserError, f"invoices the goods request {order.name} of IC Retail Co.*not invoiced by hand"
        ):
            invoice.action_post()
        self.assertEqual(invoice.state, "draft")
        # the bill still makes the invoice (the draft is deleted by wholesale)
        invoice.unlink()
        bill = self._bill(order)
        self.assertEqual(bill.sudo().omni_ic_invoice_id.state, "posted")

    def test_retail_does_not_bill_a_mirrored_request_by_hand(self):
        """The other direction: where wholesale's invoices make the bills,
        retail's bill made by hand from the request is refused."""
        self.rule.invoice_direction = "supplier_invoice"
        order = self._request(self.products[:2])
        order.button_confirm()
        self._deliver_all(order)
        bill = self._bill(order, post=False)
        with self.assertRaisesRegex(
            UserError, f"bills the goods request {order.name}, whose vendor bills are made from IC Wholesale Co's"
        ):
            bill.action_post()
        self.assertEqual(bill.state, "draft")

    def test_draft_invoice_per_rule_and_the_check_lists_it(self):
        self.rule.bill_auto_post = False
        _order, _sale, bill = self._billed_request()
        Invoice = self.env["account.move"].with_user(self.seller_accountant).with_company(self.wholesale)
        invoice = Invoice.browse(bill.sudo().omni_ic_invoice_id.id)
        self.assertEqual((bill.state, invoice.state), ("posted", "draft"))
        self.assertCents(invoice.amount_total, bill.amount_total)
        result = self._check()
        self.assertFalse(result["agree"])
        problems = {m["problem"]: m for m in result["mismatches"]}
        self.assertEqual(set(problems), {"balance", "invoice_draft"})
        self.assertEqual(
            (problems["invoice_draft"]["supplier_document"], problems["invoice_draft"]["customer_document"]),
            (invoice.display_name, bill.name),
        )
        # wholesale's accountant does not delete it, and posts it through the normal button
        with self.assertRaisesRegex(UserError, f"counterpart of {bill.name} of IC Retail Co"), self.cr.savepoint():
            invoice.unlink()
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        result = self._check()
        self.assertTrue(result["agree"], result["mismatches"])

    def test_the_bill_credit_note_makes_the_invoice_credit_note(self):
        _order, sale, bill = self._billed_request()
        invoice = bill.sudo().omni_ic_invoice_id
        refund = bill._reverse_moves([{"invoice_date": "2026-11-25", "ref": "damaged"}])
        refund.invoice_line_ids[0].quantity = 4
        refund.action_post()
        invoice_refund = refund.sudo().omni_ic_invoice_id
        self.assertEqual((invoice_refund.move_type, invoice_refund.state), ("out_refund", "posted"))
        self.assertEqual(invoice_refund.reversed_entry_id, invoice)
        self.assertCents(invoice_refund.amount_total, refund.amount_total)
        self.assertEqual(sorted(sale.order_line.mapped("qty_invoiced")), [0.0, 0.0, 6.0])
        result = self._check()
        self.assertTrue(result["agree"], result["mismatches"])
        self.assertCents(result["balances"][0]["receivable"], bill.amount_total - refund.amount_total)

    def test_a_tax_wholesale_does_not_have_refuses_the_bill(self):
        _order, _sale, bill = self._billed_request(post=False)
        odd_tax = self.env["account.tax"].create(
            {"name": "IC odd 7%", "amount": 7, "type_tax_use": "purchase", "company_id": self.retail.id}
        )
        bill.invoice_line_ids[0].tax_ids = [Command.set(odd_tax.ids)]
        with self.assertRaisesRegex(UserError, "IC Wholesale Co has no sale tax like IC odd 7%"), self.cr.savepoint():
            bill.action_post()
        bill.invalidate_recordset()
        self.assertEqual((bill.state, bill.omni_ic_invoice_id), ("draft", self.env["account.move"]))
