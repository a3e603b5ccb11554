# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from xmlrpc.client import Fault

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import OmniPurchaseTestMixin


@tagged("post_install", "-at_install")
class TestSuggestionHttp(OmniPurchaseTestMixin, HttpCase):
    """XML-RPC contract and the suggestion screen. Dates are built from the
    company's today (the server runs on the same clock)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_purchase()

    def setUp(self):
        super().setUp()
        self._ship(self.tea, {d: 2 for d in range(1, 91)})
        self._ship(self.lonely, {d: 1 for d in range(1, 91)})
        self._stock(self.tea, 5)

    def _rpc(self, user, model, method, *args, **kwargs):
        password = user.login + "-Pass-123"
        uid = self.xmlrpc_common.login(self.env.cr.dbname, user.login, password)
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, password, model, method, list(args), kwargs)

    def test_xmlrpc_suggestions_and_requests(self):
        items = self._rpc(self.buyer, "omni.purchase.suggestion", "get_purchase_suggestions", "OPWH", ["OP-TEA"])
        self.assertEqual(len(items), 1)
        tea = items[0]
        self.assertEqual(tea["default_code"], "OP-TEA")
        self.assertEqual((tea["daily_sales"], tea["safety_stock"], tea["target_qty"]), (2, 6, 58))
        self.assertEqual((tea["free_qty"], tea["net_qty"], tea["suggested_qty"]), (5, 53, 60))
        self.assertEqual((tea["lead_days"], tea["min_qty"], tea["multiple"]), (5, 10, 12))
        self.assertEqual(tea["vendor"], "Hangzhou Tea Farm")
        self.assertEqual((tea["state"], tea["status"], tea["today_qty"]), ("new", "to_order", 0))
        by_id = self._rpc(
            self.buyer, "omni.purchase.suggestion", "get_purchase_suggestions", self.warehouse.id, [self.tea.id]
        )
        self.assertEqual(by_id[0]["suggested_qty"], 60)
        created = self._rpc(self.buyer, "omni.purchase.suggestion", "create_purchase_requests", [by_id[0]["id"]])
        self.assertEqual(len(created), 1)
        request = self.env["purchase.request"].browse(created[0]["id"])
        self.assertEqual(request.line_ids.product_id, self.tea)
        self.assertEqual(request.line_ids.product_qty, 60)
        with self.assertRaises(Fault) as err:
            self._rpc(self.buyer, "omni.purchase.suggestion", "create_rfqs", [by_id[0]["id"]])
        self.assertIn("already ordered", err.exception.faultString)
        # every product with something to order; the one without vendor explains itself
        everything = self._rpc(self.buyer, "omni.purchase.suggestion", "get_purchase_suggestions", "OPWH")
        codes = {item["default_code"]: item for item in everything}
        self.assertNotIn("OP-TEA", codes, "requested: nothing more to order")
        self.assertIn("No vendor", codes["OP-NOVENDOR"]["warning"])
        with self.assertRaises(Fault) as err:
            self._rpc(self.buyer, "omni.purchase.suggestion", "create_purchase_requests", [codes["OP-NOVENDOR"]["id"]])
        self.assertIn("no vendor", err.exception.faultString)

    def test_xmlrpc_other_company_and_bad_refs(self):
        other = self.env["res.company"].create({"name": "Omni Purchase Other RPC"})
        stranger = (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Stranger",
                    "login": "omni_purchase_rpc_stranger",
                    "password": "omni_purchase_rpc_stranger-Pass-123",
                    "company_id": other.id,
                    "company_ids": [Command.set(other.ids)],
                    "groups_id": [Command.set([self.env.ref("purchase.group_purchase_manager").id])],
                }
            )
        )
        for ref in ("OPWH", self.warehouse.id):
            with self.assertRaises(Fault) as err:
                self._rpc(stranger, "omni.purchase.suggestion", "get_purchase_suggestions", ref)
            self.assertIn("Unknown warehouse", err.exception.faultString)
        with self.assertRaises(Fault) as err:
            self._rpc(self.buyer, "omni.purchase.suggestion", "get_purchase_suggestions", "OPWH", ["OP-TEA", "NOPE"])
        self.assertIn("Unknown or archived products: NOPE", err.exception.faultString)

    def test_suggestion_screen_tour(self):
        self.tea.default_code = "TOUR-TEA"
        self.lonely.default_code = "TOUR-NOVENDOR"
        self.vendor.name = "Tour Vendor"
        self.buyer.password = self.buyer.login  # start_tour logs in with the login as password
        self.start_tour(
            "/odoo/action-omni_purchase.omni_purchase_suggestion_action",
            "omni_purchase_suggestion_tour",
            login=self.buyer.login,
        )
        request = self.env["purchase.request"].search([("line_ids.product_id", "=", self.tea.id)])
        self.assertEqual(request.line_ids.product_qty, 60)
        self.assertEqual(
            self.env["omni.purchase.suggestion"].search([("request_id", "=", request.id)]).product_id, self.tea
        )
