# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase

from odoo.addons.omni_purchase.tests.common import NOW

from .common import OmniPurchasePaymentTestMixin


@freeze_time(NOW)
class TestBilling(OmniPurchasePaymentTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(NOW):
            cls._setup_omni_purchase_payment()

    def _bills(self, orders):
        return orders.invoice_ids

    def test_bill_received_per_vendor_once(self):
        po1 = self._po(self.vendor, [(self.tea, 10, 12.34), (self.lonely, 5, 3.33)])
        po2 = self._po(self.vendor, [(self.tea, 4, 12.35)])
        po3 = self._po(self.vendor_2, [(self.cup, 6, 1.01)])
        self._receive(po1, {po1.order_line[0]: 7, po1.order_line[1]: 0})
        self._receive(po2, {po2.order_line: 4})
        self._receive(po3, {po3.order_line: 6})
        (po1 | po2 | po3).with_user(self.buyer).action_omni_bill_received()
        bills = (po1 | po2 | po3).invoice_ids
        self.assertEqual(len(bills), 2, "one bill per vendor")
        bill_1 = po1.invoice_ids
        self.assertEqual(po2.invoice_ids, bill_1, "orders of one vendor on one bill")
        self.assertEqual(bill_1.partner_id, self.vendor)
        self.assertIn(po1.name, bill_1.invoice_origin)
        self.assertIn(po2.name, bill_1.invoice_origin)
        self.assertEqual(
            sorted(bill_1.invoice_line_ids.mapped(lambda aml: (aml.purchase_line_id.id, aml.quantity, aml.price_unit))),
            sorted([(po1.order_line[0].id, 7.0, 12.34), (po2.order_line.id, 4.0, 12.35)]),
            "received − billed, at the order's prices; nothing for what was not received",
        )
        self.assertAlmostEqual(bill_1.amount_total, 86.38 + 49.40, places=2)
        self.assertEqual(po3.invoice_ids.amount_total, 6.06)
        # twice: nothing more is billed
        with self._raises("Nothing to bill"):
            (po1 | po2 | po3).with_user(self.buyer).action_omni_bill_received()
        self.assertEqual((po1 | po2 | po3).invoice_ids, bills)
        # the rest arrives: only the difference is billed, from the vendor
        self._receive(po1, {po1.order_line[0]: 3, po1.order_line[1]: 5})
        self.vendor.with_user(self.buyer).action_omni_bill_received()
        new_bill = po1.invoice_ids - bill_1
        self.assertEqual(
            sorted(new_bill.invoice_line_ids.mapped("quantity")), [3.0, 5.0], "the second bill has the rest only"
        )
        self.assertEqual(po1.order_line.mapped("qty_to_invoice"), [0.0, 0.0])

    def test_to_bill_lines_action(self):
        po = self._po(self.vendor, [(self.tea, 10, 2.5), (self.cup, 3, 1.0)])
        self._receive(po, {po.order_line[0]: 10, po.order_line[1]: 3})
        po.order_line[0].with_user(self.buyer).action_omni_create_bills()
        self.assertEqual(po.invoice_ids.invoice_line_ids.purchase_line_id, po.order_line[0], "selected lines only")
        self.assertEqual(po.order_line[1].qty_to_invoice, 3)

    def test_bill_above_received_needs_a_purchase_manager(self):
        po = self._po(self.vendor, [(self.tea, 10, 5.0)])
        line = po.order_line
        self._receive(po, {line: 8})
        po.action_omni_bill_received()
        bill = po.invoice_ids
        self.assertEqual(bill.invoice_line_ids.quantity, 8)
        bill.invoice_line_ids.quantity = 10  # the vendor billed what was ordered
        self.assertTrue(bill.omni_overbilled)
        bill.invoice_date = self._today()
        with self.assertRaises(UserError) as refused:
            bill.with_user(self.accountant).action_post()
        message = str(refused.exception)
        for part in (po.name, self.tea.display_name, "received 8.0", "billed 10.0"):
            self.assertIn(part, message)
        self.assertEqual(bill.state, "draft")
        # a context key is no permission; a buyer or an accountant cannot accept
        with self.assertRaises(UserError):
            bill.with_user(self.accountant).with_context(omni_overbill_strict=False).action_post()
        for user in (self.buyer, self.accountant):
            with self.assertRaises(AccessError):
                bill.with_user(user).action_omni_accept_overbilling()
        with self._raises("actions"):
            bill.invoice_line_ids.with_user(self.accountant).write({"omni_overbill_accepted_qty": 10})
        bill.with_user(self.purchase_manager).action_omni_accept_overbilling()
        self.assertEqual(bill.omni_overbill_accepted_uid, self.purchase_manager)
        self.assertTrue(bill.omni_overbill_accepted_date)
        self.assertIn("accepted by", bill.message_ids[0].body)
        self.assertFalse(bill.omni_overbilled)
        # raising the quantity after the acceptance needs a new one
        bill.invoice_line_ids.quantity = 11
        with self.assertRaises(UserError):
            bill.with_user(self.accountant).action_post()
        bill.invoice_line_ids.quantity = 10
        bill.with_user(self.accountant).action_post()
        self.assertEqual(bill.state, "posted")
        # a second bill on top is above received again; a finance manager's
        # own posting is the acceptance, recorded
        bill_2 = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.vendor.id,
                "company_id": self.company.id,
                "invoice_date": self._today(),
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": self.tea.id, "quantity": 1, "price_unit": 5.0, "purchase_line_id": line.id}
                    )
                ],
            }
        )
        with self._raises("billed 11.0"):
            bill_2.with_user(self.accountant).action_post()
        bill_2.with_user(self.finance_manager).action_post()
        self.assertEqual(bill_2.state, "posted")
        self.assertEqual(bill_2.omni_overbill_accepted_uid, self.finance_manager)
        self.assertEqual(bill_2.invoice_line_ids.omni_overbill_accepted_qty, 1)
        self.assertIn("when posting", bill_2.message_ids.mapped("body")[0] + "".join(bill_2.message_ids.mapped("body")))

    def test_within_received_posts_and_refunds_count(self):
        po = self._po(self.vendor, [(self.tea, 10, 5.0)])
        self._receive(po, {po.order_line: 10})
        po.action_omni_bill_received()
        bill = self._post_bill(po.invoice_ids, self.accountant)
        self.assertEqual(bill.state, "posted")

    def test_ordered_quantity_policy(self):
        """Products billed on ordered quantities may be billed before they
        arrive, up to what was ordered (or received, if more)."""
        self.cup.purchase_method = "purchase"
        po = self._po(self.vendor_2, [(self.cup, 5, 2.0)])
        po.action_omni_bill_received()
        bill = po.invoice_ids
        self.assertEqual(bill.invoice_line_ids.quantity, 5)
        self._post_bill(bill, self.accountant)
        bill_2 = po.invoice_ids.copy({"invoice_date": self._today()})
        bill_2.invoice_line_ids.write({"purchase_line_id": po.order_line.id, "quantity": 1})
        with self._raises("billed 6.0"):
            bill_2.with_user(self.accountant).action_post()

    def test_other_company_sees_nothing_to_bill(self):
        po = self._po(self.vendor, [(self.tea, 2, 5.0)])
        self._receive(po, {po.order_line: 2})
        lines = self.env["purchase.order.line"].with_user(self.other_user).search([("qty_to_invoice", ">", 0)])
        self.assertNotIn(po.order_line, lines)

    def test_posting_rewrites_the_purchase_lines(self):
        """Two bills of one purchase line posted at once run one after the
        other: posting rewrites the purchase line's row under lock (see
        test_requesting_a_bill_rewrites_its_row for why a ctid)."""
        po = self._po(self.vendor, [(self.tea, 2, 5.0)])
        self._receive(po, {po.order_line: 2})
        po.action_omni_bill_received()
        self.env.flush_all()
        query = "SELECT ctid FROM purchase_order_line WHERE id = %s"
        self.env.cr.execute(query, [po.order_line.id])
        before = self.env.cr.fetchone()[0]
        self._post_bill(po.invoice_ids, self.accountant)
        self.env.cr.execute(query, [po.order_line.id])
        self.assertNotEqual(before, self.env.cr.fetchone()[0])

    # ------------------------------------------------------------------
    # Unit prices above the order's
    # ------------------------------------------------------------------
    def test_price_above_order_needs_a_manager(self):
        po = self._po(self.vendor, [(self.tea, 10, 3.33), (self.cup, 4, 20.0)])
        tea_line, cup_line = po.order_line
        self._receive(po, {tea_line: 10, cup_line: 4})
        po.action_omni_bill_received()
        bill = po.invoice_ids
        self.assertEqual(bill.amount_total, 113.30)
        tea_aml = bill.invoice_line_ids.filtered(lambda aml: aml.purchase_line_id == tea_line)
        self.assertFalse(bill.omni_overbilled)
        tea_aml.price_unit = 9.99  # the quantity is right, the price is not
        self.assertTrue(bill.omni_overbilled)
        bill.invoice_date = self._today()
        with self.assertRaises(UserError) as refused:
            bill.with_user(self.accountant).action_post()
        message = str(refused.exception)
        for part in (po.name, self.tea.display_name, "above the order's price", "3.33", "9.99"):
            self.assertIn(part, message)
        self.assertNotIn(self.cup.display_name, message, "only the line above its price")
        self.assertEqual(bill.state, "draft")
        for user in (self.buyer, self.accountant):
            with self.assertRaises(AccessError):
                bill.with_user(user).action_omni_accept_overbilling()
        with self._raises("actions"):
            tea_aml.with_user(self.accountant).write({"omni_overbill_accepted_price": 99})
        bill.with_user(self.purchase_manager).action_omni_accept_overbilling()
        self.assertEqual(bill.omni_overbill_accepted_uid, self.purchase_manager)
        self.assertAlmostEqual(tea_aml.omni_overbill_accepted_price, 9.99)
        self.assertIn("9.99", bill.message_ids[0].body)
        self.assertFalse(bill.omni_overbilled)
        # a higher price after the acceptance needs a new one; back to the
        # accepted price posts
        tea_aml.price_unit = 10.0
        with self._raises("billed at"):
            bill.with_user(self.accountant).action_post()
        tea_aml.price_unit = 9.99
        bill.with_user(self.accountant).action_post()
        self.assertEqual(bill.state, "posted")

    def test_price_compared_after_discount_unit_and_currency(self):
        po = self._po(self.vendor, [(self.tea, 24, 3.33)])
        line = po.order_line
        self._receive(po, {line: 24})
        po.action_omni_bill_received()
        bill = po.invoice_ids
        aml = bill.invoice_line_ids
        # the order's price as 3.70 less 10 %: the same price
        aml.write({"price_unit": 3.70, "discount": 10.0})
        self.assertFalse(bill.omni_overbilled)
        # in dozens at twelve times the price: the same price
        dozen = self.env.ref("uom.product_uom_dozen")
        aml.write({"product_uom_id": dozen.id, "quantity": 2, "price_unit": 39.96, "discount": 0.0})
        self.assertFalse(bill.omni_overbilled)
        aml.price_unit = 40.08  # 3.34 a unit
        self.assertTrue(bill.omni_overbilled)
        aml.price_unit = 39.96
        # in another currency at twice the company's: 6.66 a unit is the same
        other = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("id", "!=", self.company.currency_id.id), ("name", "in", ("EUR", "USD"))], limit=1)
        )
        other.active = True
        self.env["res.currency.rate"].create(
            {"currency_id": other.id, "company_id": self.company.id, "name": "2026-01-01", "rate": 2.0}
        )
        aml.product_uom_id = line.product_uom
        bill.write({"currency_id": other.id, "invoice_date": self._today()})
        aml.write({"quantity": 24, "price_unit": 6.66})
        self.assertFalse(bill.omni_overbilled)
        aml.price_unit = 6.70
        self.assertTrue(bill.omni_overbilled)
        # a finance manager's posting accepts it, recorded
        bill.with_user(self.finance_manager).action_post()
        self.assertEqual(bill.state, "posted")
        self.assertEqual(bill.omni_overbill_accepted_uid, self.finance_manager)
        self.assertAlmostEqual(aml.omni_overbill_accepted_price, 3.35)

    def test_to_bill_list_amount_and_no_average_price(self):
        po = self._po(self.vendor, [(self.tea, 10, 3.33), (self.cup, 4, 1.25)])
        po.order_line[1].discount = 20.0
        self._receive(po, {po.order_line[0]: 7, po.order_line[1]: 4})
        self.assertEqual(po.order_line.mapped("omni_amount_to_bill"), [23.31, 4.0])
        Line = self.env["purchase.order.line"].with_user(self.buyer)
        self.assertFalse(Line.fields_get(["price_unit"], ["aggregator"])["price_unit"].get("aggregator"))
        groups = Line.read_group(
            [("order_id", "=", po.id), ("qty_to_invoice", ">", 0)], ["omni_amount_to_bill:sum"], ["partner_id"]
        )
        self.assertEqual(groups[0]["omni_amount_to_bill"], 27.31)
        with self._raises("actions"):
            po.order_line[0].with_user(self.buyer).write({"omni_amount_to_bill": 1.0})
        po.action_omni_bill_received()
        self.assertEqual(po.order_line.mapped("omni_amount_to_bill"), [0.0, 0.0])

    def test_an_acceptance_stays_with_its_purchase_line(self):
        po = self._po(self.vendor, [(self.tea, 10, 3.33)])
        po_2 = self._po(self.vendor, [(self.tea, 4, 3.33)])
        self._receive(po, {po.order_line: 10})
        self._receive(po_2, {po_2.order_line: 4})
        po.action_omni_bill_received()
        bill = po.invoice_ids
        aml = bill.invoice_line_ids
        aml.write({"quantity": 1, "price_unit": 20.0})
        bill.with_user(self.purchase_manager).action_omni_accept_overbilling()
        self.assertAlmostEqual(aml.omni_overbill_accepted_price, 20.0)
        # linked to another order's line: the acceptance was not given for it
        aml.with_user(self.accountant).write({"purchase_line_id": po_2.order_line.id})
        self.assertEqual((aml.omni_overbill_accepted_price, aml.omni_overbill_accepted_qty), (0.0, 0.0))
        self.assertTrue(bill.omni_overbilled)
        bill.invoice_date = self._today()
        with self._raises("above the order's price"):
            bill.with_user(self.accountant).action_post()
        self.assertEqual(bill.state, "draft")

    def test_to_bill_list_reads_bills_to_receive_in_chinese(self):
        """The list of purchase lines whose vendor bill is still to come: 待收票
        (bills we receive), not 待开票 (invoices we issue)."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["omni_purchase_payment"], ["zh_CN"], overwrite=True)
        env_zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        self.assertEqual(env_zh.ref("omni_purchase_payment.purchase_order_line_action_to_bill").name, "待收票")
        self.assertEqual(env_zh.ref("omni_purchase_payment.menu_omni_purchase_to_bill").name, "待收票")
        line = env_zh["purchase.order.line"]
        self.assertEqual(line._fields["omni_amount_to_bill"]._description_string(env_zh), "待收票金额")
        arch = line.with_user(self.buyer).get_view(
            env_zh.ref("omni_purchase_payment.purchase_order_line_view_list_to_bill").id
        )["arch"]
        self.assertIn('string="待收票"', arch)
        self.assertNotIn("开票", arch)
