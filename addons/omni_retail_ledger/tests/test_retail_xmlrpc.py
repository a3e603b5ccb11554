# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import importlib.util
from datetime import datetime
from pathlib import Path
from xmlrpc.client import Fault

from odoo.tests import HttpCase, tagged
from odoo.tools import config

from .common import DAY, RetailLedgerTestMixin

EXAMPLE = Path(__file__).resolve().parents[3] / "scripts" / "xmlrpc_retail_ledger_example.py"
ORDER_DAY = "2026-11-11"  # the platform order time of the test orders (10:30 in Shanghai)


@tagged("post_install", "-at_install")
class TestRetailLedgerXmlRpc(RetailLedgerTestMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_retail_ledger()
        cls.o1 = cls._ship(cls._import("TMALL01", "X1", [("TM-TEA-250G", "2", "45.67")]))
        cls.o2 = cls._ship(cls._import("TMALL01", "X2", [("TM-HONEY-500G", "3", "19.99")], payment_method="cod"))
        cls.o3 = cls._import("TMALL01", "X3", [("TM-HONEY-500G", "1", "19.99")])  # not shipped yet
        cls.aftersale = cls._return(cls.o1, 30.0, datetime(2026, 11, 20, 9, 0, 0))
        Record = cls.env["omni.retail.record"]
        cls.records = Record.browse(Record.generate(DAY)["records"])
        cls.records.action_post()
        accountant = "omni_retail_ledger.group_retail_ledger_accountant"
        cls.user_a = cls._create_omni_user("ledger_rpc_a", cls.company, accountant)
        cls.company_b = cls.env["res.company"].create({"name": "Retail RPC B"})
        cls.user_b = cls._create_omni_user("ledger_rpc_b", cls.company_b, accountant)

    def _call(self, user, method, *args, **kwargs):
        password = user.login + "-Pass-123"
        uid = self.xmlrpc_common.login(self.env.cr.dbname, user.login, password)
        self.assertEqual(uid, user.id)
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, password, "omni.retail.record", method, list(args), kwargs
        )

    def test_pull_and_mark_exported(self):
        orders = self._call(self.user_a, "pull_orders", "TMALL01", ORDER_DAY)
        self.assertEqual(
            sorted((o["platform_order_no"], o["state"]) for o in orders),
            [("X1", "shipped"), ("X2", "shipped"), ("X3", "confirmed")],
        )
        self.assertEqual(orders[0]["order_time"][:10], "2026-11-11")
        records = self._call(self.user_a, "pull_records", "TMALL01", DAY, DAY)
        self.assertEqual(sorted(r["kind"] for r in records), ["return", "sale"])
        sale = next(r for r in records if r["kind"] == "sale")
        sale_orders = (self.o1 | self.o2).sale_order_id
        self.assertEqual(sale["amount_total"], round(sum(sale_orders.mapped("amount_total")), 2))
        self.assertEqual(sorted(line["reference"] for line in sale["lines"]), ["X1", "X2"])
        self.assertEqual(sale["state"], "posted")
        self.assertTrue(sale["journal_entry"])
        returns = self._call(self.user_a, "pull_returns", "TMALL01", DAY)
        self.assertEqual([(r["name"], r["refund_amount"]) for r in returns], [(self.aftersale.name, 30.0)])
        self.assertTrue(returns[0]["retail_record"])

        self.assertEqual(self._call(self.user_a, "mark_exported", "omni.order", [o["id"] for o in orders]), 3)
        self.assertEqual(self._call(self.user_a, "mark_exported", "omni.order", [o["id"] for o in orders]), 0)
        self.assertEqual(self._call(self.user_a, "mark_exported", "omni.retail.record", [r["id"] for r in records]), 2)
        self.assertEqual(self._call(self.user_a, "mark_exported", "omni.aftersale", [returns[0]["id"]]), 1)
        self.assertEqual(self._call(self.user_a, "pull_orders", "TMALL01", ORDER_DAY), [])
        self.assertEqual(self._call(self.user_a, "pull_records", "TMALL01", DAY, DAY), [])
        self.assertEqual(self._call(self.user_a, "pull_returns", "TMALL01", DAY), [])
        again = self._call(self.user_a, "pull_records", "TMALL01", DAY, DAY, only_new=False)
        self.assertTrue(all(r["exported_at"] for r in again))
        with self.assertRaises(Fault) as err:
            self._call(self.user_a, "mark_exported", "res.partner", [1])
        self.assertIn("Cannot mark res.partner", err.exception.faultString)

    def test_other_company_gets_nothing(self):
        with self.assertRaises(Fault) as err:
            self._call(self.user_b, "pull_records", "TMALL01", DAY, DAY)
        self.assertIn("No channel with unit code", err.exception.faultString)
        with self.assertRaises(Fault):
            self._call(self.user_b, "read", self.records.ids, ["name"])
        self.assertEqual(self._call(self.user_b, "mark_exported", "omni.retail.record", self.records.ids), 0)
        self.assertEqual(self._call(self.user_b, "search_read", [], fields=["name"]), [])

    def test_example_script(self):
        spec = importlib.util.spec_from_file_location("xmlrpc_retail_ledger_example", EXAMPLE)
        example = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(example)
        printed = []
        args = [
            "--url", f"http://127.0.0.1:{config['http_port']}", "--db", self.env.cr.dbname,
            "--user", self.user_a.login, "--password", self.user_a.login + "-Pass-123",
            "--code", "TMALL01", "--date", DAY, "--mark-exported",
        ]  # fmt: skip
        pulled = example.main(args, out=printed.append)
        self.assertEqual(len(pulled["records"]), 2)
        self.assertIn("marked 3 rows exported", printed)
        printed.clear()
        pulled = example.main(args, out=printed.append)
        self.assertEqual(pulled, {"orders": [], "records": [], "returns": []})
        self.assertIn("TMALL01 2026-11-20: 0 new orders, 0 retail records, 0 returns", printed)
