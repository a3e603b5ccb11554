# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import importlib.util
from pathlib import Path
from xmlrpc.client import Fault

from odoo.tests import HttpCase, tagged
from odoo.tools import config

from .common import FILES, PostingCase, b64, sample_path, truth

EXAMPLE = Path(__file__).resolve().parents[3] / "scripts" / "xmlrpc_settlement_example.py"


@tagged("post_install", "-at_install")
class TestSettlementXmlRpc(PostingCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        book = truth("TMALL01")["orders"]
        cls._book("TMALL01", {o["order"]: float(o["paid"]) for o in book if o["settled_in_file"]})
        groups = [
            cls.env.ref("omni_settlement.group_settlement_manager").id,
            cls.env.ref("account.group_account_invoice").id,
            cls.env.ref("omni_channel.group_omni_channel_user").id,
        ]
        cls.user_a = cls._user("settle_rpc_a", cls.company, groups)
        cls.company_b = cls.env["res.company"].create({"name": "Settlement Co B"})
        cls.user_b = cls._user("settle_rpc_b", cls.company_b, groups)

    @classmethod
    def _user(cls, login, company, groups):
        return cls.env["res.users"].create(
            {
                "name": login,
                "login": login,
                "password": login + "-Pass-123",
                "email": f"{login}@example.com",
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [(6, 0, [cls.env.ref("base.group_user").id, *groups])],
            }
        )

    def _call(self, user, model, method, *args, **kwargs):
        password = user.login + "-Pass-123"
        uid = self.xmlrpc_common.login(self.env.cr.dbname, user.login, password)
        self.assertEqual(uid, user.id)
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, password, model, method, list(args), kwargs)

    def test_import_and_post_over_xmlrpc(self):
        content = b64(sample_path(FILES["TMALL01"][1]).read_bytes())
        sid = self._call(self.user_a, "omni.settlement", "import_file", "TMALL01", "alipay.csv", content)
        self.assertIsInstance(sid, int)
        again = self._call(self.user_a, "omni.settlement", "import_file", "TMALL01", "copy.csv", content)
        self.assertEqual(again, sid, "the same file again: the same statement")
        count = self._call(self.user_a, "omni.settlement.line", "search_count", [("settlement_id", "=", sid)])
        self.assertEqual(count, len(truth("TMALL01")["lines"]))
        # a client cannot edit a line nor the state
        with self.assertRaises(Fault):
            self._call(self.user_a, "omni.settlement", "write", [sid], {"state": "posted"})
        self._call(self.user_a, "omni.settlement", "action_post", [sid])
        [statement] = self._call(self.user_a, "omni.settlement", "read", [sid], ["state", "move_ids"])
        self.assertEqual(statement["state"], "posted")
        self.assertEqual(len(statement["move_ids"]), 1)
        # another company's user sees nothing of it, and its channel code is unknown there
        with self.assertRaises(Fault):
            self._call(self.user_b, "omni.settlement", "read", [sid], ["name"])
        self.assertEqual(self._call(self.user_b, "omni.settlement.line", "search_count", []), 0)
        self.assertTrue(self._call(self.user_a, "omni.settlement.clearing", "search_count", []))
        self.assertEqual(self._call(self.user_b, "omni.settlement.clearing", "search_count", []), 0)
        with self.assertRaises(Fault) as err:
            self._call(self.user_b, "omni.settlement", "import_file", "TMALL01", "alipay.csv", content)
        self.assertIn("No channel with unit code", err.exception.faultString)

    def test_cut_file_message_over_xmlrpc(self):
        content = sample_path(FILES["PDD01"][1]).read_bytes()
        with self.assertRaises(Fault) as err:
            self._call(self.user_a, "omni.settlement", "import_file", "PDD01", "pdd.csv", b64(content[:5000]))
        self.assertIn("is incomplete", err.exception.faultString)

    def test_example_script(self):
        spec = importlib.util.spec_from_file_location("xmlrpc_settlement_example", EXAMPLE)
        example = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(example)
        printed = []
        args = [
            "--url", f"http://127.0.0.1:{config['http_port']}", "--db", self.env.cr.dbname,
            "--user", self.user_a.login, "--password", self.user_a.login + "-Pass-123",
            "--code", "JD01", "--file", str(sample_path(FILES["JD01"][1])), "--post",
        ]  # fmt: skip
        statement = example.main(args, out=printed.append)
        self.assertEqual(statement["state"], "posted")
        self.assertTrue(any("duplicate" in line for line in printed), printed)
        self.assertIn("posted: 1 journal entries", printed)
