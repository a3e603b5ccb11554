# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.omni_base.tools import guard

from .common import IntercompanyMixin


@tagged("post_install", "-at_install")
class TestIntercompanyInvoice(IntercompanyMixin, TransactionCase):
    """Wholesale's customer invoice (credit note) of a goods request makes
    retail's vendor bill (credit note), once, with retail's own taxes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_intercompany(6)
        cls.purchase_tax = cls.retail.account_purchase_tax_id

    def _invoiced_request(self, products=None, post=True):
        order = self._request(products or self.products[:3])
        order.button_confirm()
        sale = self._deliver_all(order)
        return order, self._invoice(sale, post=post)

    def assertCents(self, first, second, msg=None):
        self.assertEqual(round(first * 100), round(second * 100), msg)

    def test_posting_the_invoice_makes_the_posted_bill(self):
        order, invoice = self._invoiced_request()
        bill = self._bill_of(invoice)
        self.assertEqual(len(bill), 1)
        self.assertEqual(
            (bill.company_id, bill.move_type, bill.state, bill.partner_id),
            (self.retail, "in_invoice", "posted", self.wholesale.partner_id),
        )
        self.assertEqual((bill.currency_id, bill.invoice_date), (invoice.currency_id, invoice.invoice_date))
        self.assertEqual(bill.ref, invoice.name)
        self.assertEqual(bill.invoice_origin, order.name)
        for field in ("amount_untaxed", "amount_tax", "amount_total"):
            self.assertCents(bill[field], invoice[field], field)
        self.assertTrue(invoice.amount_tax, "taxed on both sides")
        self.assertEqual(bill.invoice_line_ids.tax_ids, self.purchase_tax, "retail's own purchase tax")
        self.assertEqual(bill.invoice_line_ids.purchase_line_id, order.order_line)
        self.assertEqual(order.order_line.mapped("qty_invoiced"), [10.0] * 3)
        self.assertEqual(order.invoice_ids, bill)
        # linked both ways, each side sees the other's number only
        self.assertEqual(invoice.with_user(self.seller_accountant).omni_ic_counterpart_ref, bill.name)
        self.assertEqual(bill.with_user(self.buyer_accountant).omni_ic_counterpart_ref, invoice.name)
        self.assertIn(bill.name, invoice.message_ids[0].body)

        # once: posting again, or the mirror asked again, makes nothing more
        invoice._omni_ic_mirror_bills()
        self.assertEqual(self._bill_of(invoice), bill)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            guard.internal(self.env["account.move"].with_company(self.retail)).create(
                {"move_type": "in_invoice", "company_id": self.retail.id, "omni_ic_invoice_id": invoice.id}
            )
        # neither side reset its document alone
        with self.assertRaisesRegex(UserError, f"{invoice.name} was billed to IC Retail Co as {bill.name}"):
            invoice.with_user(self.seller_accountant).with_company(self.wholesale).button_draft()
        with self.assertRaises(UserError):
            bill.with_user(self.buyer_accountant).write({"omni_ic_invoice_id": False})

    def test_a_user_of_one_company_needs_no_rights_in_the_other(self):
        _order, invoice = self._invoiced_request()
        bill = self._bill_of(invoice)
        # the seller's accountant (wholesale only) posted; the bill exists in retail
        self.assertTrue(bill)
        with self.assertRaises(AccessError):
            bill.with_user(self.seller_accountant).read(["name"])
        with self.assertRaises(AccessError):
            invoice.with_user(self.buyer_accountant).read(["name"])
        self.assertEqual(bill.with_user(self.buyer_accountant).read(["state"])[0]["state"], "posted")

    def test_draft_bill_per_rule(self):
        self.rule.bill_auto_post = False
        _order, invoice = self._invoiced_request()
        bill = self._bill_of(invoice)
        self.assertEqual((invoice.state, bill.state), ("posted", "draft"))
        self.assertCents(bill.amount_total, invoice.amount_total)
        # retail's accountant does not delete it, and posts it through the normal button
        with (
            self.assertRaisesRegex(UserError, f"was made from {invoice.name} of IC Wholesale Co"),
            self.cr.savepoint(),
        ):
            bill.with_user(self.buyer_accountant).with_company(self.retail).unlink()
        self.env.invalidate_all()
        bill.with_user(self.buyer_accountant).with_company(self.retail).action_post()
        self.assertEqual(bill.state, "posted")

    def test_a_draft_invoice_makes_no_bill(self):
        _order, invoice = self._invoiced_request(post=False)
        self.assertFalse(self._bill_of(invoice))

    def test_the_credit_note_is_mirrored_and_reverses_the_bill(self):
        order, invoice = self._invoiced_request()
        bill = self._bill_of(invoice)
        refund = (
            invoice.with_user(self.seller_accountant)
            .with_company(self.wholesale)
            ._reverse_moves([{"invoice_date": "2026-11-25", "ref": "damaged"}])
        )
        refund.invoice_line_ids[0].quantity = 4
        refund.action_post()
        refund_bill = self._bill_of(refund)
        self.assertEqual((refund_bill.move_type, refund_bill.state), ("in_refund", "posted"))
        self.assertEqual(refund_bill.reversed_entry_id, bill)
        self.assertCents(refund_bill.amount_total, refund.amount_total)
        line = refund.invoice_line_ids[0].sale_line_ids.omni_ic_purchase_line_id
        self.assertEqual(line.qty_invoiced, 6)
        # the other lines were refunded whole
        self.assertEqual(sorted(order.order_line.mapped("qty_invoiced")), [0.0, 0.0, 6.0])

    def test_a_tax_retail_does_not_have_refuses_the_invoice(self):
        _order, invoice = self._invoiced_request(post=False)
        odd_tax = self.env["account.tax"].create(
            {"name": "IC odd 7%", "amount": 7, "type_tax_use": "sale", "company_id": self.wholesale.id}
        )
        invoice.invoice_line_ids[0].tax_ids = [Command.set(odd_tax.ids)]
        with (
            self.assertRaisesRegex(UserError, "IC Retail Co has no purchase tax like IC odd 7%"),
            self.cr.savepoint(),
        ):
            invoice.with_user(self.seller_accountant).with_company(self.wholesale).action_post()
        invoice.invalidate_recordset()
        self.assertEqual(invoice.state, "draft", "never one side alone")
        self.assertFalse(self._bill_of(invoice))

    def test_the_rules_fiscal_position_maps_retails_taxes(self):
        tax_9 = self.env["account.tax"].create(
            {"name": "IC purchase 9%", "amount": 9, "type_tax_use": "purchase", "company_id": self.retail.id}
        )
        fiscal_position = self.env["account.fiscal.position"].create(
            {
                "name": "IC transfer",
                "company_id": self.retail.id,
                "tax_ids": [Command.create({"tax_src_id": self.purchase_tax.id, "tax_dest_id": tax_9.id})],
            }
        )
        wholesale_position = fiscal_position.copy({"company_id": self.wholesale.id, "tax_ids": False})
        with self.assertRaisesRegex(ValidationError, "the bill fiscal position must belong to the customer company"):
            self.rule.purchase_fiscal_position_id = wholesale_position
        self.rule.purchase_fiscal_position_id = fiscal_position
        _order, invoice = self._invoiced_request()
        bill = self._bill_of(invoice)
        self.assertEqual(bill.fiscal_position_id, fiscal_position)
        self.assertEqual(bill.invoice_line_ids.tax_ids, tax_9)
        self.assertCents(bill.amount_untaxed, invoice.amount_untaxed)

    def test_retail_in_another_currency_books_the_bill_at_the_invoice_dates_rate(self):
        """Retail keeps its books in HKD and requests in wholesale's CNY: the
        bill is in CNY for the same amounts, booked in HKD at the rate of the
        invoice date; both sides agree in CNY."""
        cny, hkd = self.env.ref("base.CNY"), self.env.ref("base.HKD")
        hkd.active = True
        self.retail.currency_id = hkd
        self.env["res.currency.rate"].create(
            [
                {"currency_id": hkd.id, "company_id": self.retail.id, "name": "2026-01-01", "rate": 1.0},
                {"currency_id": cny.id, "company_id": self.retail.id, "name": "2026-11-01", "rate": 0.80},
                {"currency_id": cny.id, "company_id": self.retail.id, "name": "2026-11-20", "rate": 0.95},
            ]
        )
        order = (
            self.env["purchase.order"]
            .with_user(self.buyer)
            .with_company(self.retail)
            .create(
                {
                    "partner_id": self.wholesale.partner_id.id,
                    "currency_id": cny.id,
                    "order_line": [
                        Command.create({"product_id": p.id, "product_qty": 10, "price_unit": 1.0})
                        for p in self.products[:3]
                    ],
                }
            )
        )
        order.button_confirm()
        invoice = self._invoice(self._deliver_all(order))
        bill = self._bill_of(invoice)
        self.assertEqual((bill.currency_id, bill.company_currency_id, bill.state), (cny, hkd, "posted"))
        self.assertCents(bill.amount_total, invoice.amount_total)
        # HKD at the invoice date's rate (0.95 CNY a HKD), not the earlier 0.80
        self.assertAlmostEqual(-bill.amount_total_signed, invoice.amount_total / 0.95, delta=0.02)
        payable = bill.line_ids.filtered(lambda line: line.account_id.account_type == "liability_payable")
        self.assertCents(-payable.amount_currency, invoice.amount_total)
        # each line is converted and rounded on its own: the total may differ by a cent per line
        self.assertAlmostEqual(-payable.balance, invoice.amount_total / 0.95, delta=0.01 * len(bill.line_ids))
        result = self.rule.with_user(self.auditor).action_check(date="2026-11-30")
        self.assertTrue(result["agree"], result["mismatches"])
        self.assertEqual(
            result["balances"],
            [
                {
                    "currency": "CNY",
                    "receivable": invoice.amount_total,
                    "payable": invoice.amount_total,
                    "difference": 0.0,
                }
            ],
        )
