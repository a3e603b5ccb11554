# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import importlib.util
from pathlib import Path
from xmlrpc.client import Fault

from odoo.tests import HttpCase, tagged
from odoo.tools import config

from .common import IntercompanyMixin

EXAMPLE = Path(__file__).resolve().parents[3] / "scripts" / "xmlrpc_intercompany_example.py"


@tagged("post_install", "-at_install")
class TestIntercompanyXmlRpc(IntercompanyMixin, HttpCase):
    """The runnable example: a retail buyer creates a goods request and reads
    it on both sides; an accountant of both companies checks the books."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_intercompany(4)
        for user in cls.buyer | cls.auditor:
            user.password = user.login + "-Pass-123"
        spec = importlib.util.spec_from_file_location("xmlrpc_intercompany_example", EXAMPLE)
        cls.example = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(cls.example)

    def _run(self, user, *args):
        self.env.flush_all()  # the server reads what this test's ORM did
        printed = []
        argv = [
            "--url", f"http://127.0.0.1:{config['http_port']}", "--db", self.env.cr.dbname,
            "--user", user.login, "--password", user.login + "-Pass-123", *args,
        ]  # fmt: skip
        return self.example.main(argv, out=printed.append), printed

    def test_request_state_on_both_sides_and_check(self):
        result, printed = self._run(
            self.buyer, "--supplier", "IC Wholesale Co", "--line", "IC000:5", "--line", "IC001:3"
        )
        [state] = result["requests"]
        order = self.env["purchase.order"].browse(state["id"])
        sale = self._sale_of(order)
        self.assertEqual(
            (state["state"], state["sale_order"], state["sale_state"], state["ordered"], state["delivered"]),
            ("purchase", sale.name, "sale", 8.0, 0.0),
        )
        self.assertEqual(order.order_line.mapped("price_unit"), [10.0, 10.37], "the transfer prices")
        self.assertIn(f"  IC Wholesale Co sale order {sale.name} (sale): delivered 0, invoiced 0", printed)

        # wholesale ships and invoices, retail receives: the buyer reads both sides
        self._deliver_all(order)
        invoice = self._invoice(sale)
        bill = self._bill_of(invoice)
        result, printed = self._run(self.buyer, "--request", order.name)
        [state] = result["requests"]
        self.assertEqual((state["received"], state["billed"], state["delivered"], state["invoiced"]), (8, 8, 8, 8))
        self.assertEqual(
            (state["invoices"][0]["name"], state["invoices"][0]["state"], state["bills"][0]["name"]),
            (invoice.name, "posted", bill.name),
        )
        self.assertEqual(state["invoices"][0]["amount_total"], state["bills"][0]["amount_total"])

        # the check: an accountant of both companies, not the buyer
        result, printed = self._run(self.auditor, "--check", "--date", "2026-11-30")
        [check] = result["checks"]
        self.assertTrue(check["agree"])
        self.assertIn("IC Wholesale Co → IC Retail Co on 2026-11-30: books agree", printed)
        with self.assertRaises(Fault) as err:
            self._run(self.buyer, "--check")
        self.assertIn("Only accountants check the inter-company balances", err.exception.faultString)

    def test_the_other_company_reads_no_request(self):
        result, _printed = self._run(self.buyer, "--supplier", "IC Wholesale Co", "--line", "IC002:1")
        order_id = result["requests"][0]["id"]
        self.shipper.password = "ic_wholesale_shipper-Pass-123"
        self.env.flush_all()
        shipper_call = self.example.connect(
            f"http://127.0.0.1:{config['http_port']}", self.env.cr.dbname, self.shipper.login,
            "ic_wholesale_shipper-Pass-123",
        )[1]  # fmt: skip
        with self.assertRaises(Fault):
            shipper_call("purchase.order", "get_intercompany_state", [order_id])
        self.assertEqual(shipper_call("purchase.order", "search", [("id", "=", order_id)]), [])
