# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Abuse cases of the retail ledger, tried over XML-RPC by a Retail Ledger
Accountant (the lowest rights that may write retail records) or by a
Channel User on channel sale orders; each is refused and nothing changes.

- set a posted retail record back with ``write({'state': 'draft'})``
- post a draft record by writing its state (no journal entry)
- create a retail record already posted, with amounts of one's choosing
- copy a posted retail record
- create a retail record line with the generation's old context key
- release or delete a line of a posted record (its order would be posted twice)
- change a tax row of a record
- change the payment method or a line price of a channel sale order
- hide an order from the offline books by marking it exported by hand
and the check report shows a cent of difference between what buyers paid and
what was posted.
"""

from xmlrpc.client import Fault

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.omni_base.tools import guard

from .common import DAY, RetailLedgerTestMixin


@tagged("post_install", "-at_install")
class TestRetailLedgerAbuse(RetailLedgerTestMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_retail_ledger()
        cls.o1 = cls._ship(cls._import("TMALL01", "AB1", [("TM-TEA-250G", "2", "45.67")]))
        Record = cls.env["omni.retail.record"]
        cls.posted = Record.browse(Record.generate(DAY)["records"])
        cls.posted.action_post()
        cls.accountant = cls._create_omni_user(
            "ledger_abuse", cls.company, "omni_retail_ledger.group_retail_ledger_accountant"
        )
        cls.clerk = cls._create_omni_user("ledger_abuse_clerk", cls.company, "omni_channel.group_omni_channel_user")

    def _rpc(self, user, model, method, *args, **kwargs):
        password = user.login + "-Pass-123"
        uid = self.xmlrpc_common.login(self.env.cr.dbname, user.login, password)
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, password, model, method, list(args), kwargs)

    def _snapshot(self):
        self.posted.invalidate_recordset()
        return self.posted.read(["state", "move_id", "amount_total", "document_count"])

    def test_posted_record_cannot_be_set_back_to_draft(self):
        before = self._snapshot()
        with self.assertRaises(Fault):
            self._rpc(self.accountant, "omni.retail.record", "write", self.posted.ids, {"state": "draft"})
        with self.assertRaises(Fault):
            self._rpc(
                self.accountant,
                "omni.retail.record",
                "write",
                self.posted.ids,
                {"state": "draft", "move_id": False},
                context={"omni_guarded_write": True, "omni_retail_generation": True},
            )
        self.assertEqual(self._snapshot(), before)

    def test_records_are_not_created_or_copied_by_hand(self):
        count = self.env["omni.retail.record"].search_count([])
        with self.assertRaises(Fault):
            self._rpc(
                self.accountant,
                "omni.retail.record",
                "create",
                [{"name": "FAKE", "company_id": self.company.id, "channel_id": self.channel.id, "date": DAY,
                  "kind": "sale", "state": "posted", "amount_total": 999.0}],
            )  # fmt: skip
        with self.assertRaises(Fault):
            self._rpc(self.accountant, "omni.retail.record", "copy", self.posted.ids[0])
        self.assertEqual(self.env["omni.retail.record"].search_count([]), count)

    def test_lines_and_taxes_are_not_edited(self):
        line = self.posted.line_ids[:1]
        count = self.env["omni.retail.record.line"].search_count([])
        with self.assertRaises(Fault):
            self._rpc(
                self.accountant,
                "omni.retail.record.line",
                "create",
                [{"record_id": self.posted.ids[0], "company_id": self.company.id, "kind": "sale",
                  "amount_total": 500.0}],
                context={"omni_retail_generation": True},
            )  # fmt: skip
        with self.assertRaises(Fault):
            self._rpc(self.accountant, "omni.retail.record.line", "write", line.ids, {"released": True})
        with self.assertRaises(Fault):
            self._rpc(self.accountant, "omni.retail.record.line", "unlink", line.ids)
        tax = self.posted.tax_line_ids[:1]
        with self.assertRaises(Fault):
            self._rpc(self.accountant, "omni.retail.record.tax", "write", tax.ids, {"amount": 0.0})
        self.assertEqual(self.env["omni.retail.record.line"].search_count([]), count)
        line.invalidate_recordset()
        self.assertFalse(line.released)

    def test_channel_sale_order_money_is_frozen(self):
        cod = self._import("TMALL01", "AB2", [("TM-HONEY-500G", "1", "19.99")])
        sale = cod.sale_order_id
        with self.assertRaises(Fault):
            self._rpc(self.clerk, "sale.order", "write", sale.ids, {"omni_payment_method": "cod"})
        # even the administrator cannot reprice a channel order by hand
        with self.assertRaises(UserError):
            sale.order_line[:1].price_unit = 1.0
        with self.assertRaises(UserError):
            sale.order_line[:1].unlink()
        self.assertEqual(sale.omni_payment_method, "prepaid")
        self.assertAlmostEqual(sale.amount_total, 19.99, places=2)

    def test_check_report_compares_with_what_was_paid(self):
        order = self._import("TMALL01", "AB3", [("TM-HONEY-500G", "3", "19.99")])
        # a sale order a cent off what was paid (as main made them before): the check must show it
        line = order.sale_order_id.order_line[:1]
        guard.internal(line).price_unit = line.price_unit + 0.01
        self.assertAlmostEqual(order.sale_order_id.amount_total - order.paid_amount, 0.03, places=2)
        self._ship(order)
        Record = self.env["omni.retail.record"]
        Record.browse(Record.generate(DAY)["records"]).action_post()
        self.env.flush_all()
        check = self.env["omni.retail.check.report"].search(
            [("date", "=", DAY), ("channel_id", "=", self.channel.id), ("kind", "=", "sale")]
        )
        self.assertTrue(check.has_difference)
        self.assertAlmostEqual(check.difference, -0.03, places=2)

    def test_order_is_not_marked_exported_by_hand(self):
        with self.assertRaises(Fault):
            self._rpc(self.clerk, "omni.order", "write", self.o1.ids, {"retail_exported_at": "2026-11-30 10:00:00"})
        self.o1.invalidate_recordset()
        self.assertFalse(self.o1.retail_exported_at)
        # the pull API still marks it
        self.assertEqual(self.env["omni.retail.record"].mark_exported("omni.order", self.o1.ids), 1)
