# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase

from .common import NOW, OmniPurchaseTestMixin


@freeze_time(NOW)
class TestSuggestionOrder(OmniPurchaseTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(NOW):
            cls._setup_omni_purchase()

    def setUp(self):
        super().setUp()
        self._ship(self.tea, {d: 2 for d in range(1, 91)})
        self._ship(self.cup, {d: 1 for d in range(1, 91)})
        self._ship(self.lonely, {d: 1 for d in range(1, 91)})
        self._stock(self.tea, 5)

    def test_requests_per_vendor_by_a_buyer(self):
        lines = self._refresh(user=self.buyer)
        selected = (lines[self.tea] | lines[self.cup]).with_user(self.buyer)
        selected[0].order_qty = 72  # the buyer changes the quantity before ordering
        action = selected.action_create_requests()
        requests = self.env["purchase.request"].search(action["domain"])
        self.assertEqual(len(requests), 2, "one request per vendor")
        tea_request = requests.filtered(lambda r: r.line_ids.product_id == self.tea)
        self.assertEqual(tea_request.line_ids.product_qty, 72)
        self.assertEqual(tea_request.picking_type_id, self.warehouse.in_type_id)
        self.assertEqual(tea_request.company_id, self.company)
        self.assertEqual(set(selected.mapped("state")), {"requested"})
        self.assertEqual(selected[0].request_id, tea_request)
        # the next refresh counts the request: nothing more to order
        line = self._refresh()[self.tea]
        self.assertEqual(line.requested_qty, 72)
        self.assertEqual(line.suggested_qty, 0)
        # once the request became an RFQ, it is counted once, as an open purchase
        tea_request.button_to_approve()
        tea_request.button_approved()
        wizard = (
            self.env["purchase.request.line.make.purchase.order"]
            .with_context(active_model="purchase.request.line", active_ids=tea_request.line_ids.ids)
            .create({"supplier_id": self.vendor.id})
        )
        wizard.make_purchase_order()
        line = self._refresh()[self.tea]
        self.assertEqual((line.requested_qty, line.open_po_qty), (0, 72))

    def test_rfqs_per_vendor(self):
        lines = self._refresh()
        action = (lines[self.tea] | lines[self.cup]).action_create_rfqs()
        orders = self.env["purchase.order"].search(action["domain"])
        self.assertEqual(orders.partner_id, self.vendor | self.vendor_2)
        self.assertEqual(set(orders.mapped("state")), {"draft"})
        tea_po = orders.filtered(lambda o: o.partner_id == self.vendor)
        self.assertEqual(tea_po.order_line.product_qty, 60)
        self.assertEqual(tea_po.order_line.price_unit, 10.0, "the vendor's price")
        self.assertEqual(tea_po.picking_type_id, self.warehouse.in_type_id)
        self.assertEqual(self._refresh()[self.tea].open_po_qty, 60, "RFQs count as open purchases")
        self.assertEqual(self._refresh()[self.tea].suggested_qty, 0)

    def test_no_double_order(self):
        lines = self._refresh()
        tea = lines[self.tea]
        tea.action_create_requests()
        # a second user who loaded the same list before
        with self.assertRaisesRegex(UserError, "already ordered"):
            tea.with_user(self.buyer).action_create_rfqs()
        with self.assertRaisesRegex(UserError, "already ordered"):
            tea.action_create_requests()
        self.assertEqual(self.env["purchase.request"].search_count([("line_ids.product_id", "=", self.tea.id)]), 1)
        self.assertFalse(self.env["purchase.order"].search([("order_line.product_id", "=", self.tea.id)]))

    def test_stale_selection_is_refused(self):
        lines = self._refresh()
        tea = lines[self.tea]
        # somebody stopped buying the tea and refreshed meanwhile: its line went
        self.tea.purchase_ok = False
        self._refresh()
        with self.assertRaisesRegex(UserError, "recomputed"):
            tea.action_create_requests()

    def test_product_without_vendor_cannot_be_ordered(self):
        lines = self._refresh()
        with self.assertRaisesRegex(UserError, r"Loose Leaf Sample.*no vendor"):
            (lines[self.tea] | lines[self.lonely]).action_create_requests()
        self.assertEqual(lines[self.tea].state, "new", "nothing half-applied")
        self.assertFalse(self.env["purchase.request"].search([("line_ids.product_id", "=", self.tea.id)]))

    def test_zero_quantity_and_archived(self):
        lines = self._refresh()
        lines[self.cup].order_qty = 0
        with self.assertRaisesRegex(UserError, "Nothing to order for .*Tea Cup"):
            lines[self.cup].action_create_rfqs()
        lines[self.cup].order_qty = 5
        self.cup.active = False
        with self.assertRaisesRegex(UserError, "archived"):
            lines[self.cup].action_create_rfqs()

    def test_guards(self):
        line = self._refresh()[self.tea].with_user(self.buyer)
        with self.assertRaisesRegex(UserError, "actions"):
            line.write({"state": "ordered"})
        with self.assertRaisesRegex(UserError, "actions"):
            line.write({"request_id": False, "purchase_id": False})
        with self.assertRaisesRegex(UserError, "computed"):
            self.Suggestion.create({"product_id": self.tea.id, "warehouse_id": self.warehouse.id})
        with self.assertRaises(AccessError):
            self.Suggestion.with_user(self.buyer).create(
                {"product_id": self.tea.id, "warehouse_id": self.warehouse.id, "company_id": self.company.id}
            )
        line.action_create_rfqs()
        with self.assertRaisesRegex(UserError, "already ordered"):
            line.order_qty = 1

    def test_other_company_sees_nothing(self):
        self._refresh()
        other = self.env["res.company"].create({"name": "Omni Purchase Other"})
        stranger = (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Stranger",
                    "login": "omni_purchase_stranger",
                    "company_id": other.id,
                    "company_ids": [Command.set(other.ids)],
                    "groups_id": [Command.set([self.env.ref("purchase.group_purchase_manager").id])],
                }
            )
        )
        Suggestion = self.env["omni.purchase.suggestion"].with_user(stranger)
        self.assertEqual(Suggestion.search_count([]), 0)
        with self.assertRaisesRegex(UserError, "Unknown warehouse"):
            Suggestion.get_purchase_suggestions(self.warehouse.code)
        with self.assertRaisesRegex(UserError, "Unknown warehouse"):
            Suggestion.get_purchase_suggestions(self.warehouse.id)
        with self.assertRaises(AccessError):
            Suggestion._refresh(self.warehouse.with_user(stranger))
        own = Suggestion.get_purchase_suggestions(
            self.env["stock.warehouse"].search([("company_id", "=", other.id)]).id
        )
        self.assertNotIn(self.tea.id, [item["product_id"] for item in own], "company products stay apart")

    def test_user_without_purchase_rights(self):
        clerk = (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Clerk",
                    "login": "omni_purchase_clerk",
                    "company_id": self.company.id,
                    "company_ids": [Command.set(self.company.ids)],
                    "groups_id": [Command.set([self.env.ref("stock.group_stock_user").id])],
                }
            )
        )
        with self.assertRaises(AccessError):
            self.Suggestion.with_user(clerk).get_purchase_suggestions(self.warehouse.code)

    def test_api_figures_and_unknown_refs(self):
        items = self.Suggestion.get_purchase_suggestions(self.warehouse.code, ["OP-TEA", self.cup.id])
        by_code = {item["default_code"]: item for item in items}
        self.assertEqual(set(by_code), {"OP-TEA", "OP-CUP"})
        tea = by_code["OP-TEA"]
        self.assertEqual((tea["suggested_qty"], tea["daily_sales"], tea["vendor"]), (60, 2, "Hangzhou Tea Farm"))
        self.assertEqual(tea["warehouse"], self.warehouse.code)
        with self.assertRaisesRegex(UserError, "Unknown or archived products: NOPE, 999999999"):
            self.Suggestion.get_purchase_suggestions(self.warehouse.code, ["OP-TEA", "NOPE", 999999999])
        everything = self.Suggestion.get_purchase_suggestions(self.warehouse.code)
        self.assertTrue(all(item["suggested_qty"] > 0 for item in everything))
        self.assertIn("OP-NOVENDOR", [item["default_code"] for item in everything])
        tea = next(item for item in everything if item["default_code"] == "OP-TEA")
        created = self.Suggestion.create_purchase_requests([tea["id"]])
        self.assertEqual(len(created), 1)
        with self.assertRaisesRegex(UserError, "already ordered"):
            self.Suggestion.create_rfqs([tea["id"]])

    def test_settings_are_checked(self):
        with self.assertRaisesRegex(Exception, "service level"):
            self.company.omni_purchase_service_level = 100
        with self.assertRaisesRegex(Exception, "negative"):
            self.company.omni_purchase_cover_days = -1
        with self.assertRaisesRegex(Exception, "negative"):
            self.tea.seller_ids.omni_order_multiple = -12

    def test_stockout_cron_records_today_once(self):
        Stockout = self.env["omni.purchase.stockout"]
        Stockout._record_stockouts(self.warehouse)
        Stockout._record_stockouts(self.warehouse)
        recorded = Stockout.search([("warehouse_id", "=", self.warehouse.id)])
        self.assertIn(self.cup, recorded.product_id, "no stock")
        self.assertNotIn(self.tea, recorded.product_id, "5 in stock")
        self.assertEqual(len(recorded.filtered(lambda s: s.product_id == self.cup)), 1)
        self.assertEqual(set(recorded.mapped("day")), {self._today()})
