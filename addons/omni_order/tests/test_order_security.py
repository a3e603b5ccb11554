# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
from xmlrpc.client import Fault

from odoo.tests import HttpCase, tagged

from .common import OmniOrderTestMixin, csv_bytes


@tagged("post_install", "-at_install")
class TestOrderXmlRpc(OmniOrderTestMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.company_b = cls.env["res.company"].create({"name": "Omni Order B"})
        cls.channel_b = cls.env["omni.channel"].create(
            {"name": "JD B", "code": "JD01", "platform": "jd", "company_id": cls.company_b.id}
        )
        groups = ["omni_channel.group_omni_channel_user"]
        cls.user_a = cls._create_omni_user("order_user_a", cls.company, *groups)
        cls.user_b = cls._create_omni_user("order_user_b", cls.company_b, *groups)

    def _rpc(self, user, model, method, *args, **kwargs):
        password = user.login + "-Pass-123"
        uid = self.xmlrpc_common.login(self.env.cr.dbname, user.login, password)
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, password, model, method, list(args), kwargs)

    def test_import_orders_contract_over_xmlrpc(self):
        results = self._rpc(
            self.user_a, "omni.order", "import_orders", "TMALL01", [self._order("RPC-1"), self._order("RPC-1")]
        )
        self.assertEqual([r["result"] for r in results], ["created", "duplicate"])
        self.assertEqual(set(results[0]), {"platform_order_no", "result", "order_id", "reasons"})
        rows = self._rpc(
            self.user_a, "omni.order", "search_read", [("platform_order_no", "=", "RPC-1")], fields=["state"]
        )
        self.assertEqual(rows[0]["state"], "confirmed")

    def test_import_file_contract_over_xmlrpc(self):
        row = ["TMALL01", "RPC-F1", "2026-11-11 10:00:00", "b", "王芳", "17714475366", "广东省", "深圳市", "南山区",
               "世纪大道689号", "TM-HONEY-500G", "2", "19.9", "0", "在线支付", "39.8", ""]  # fmt: skip
        content = base64.b64encode(csv_bytes([row], encoding="gbk")).decode()
        summary = self._rpc(self.user_a, "omni.order", "import_file", "orders.csv", content)
        self.assertEqual((summary["created"], summary["duplicates"], summary["exceptions"]), (1, 0, 0))
        self.assertEqual(summary["errors"], [])

    def test_company_b_never_sees_company_a_orders(self):
        self._rpc(self.user_a, "omni.order", "import_orders", "TMALL01", [self._order("SEC-1")])
        order_a = self.env["omni.order"].search([("platform_order_no", "=", "SEC-1")])
        self.assertEqual(self._rpc(self.user_b, "omni.order", "search", [("platform_order_no", "=", "SEC-1")]), [])
        with self.assertRaises(Fault):
            self._rpc(self.user_b, "omni.order", "read", [order_a.id], fields=["receiver_name"])
        with self.assertRaises(Fault) as err:
            self._rpc(self.user_b, "omni.order", "import_orders", "TMALL01", [self._order("SEC-2")])
        self.assertIn("No channel with unit code 'TMALL01'", err.exception.faultString)
        self.assertEqual(self._rpc(self.user_b, "omni.product.mapping", "search_count", []), 0)
