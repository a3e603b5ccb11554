# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase

from odoo.addons.omni_purchase.tests.common import NOW

from .common import OmniPurchasePaymentTestMixin


@freeze_time(NOW)
class TestPaymentRequest(OmniPurchasePaymentTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(NOW):
            cls._setup_omni_purchase_payment()

    def _bill(self, vendor, product, qty, price):
        po = self._po(vendor, [(product, qty, price)])
        self._receive(po, {po.order_line: qty})
        po.action_omni_bill_received()
        return self._post_bill(po.invoice_ids)

    def _request(self, bills, user=None):
        model = self.env["omni.purchase.payment.request"].with_user(user or self.buyer)
        return model._omni_create_from_bills(bills.with_user(user or self.buyer))

    def test_flow_draft_to_paid_once(self):
        bill_1 = self._bill(self.vendor, self.tea, 3, 33.33)
        bill_2 = self._bill(self.vendor, self.tea, 1, 0.01)
        bill_3 = self._bill(self.vendor_2, self.cup, 2, 7.5)
        requests = self._request(bill_1 | bill_2 | bill_3)
        self.assertEqual(len(requests), 2, "one request per vendor")
        request = requests.filtered(lambda r: r.partner_id == self.vendor)
        self.assertTrue(request.name.startswith("PAYR/2026/"), request.name)
        self.assertEqual(request.amount_total, 100.00)
        self.assertEqual(bill_1.omni_payment_requested, 99.99)
        request.action_submit()
        self.assertEqual((request.state, request.submitted_uid), ("submitted", self.buyer))
        # nothing of a submitted request changes by editing
        with self._raises("no longer a draft"):
            request.line_ids[0].with_user(self.buyer).amount = 1.0
        with self._raises("actions"):
            request.with_user(self.buyer).write({"state": "approved"})
        # approval is a finance manager's
        for user in (self.buyer, self.accountant, self.purchase_manager):
            with self.assertRaises(AccessError):
                request.with_user(user).action_approve()
        with self._raises("cannot be paid"):
            request.with_user(self.accountant).action_pay()
        request.with_user(self.finance_manager).action_approve()
        self.assertEqual(request.approved_uid, self.finance_manager)
        with self.assertRaises(AccessError):
            request.with_user(self.buyer).action_pay()
        request.with_user(self.accountant).write({"journal_id": self.bank_journal.id})
        request.with_user(self.accountant).action_pay()
        self.assertEqual(request.state, "paid")
        self.assertEqual(len(request.payment_ids), 2)
        self.assertEqual(sorted(request.payment_ids.mapped("amount")), [0.01, 99.99])
        self.assertEqual((bill_1 | bill_2).mapped("payment_state"), ["paid", "paid"])
        self.assertEqual(bill_1.omni_payment_requested, 0)
        # twice: nothing more
        request.with_user(self.accountant).action_pay()
        self.assertEqual(len(request.payment_ids), 2)
        self.assertEqual(
            self.env["account.payment"].search_count([("partner_id", "=", self.vendor.id)]), 2, "paid once"
        )
        self.assertIn("Paid", request.message_ids[0].body)
        self.assertRegex(request.message_ids[0].body, r"Paid \S*\s?100\.00 in 2 payment", "amount with its currency")

    def test_partial_and_nothing_requested_twice(self):
        bill = self._bill(self.vendor, self.tea, 10, 10.0)
        first = self._request(bill)
        self.assertEqual(first.amount_total, 100.0)
        # the whole bill is in an open request: a second one is refused
        with self._raises("nothing is paid twice"):
            self.env["omni.purchase.payment.request"].with_user(self.buyer).create(
                {
                    "partner_id": self.vendor.id,
                    "company_id": self.company.id,
                    "line_ids": [Command.create({"move_id": bill.id, "amount": 0.01})],
                }
            )
        with self._raises("Nothing left to request"):
            self._request(bill)
        first.line_ids.amount = 60.0
        second = (
            self.env["omni.purchase.payment.request"]
            .with_user(self.buyer)
            .create(
                {
                    "partner_id": self.vendor.id,
                    "company_id": self.company.id,
                    "line_ids": [Command.create({"move_id": bill.id, "amount": 40.0})],
                }
            )
        )
        self.assertEqual(bill.omni_payment_requested, 100.0)
        with self._raises(first.name):
            second.line_ids.amount = 40.01
        with self._raises("still owes"):
            first.line_ids.amount = 100.01
        # a cancelled request frees its amount
        first.action_cancel()
        self.assertEqual(bill.omni_payment_requested, 40.0)
        second.line_ids.amount = 100.0
        # resetting the cancelled one to draft is refused while the other asks everything
        with self._raises("nothing is paid twice"):
            first.action_draft()
        # pay the second in part: the bill still owes the rest
        second.line_ids.amount = 30.0
        second.action_submit()
        second.with_user(self.finance_manager).action_approve()
        second.with_user(self.accountant).action_pay()
        self.assertEqual(bill.payment_state, "partial")
        self.assertEqual(bill.amount_residual, 70.0)
        third = self._request(bill)
        self.assertEqual(third.amount_total, 70.0, "what is still due")

    def test_bill_paid_elsewhere_meanwhile(self):
        bill = self._bill(self.vendor, self.tea, 2, 50.0)
        request = self._request(bill)
        request.action_submit()
        request.with_user(self.finance_manager).action_approve()
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=bill.ids).create(
            {"amount": 30.0, "payment_difference_handling": "open"}
        )._create_payments()
        with self._raises(r"still owes \S*\s?70\.00"):
            request.with_user(self.accountant).action_pay()
        self.assertEqual(request.state, "approved")

    def test_guards_and_preconditions(self):
        bill = self._bill(self.vendor, self.tea, 1, 10.0)
        Request = self.env["omni.purchase.payment.request"].with_user(self.buyer)
        with self._raises("cannot be created"):
            Request.create({"partner_id": self.vendor.id, "state": "approved"})
        with self._raises("not a bill of"):
            Request.create(
                {"partner_id": self.vendor_2.id, "line_ids": [Command.create({"move_id": bill.id, "amount": 1})]}
            )
        with self._raises("positive"):
            Request.create(
                {"partner_id": self.vendor.id, "line_ids": [Command.create({"move_id": bill.id, "amount": 0})]}
            )
        empty = Request.create({"partner_id": self.vendor.id})
        with self._raises("no bill"):
            empty.action_submit()
        request = self._request(bill)
        request.action_submit()
        request.with_user(self.finance_manager).action_refuse()
        self.assertEqual(request.state, "refused")
        self.assertEqual(bill.omni_payment_requested, 0)
        with self._raises("only draft or cancelled"):
            request.unlink()
        request.action_draft()
        self.assertEqual((request.state, bill.omni_payment_requested), ("draft", 10.0))

    def test_other_company_user_sees_nothing(self):
        bill = self._bill(self.vendor, self.tea, 1, 10.0)
        request = self._request(bill)
        request.action_submit()
        Request = self.env["omni.purchase.payment.request"].with_user(self.other_user)
        self.assertFalse(Request.search([("id", "=", request.id)]))
        with self.assertRaises(AccessError):
            request.with_user(self.other_user).action_approve()

    def _ctid(self, table, record):
        self.env.flush_all()
        self.env.cr.execute(f"SELECT ctid FROM {table} WHERE id = %s", [record.id])  # noqa: S608 (test tables)
        return self.env.cr.fetchone()[0]

    def test_requesting_a_bill_rewrites_its_row(self):
        """What keeps two people from requesting one bill at once: every
        request change rewrites the bill's row under lock, so a second
        transaction waiting on it fails with a concurrent update (REPEATABLE
        READ), is replayed by Odoo and then sees the first request. Checked
        here on the row's physical version (ctid), since a TransactionCase's
        data is invisible to a second cursor."""
        bill = self._bill(self.vendor, self.tea, 1, 10.0)
        before = self._ctid("account_move", bill)
        request = self._request(bill)
        after_create = self._ctid("account_move", bill)
        self.assertNotEqual(before, after_create)
        request.line_ids.amount = 5.0
        self.assertNotEqual(after_create, self._ctid("account_move", bill))
        # the same for a request's own row when it is paid (two Pay at once)
        request.action_submit()
        request.with_user(self.finance_manager).action_approve()
        before_pay = self._ctid("omni_purchase_payment_request", request)
        request.with_user(self.accountant).action_pay()
        self.assertNotEqual(before_pay, self._ctid("omni_purchase_payment_request", request))

    # ------------------------------------------------------------------
    # Audit fixes
    # ------------------------------------------------------------------
    def test_total_and_related_figures_not_writable(self):
        """The requested total is the lines' sum, whoever writes: a client
        cannot set it on create or write, nor a bill's figures through a line."""
        bill = self._bill(self.vendor, self.tea, 3, 456.9366)
        request = self._request(bill)
        total = request.amount_total
        for user in (self.buyer, self.accountant, self.finance_manager):
            with self._raises("actions"):
                request.with_user(user).write({"amount_total": 1.00})
        request.action_submit()
        with self._raises("actions"):
            request.with_user(self.buyer).write({"amount_total": 1.00})
        with self._raises("actions"):
            request.with_user(self.buyer).with_context(omni_guarded_write=True).write({"amount_total": 1.00})
        self.assertEqual(request.amount_total, total)
        with self._raises("actions"):
            self.env["omni.purchase.payment.request"].with_user(self.buyer).create(
                {"partner_id": self.vendor.id, "amount_total": 0.0}
            )
        with self._raises("actions"):
            request.line_ids.with_user(self.buyer).write({"bill_amount": 1.0})
        with self._raises("actions"):
            request.line_ids.with_user(self.buyer).write({"state": "approved"})
        request.with_user(self.finance_manager).action_approve()
        request.with_user(self.accountant).action_pay()
        self.assertEqual(request.payment_ids.amount, total)
        self.assertIn(f"{total:,.2f}", request.message_ids[0].body, "the chatter says what was paid")

    def test_journal_after_approval_is_the_payers(self):
        bill = self._bill(self.vendor, self.tea, 1, 10.0)
        other_bank = self.env["account.journal"].create(
            {"name": "Omni Second Bank", "code": "OBK2", "type": "bank", "company_id": self.company.id}
        )
        request = self._request(bill)
        self.env.cr.flush()  # as if committed: a record is tracked from its next transaction on
        request.with_user(self.buyer).journal_id = other_bank
        request.action_submit()
        request.with_user(self.buyer).journal_id = self.bank_journal
        request.with_user(self.finance_manager).action_approve()
        with self.assertRaisesRegex(AccessError, "only an accountant who pays"):
            request.with_user(self.buyer).write({"journal_id": other_bank.id})
        purchase_journal = self.env["account.journal"].search(
            [("type", "=", "purchase"), ("company_id", "=", self.company.id)], limit=1
        )
        with self._raises("bank or cash journal"):
            request.with_user(self.accountant).write({"journal_id": purchase_journal.id})
        # a client's context keys do not turn the tracking of the change off
        request.with_user(self.accountant).with_context(tracking_disable=True, mail_notrack=True).write(
            {"journal_id": other_bank.id}
        )
        self.env.flush_all()
        self.env.cr.flush()  # tracking values are written before commit
        tracked = self.env["mail.tracking.value"].search(
            [("mail_message_id.model", "=", request._name), ("mail_message_id.res_id", "=", request.id)]
        )
        tracked = tracked.filtered(lambda t: t.field_id.name == "journal_id")
        self.assertTrue(tracked, "the journal change is tracked")
        self.assertEqual(tracked[:1].new_value_char, other_bank.display_name)
        request.with_user(self.accountant).action_pay()
        self.assertEqual(request.payment_ids.journal_id, other_bank)
        with self._raises("no longer changes"):
            request.with_user(self.finance_manager).write({"journal_id": self.bank_journal.id})

    def test_cancel_approved_has_its_own_message(self):
        bill = self._bill(self.vendor, self.tea, 1, 10.0)
        request = self._request(bill)
        request.action_submit()
        request.with_user(self.finance_manager).action_approve()
        with self.assertRaisesRegex(AccessError, "cancels an approved payment request"):
            request.with_user(self.buyer).action_cancel()
        self.assertEqual(request.state, "approved")
        request.with_user(self.finance_manager).action_cancel()
        self.assertEqual(request.state, "cancel")

    def test_other_company_records_are_unknown(self):
        """Another company's bill or vendor is answered as a missing one: no
        name, the same words whether the record exists elsewhere or not."""
        bill = self._bill(self.vendor, self.tea, 1, 10.0)
        own_vendor = self.env["res.partner"].create({"name": "Other Co Vendor", "company_id": self.other_company.id})
        Request = self.env["omni.purchase.payment.request"].with_user(self.other_user)
        missing = self.env["account.move"].search([], order="id desc", limit=1).id + 1000
        answers = {}
        for move_id in (bill.id, missing):
            with self._raises(f"Unknown bill id {move_id}") as caught:
                Request.create(
                    {"partner_id": own_vendor.id, "line_ids": [Command.create({"move_id": move_id, "amount": 1})]}
                )
            answers[move_id] = str(caught.exception).replace(str(move_id), "ID")
        self.assertEqual(answers[bill.id], answers[missing], "the same answer whether it exists or not")
        for secret in (bill.name, self.vendor.name, self.company.name):
            self.assertNotIn(secret, answers[bill.id])
        for partner_id in (self.vendor.id, missing):
            with self._raises(f"Unknown vendor id {partner_id}") as caught:
                Request.create({"partner_id": partner_id})
            self.assertNotIn(self.vendor.name, str(caught.exception))
        with self._raises(f"Unknown journal id {self.bank_journal.id}"):
            Request.create({"partner_id": own_vendor.id, "journal_id": self.bank_journal.id})
        with self._raises(f"Unknown bill id {bill.id}"):
            Request._omni_create_from_bills(bill.with_user(self.other_user))
        # nor through a draft of its own
        draft = Request.create({"partner_id": own_vendor.id})
        with self._raises(f"Unknown bill id {bill.id}"):
            draft.write({"line_ids": [Command.create({"move_id": bill.id, "amount": 1})]})
        with self._raises(f"Unknown vendor id {self.vendor.id}"):
            draft.write({"partner_id": self.vendor.id})

    def test_new_request_is_named_in_messages(self):
        po = self._po(self.vendor, [(self.tea, 1, 10.0)])
        self._receive(po, {po.order_line: 1})
        po.action_omni_bill_received()
        draft_bill = po.invoice_ids
        with self._raises("^the new payment request: .* is not a posted vendor bill") as caught:
            self.env["omni.purchase.payment.request"].with_user(self.buyer).create(
                {"partner_id": self.vendor.id, "line_ids": [Command.create({"move_id": draft_bill.id, "amount": 1})]}
            )
        self.assertNotIn("/:", str(caught.exception))
        bill = self._post_bill(draft_bill)
        first = self._request(bill)
        with self._raises(r"still owes \S*\s?10\.00 .*ask \S*\s?20\.00") as caught:
            self.env["omni.purchase.payment.request"].with_user(self.buyer).create(
                {"partner_id": self.vendor.id, "line_ids": [Command.create({"move_id": bill.id, "amount": 10})]}
            )
        message = str(caught.exception)
        self.assertIn(first.name, message)
        self.assertIn("the new payment request", message)
        self.assertNotIn("/,", message)

    def test_copy_refused_without_using_a_number(self):
        bill = self._bill(self.vendor, self.tea, 1, 10.0)
        request = self._request(bill)
        sequence = self.env["ir.sequence"].search([("code", "=", "omni.purchase.payment.request")])
        before = sequence.number_next_actual
        count = self.env["omni.purchase.payment.request"].search_count([])
        for state_request in (request,):
            with self._raises("not copied"):
                state_request.with_user(self.buyer).copy()
        request.action_submit()
        request.with_user(self.finance_manager).action_approve()
        with self._raises("not copied"):
            request.with_user(self.finance_manager).copy()
        self.assertEqual(self.env["omni.purchase.payment.request"].search_count([]), count)
        sequence.invalidate_recordset()
        self.assertEqual(sequence.number_next_actual, before, "no number used up")
