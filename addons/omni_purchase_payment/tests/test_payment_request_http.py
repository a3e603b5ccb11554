# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from xmlrpc.client import Fault

from odoo.tests import HttpCase, tagged

from .common import OmniPurchasePaymentTestMixin


@tagged("post_install", "-at_install")
class TestPaymentRequestHttp(OmniPurchasePaymentTestMixin, HttpCase):
    """The whole flow over XML-RPC, each step by the person whose job it is;
    the guards hold for a client as they do in Python."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_purchase_payment()

    def _rpc(self, user, model, method, *args, **kwargs):
        password = user.login + "-Pass-123"
        uid = self.xmlrpc_common.login(self.env.cr.dbname, user.login, password)
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, password, model, method, list(args), kwargs)

    def test_xmlrpc_bill_request_approve_pay(self):
        po = self._po(self.vendor, [(self.tea, 10, 12.34)])
        self._receive(po, {po.order_line: 6})
        self._rpc(self.buyer, "purchase.order", "action_omni_bill_received", po.ids)
        bill = po.invoice_ids
        self.assertEqual((bill.invoice_line_ids.quantity, bill.amount_total), (6, 74.04))
        with self.assertRaises(Fault) as err:
            self._rpc(self.buyer, "purchase.order", "action_omni_bill_received", po.ids)
        self.assertIn("Nothing to bill", err.exception.faultString)
        self._rpc(self.accountant, "account.move", "write", bill.ids, {"invoice_date": str(self._today())})
        self._rpc(self.accountant, "account.move", "action_post", bill.ids)
        self.assertEqual(bill.state, "posted")

        action = self._rpc(self.buyer, "account.move", "action_omni_payment_request", bill.ids)
        request = self.env["omni.purchase.payment.request"].browse(action["res_id"])
        self.assertEqual(request.amount_total, 74.04)
        model = "omni.purchase.payment.request"
        self._rpc(self.buyer, model, "action_submit", request.ids)
        for values in ({"state": "approved"}, {"approved_uid": self.buyer.id}):
            with self.assertRaises(Fault) as err:
                self._rpc(self.buyer, model, "write", request.ids, values, context={"omni_guarded_write": True})
            self.assertIn("actions", err.exception.faultString)
        # the total the approver sees is the lines' sum, whoever writes
        with self.assertRaises(Fault) as err:
            self._rpc(self.buyer, model, "write", request.ids, {"amount_total": 1.0})
        self.assertIn("actions", err.exception.faultString)
        self.assertEqual(request.amount_total, 74.04)
        with self.assertRaises(Fault):
            self._rpc(self.buyer, model, "action_approve", request.ids)
        self._rpc(self.finance_manager, model, "action_approve", request.ids)
        self._rpc(self.accountant, model, "action_pay", request.ids)
        self._rpc(self.accountant, model, "action_pay", request.ids)
        self.assertEqual(request.state, "paid")
        self.assertEqual(len(request.payment_ids), 1)
        self.assertEqual(request.payment_ids.amount, 74.04)
        self.assertEqual(bill.payment_state, "paid")
        # another company's user sees nothing of it
        found = self._rpc(self.other_user, model, "search_count", [("id", "=", request.id)])
        self.assertEqual(found, 0)
