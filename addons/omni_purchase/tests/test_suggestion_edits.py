# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a buyer may change on a suggestion line, and what a refresh keeps."""

import math

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.omni_base.tools import guard

from .common import NOW, OmniPurchaseTestMixin


# post_install: the menu test reads every menu, those of the addons loaded after this one too
@freeze_time(NOW)
@tagged("post_install", "-at_install")
class TestSuggestionEdits(OmniPurchaseTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(NOW):
            cls._setup_omni_purchase()

    def test_only_the_quantity_to_order_is_written_by_clients(self):
        self._ship(self.tea, {d: 2 for d in range(1, 91)})
        line = self._refresh()[self.tea].with_user(self.buyer)
        other = self.env["res.company"].create({"name": "Omni Purchase Elsewhere"})
        stranger_vendor = self.env["res.partner"].create({"name": "Elsewhere Vendor", "company_id": other.id})
        stranger_product = self.env["product.product"].create({"name": "Elsewhere Pot", "company_id": other.id})
        kg = self.env.ref("uom.product_uom_kgm")
        for vals in (
            {"suggested_qty": 1},
            {"daily_sales": 99},
            {"min_qty": 0},
            {"uom_id": kg.id},
            {"partner_id": self.vendor_2.id},
            {"partner_id": stranger_vendor.id},
            {"product_id": stranger_product.id},
            {"warehouse_id": self.warehouse.id},
            {"company_id": self.company.id},
            {"qty_edited": False},
            {"archived": True},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "actions"):
                line.write(dict(vals, order_qty=5))
        self.assertEqual((line.suggested_qty, line.partner_id, line.order_qty), (60, self.vendor, 60))
        # another company's vendor or product never fits, even from our own code
        with self.assertRaisesRegex(UserError, "[Ii]ncompatible companies"):
            guard.internal(line.sudo()).write({"partner_id": stranger_vendor.id})
        with self.assertRaisesRegex(UserError, "[Ii]ncompatible companies"):
            guard.internal(line.sudo()).write({"product_id": stranger_product.id})
        line.order_qty = 72
        self.assertEqual((line.order_qty, line.suggested_qty), (72, 60))
        self.assertTrue(line.qty_edited)

    def test_refresh_updates_lines_in_place_and_keeps_edited_quantities(self):
        self._ship(self.tea, {d: 2 for d in range(1, 91)})
        self._ship(self.cup, {d: 1 for d in range(1, 91)})
        lines = self._refresh()
        tea, cup = lines[self.tea], lines[self.cup]
        tea.with_user(self.buyer).order_qty = 100
        self._stock(self.tea, 20)
        self._stock(self.cup, 10)
        # every way of refreshing: the daily cron, an integrator, the list button
        for refresh in (
            lambda: self.Suggestion._cron_refresh(),
            lambda: self.Suggestion.get_purchase_suggestions(self.warehouse.code),
            lambda: self.Suggestion.action_refresh(),
            lambda: tea.action_refresh_line(),
        ):
            refresh()
            self.assertEqual(
                self.Suggestion.search([("state", "=", "new"), ("product_id", "in", (self.tea | self.cup).ids)]),
                tea | cup,
                "the same lines (ids), updated in place",
            )
            self.assertEqual(tea.free_qty, 20, "figures recomputed")
            self.assertEqual(tea.suggested_qty, 48, "58 − 20 = 38, rounded up to the multiple of 12")
            self.assertEqual(tea.order_qty, 100, "the buyer's quantity stays")
            self.assertTrue(tea.qty_edited)
            self.assertEqual(cup.order_qty, cup.suggested_qty, "not edited: follows the suggestion")
        self.assertIn("set by a buyer", tea.explanation)
        # back to the suggestion: refreshes update it again
        tea.with_user(self.buyer).action_use_suggested()
        self.assertEqual((tea.order_qty, tea.qty_edited), (tea.suggested_qty, False))
        self._stock(self.tea, 12)
        self._refresh()
        self.assertEqual(tea.order_qty, tea.suggested_qty)

    def test_product_no_longer_to_buy_gets_its_own_message(self):
        line = self._refresh()[self.cup]
        self.cup.purchase_ok = False
        action = line.action_refresh_line()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("Tea Cup is no longer a product to buy", action["params"]["message"])
        self.assertFalse(line.exists(), "its line to order went, and stays gone (no error to roll it back)")

    def test_negative_days_are_refused_on_products_and_vendors(self):
        for field in ("omni_review_days", "omni_cover_days", "omni_safety_days"):
            with self.subTest(field=field), self.assertRaisesRegex(ValidationError, "Longjing Tea.*negative"):
                self.tea.product_tmpl_id.write({field: -1})
            self.env.invalidate_all(flush=False)  # forget the refused value
        for field in ("omni_review_days", "omni_cover_days"):
            with self.subTest(field=field), self.assertRaisesRegex(ValidationError, "Hangzhou Tea Farm.*negative"):
                self.vendor.write({field: -3})
            self.env.invalidate_all(flush=False)
        self.tea.product_tmpl_id.omni_cover_days = 0
        self.vendor.omni_cover_days = 5

    def test_buyers_see_the_stock_turnover_report(self):
        menu = self.env.ref("omni_purchase.menu_omni_purchase_turnover")
        visible = self.env["ir.ui.menu"].with_user(self.buyer)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        self.assertIn(self.env.ref("purchase.purchase_report_main").id, visible)
        self.assertNotIn(
            self.env.ref("purchase.purchase_report").id, visible, "the purchase analysis stays for managers"
        )


@freeze_time(NOW)
class TestSuggestionRounding(OmniPurchaseTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(NOW):
            cls._setup_omni_purchase()

    def test_units_are_rounded_up_to_whole_purchase_units(self):
        self.assertEqual(self.cup.uom_id, self.env.ref("uom.product_uom_unit"))
        self.cup.uom_id.rounding = 0.01
        self._stock(self.cup, -13.74)
        line = self._refresh()[self.cup]
        self.assertAlmostEqual(line.net_qty, 13.74)
        self.assertEqual((line.suggested_qty, line.order_qty, line.round_step), (14, 14, 1))
        self.assertIn("whole purchase units: 1 Units = 1 Units", line.explanation)
        # bought by the dozen: a multiple of 12 units
        self.cup.uom_po_id = self.env.ref("uom.product_uom_dozen")
        line = self._refresh()[self.cup]
        self.assertEqual((line.suggested_qty, line.round_step), (24, 12))
        self.assertIn("1 Dozens = 12 Units", line.explanation)
        # the vendor minimum and multiple (in dozens) still apply first
        self.cup.seller_ids.write({"min_qty": 3, "omni_order_multiple": 2})
        self.assertEqual(self._refresh()[self.cup].suggested_qty, 48, "min 3 dozens → multiple of 2 dozens")

    def test_other_units_keep_their_rounding(self):
        kg = self.env.ref("uom.product_uom_kgm")
        tea = self._product("Loose Tea", "OP-KG", vendor=self.vendor_2, uom_id=kg.id, uom_po_id=kg.id)
        self._stock(tea, -2.3456)
        line = self._refresh()[tea]
        self.assertAlmostEqual(line.suggested_qty, math.ceil(round(2.3456 / kg.rounding, 6)) * kg.rounding, places=6)
        self.assertLess(line.suggested_qty, 3, "kilograms are not rounded to whole ones")
        self.assertIn("unit's rounding", line.explanation)

    def test_rfq_lines_are_in_the_purchase_unit_at_the_vendor_price(self):
        dozen = self.env.ref("uom.product_uom_dozen")
        self.cup.uom_po_id = dozen  # the vendor line's 10.00 is per dozen
        self._stock(self.cup, -13.74)
        line = self._refresh()[self.cup]
        self.assertEqual(line.order_qty, 24)
        order = self.env["purchase.order"].search(line.action_create_rfqs()["domain"])
        self.assertEqual((order.order_line.product_qty, order.order_line.product_uom), (2, dozen))
        self.assertEqual((order.order_line.price_unit, order.amount_untaxed), (10.0, 20.0))

    def test_a_buyers_quantity_is_whole_steps_and_nothing_for_an_archived_product(self):
        self.cup.uom_po_id = self.env.ref("uom.product_uom_dozen")
        self._stock(self.cup, -13.74)
        line = self._refresh()[self.cup].with_user(self.buyer)
        for qty in (13.5, 30):
            with self.assertRaisesRegex(UserError, "steps of 12"):
                line.order_qty = qty
        line.order_qty = 36
        self.assertEqual(line.order_qty, 36)
        self._ship(self.tea, {3: 5})
        self.tea.active = False
        archived = self._refresh()[self.tea].with_user(self.buyer)
        self.assertTrue(archived.archived)
        with self.assertRaisesRegex(UserError, "archived"):
            archived.order_qty = 12

    def test_a_vendor_of_another_company_is_not_chosen(self):
        other = self.env["res.company"].create({"name": "Other Vendor Co"})
        foreign = self.env["res.partner"].create({"name": "Foreign Vendor", "company_id": other.id})
        shared = self._product("Shared Tea", "OP-SHARED", company_id=False)
        shared.seller_ids = [
            Command.create({"partner_id": foreign.id, "price": 5.0, "sequence": 1, "company_id": False}),
            Command.create({"partner_id": self.vendor.id, "price": 6.0, "sequence": 2, "company_id": False}),
        ]
        self._stock(shared, -3)
        self.assertEqual(self._refresh()[shared].partner_id, self.vendor)

    def test_refresh_says_how_many_lines_it_recomputed_and_reloads(self):
        self._ship(self.tea, {d: 2 for d in range(1, 91)})
        self._stock(self.cup, 500)
        Suggestion = self.Suggestion.with_user(self.buyer)
        action = Suggestion.action_refresh()
        lines = self.Suggestion.search([("warehouse_id", "=", self.warehouse.id), ("state", "=", "new")])
        to_order = lines.filtered(lambda line: line.order_qty > 0)
        self.assertEqual(to_order.product_id, self.tea, "the tea only: the cup has stock, the sample no sales")
        self.assertEqual((action["type"], action["tag"]), ("ir.actions.client", "display_notification"))
        self.assertEqual(
            action["params"]["message"],
            f"Lines recomputed: {len(lines)}; to order: 1; nothing to order: {len(lines) - 1}.",
        )
        self.assertEqual(action["params"]["next"], {"type": "ir.actions.client", "tag": "soft_reload"})
        # with lines selected: their products only
        cup = lines.filtered(lambda line: line.product_id == self.cup).with_user(self.buyer)
        action = (cup | to_order.with_user(self.buyer)).action_refresh()
        self.assertEqual(action["params"]["message"], "Lines recomputed: 2; to order: 1; nothing to order: 1.")

    def test_a_line_needing_nothing_says_so_and_is_muted(self):
        self._ship(self.tea, {d: 2 for d in range(1, 91)})
        self._stock(self.cup, 500)
        self._stock(self.lonely, 500)
        lines = self._refresh()
        tea, cup, lonely = lines[self.tea], lines[self.cup], lines[self.lonely]
        self.assertEqual((tea.status, cup.status, lonely.status), ("to_order", "nothing", "nothing"))
        labels = dict(self.Suggestion._fields["status"]._description_selection(self.env))
        self.assertEqual(labels["nothing"], "Nothing to Order")
        self.assertIn("No vendor", lonely.warning, "a warning, but nothing to order")
        # the list's decorations, evaluated on the lines' values
        arch = etree.fromstring(
            self.Suggestion.with_user(self.buyer).get_view(
                self.env.ref("omni_purchase.omni_purchase_suggestion_view_list").id, "list"
            )["arch"]
        )
        [badge] = arch.xpath("//field[@name='status']")

        def decorated(node, decoration, line):
            return bool(safe_eval(node.get(decoration), {"status": line.status, "warning": line.warning or False}))

        self.assertTrue(decorated(arch, "decoration-muted", lonely))
        self.assertFalse(decorated(arch, "decoration-warning", lonely), "needing nothing is never orange")
        self.assertFalse(decorated(badge, "decoration-warning", lonely))
        self.assertTrue(decorated(badge, "decoration-muted", cup))
        self.assertTrue(decorated(badge, "decoration-warning", tea), "to order stands out")
        self.tea.seller_ids.delay = 0  # a warning on a line to order: the row says so
        tea = self._refresh(self.tea)[self.tea]
        self.assertTrue(decorated(arch, "decoration-warning", tea))
        # the buyer's quantity decides, and ordering ends it
        cup.with_user(self.buyer).order_qty = 5
        tea.with_user(self.buyer).order_qty = 0
        self.assertEqual((cup.status, tea.status), ("to_order", "nothing"))
        cup.with_user(self.buyer).action_create_requests()
        self.assertEqual(cup.status, "requested")
        search = etree.fromstring(
            self.Suggestion.get_view(self.env.ref("omni_purchase.omni_purchase_suggestion_view_search").id, "search")[
                "arch"
            ]
        )

        def filtered(name):
            [node] = search.xpath(f"//filter[@name='{name}']")
            return self.Suggestion.search([("id", "in", [tea.id, cup.id, lonely.id])] + safe_eval(node.get("domain")))

        self.assertFalse(filtered("to_order"))
        self.assertEqual(filtered("nothing"), tea | lonely)

    def test_suggestion_screen_reads_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["omni_purchase"], ["zh_CN"], overwrite=True)
        self._ship(self.tea, {d: 2 for d in range(1, 91)})
        self._ship(self.cup, {0: 16})
        self._stock(self.cup, 40)
        self.buyer.lang = "zh_CN"
        Suggestion = self.Suggestion.with_user(self.buyer).with_context(lang="zh_CN")
        action = Suggestion.action_refresh()
        lines = self.Suggestion.search([("warehouse_id", "=", self.warehouse.id), ("state", "=", "new")])
        self.assertEqual(action["params"]["title"], "采购建议已重新计算")
        self.assertEqual(
            action["params"]["message"], f"已重新计算 {len(lines)} 行：待采购 1 行，无需采购 {len(lines) - 1} 行。"
        )
        labels = dict(Suggestion._fields["status"]._description_selection(Suggestion.env))
        self.assertEqual((labels["to_order"], labels["nothing"]), ("待采购", "无需采购"))
        fields = Suggestion.fields_get(["daily_sales", "today_qty"], ["string", "help"])
        self.assertEqual(fields["today_qty"]["string"], "今日发货")
        self.assertIn("按今天之前的整天统计：今日发货明天起计入", fields["daily_sales"]["help"])
        cup = lines.filtered(lambda line: line.product_id == self.cup).with_context(lang="zh_CN")
        self.assertIn("今日已发货 16，明天起计入", cup.explanation)
        form = Suggestion.get_view(self.env.ref("omni_purchase.omni_purchase_suggestion_view_form").id, "form")
        self.assertIn("今日发货明天起计入", form["arch"])
