# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
from datetime import date, timedelta

import pytz
from freezegun import freeze_time

from odoo import Command
from odoo.tests import TransactionCase
from odoo.tools import SQL

from .common import NOW, OmniPurchaseTestMixin


@freeze_time(NOW)
class TestSuggestionEngine(OmniPurchaseTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(NOW):
            cls._setup_omni_purchase()

    def test_every_figure_of_a_steady_seller(self):
        # 2 a day for 90 days; 5 free; vendor: 5 days, minimum 10, multiple 12
        self._ship(self.tea, {d: 2 for d in range(1, 91)})
        self._stock(self.tea, 5)
        line = self._refresh()[self.tea]
        self.assertEqual((line.sales_7, line.sales_30, line.sales_90), (14, 60, 180))
        self.assertEqual((line.avg_7, line.avg_30, line.avg_90, line.daily_sales), (2, 2, 2, 2))
        self.assertEqual(line.sigma, 0)
        self.assertEqual((line.lead_days, line.review_days, line.cover_days, line.safety_days), (5, 7, 14, 3))
        self.assertFalse(line.lead_default)
        self.assertEqual(line.safety_stock, 6, "safety days × daily sales wins over z × 0")
        self.assertEqual(line.target_qty, 58)  # 2 × (5 + 7 + 14) + 6
        self.assertEqual((line.on_hand_qty, line.free_qty), (5, 5))
        self.assertEqual(line.net_qty, 53)
        self.assertEqual((line.min_qty, line.multiple), (10, 12))
        self.assertEqual(line.suggested_qty, 60, "53 rounded up to the multiple of 12")
        self.assertEqual(line.order_qty, 60)
        self.assertEqual(line.partner_id, self.vendor)
        self.assertEqual(line.last_sale_date, self._today().replace(day=14))
        self.assertIn("Suggested 60", line.explanation)
        self.assertFalse(line.warning)

    def test_today_and_older_sales_are_outside_the_windows(self):
        self._ship(self.tea, {0: 50, 91: 50, 120: 50})
        line = self._refresh()[self.tea]
        self.assertEqual(line.sales_90, 0)
        self.assertEqual(line.daily_sales, 0)

    def test_shipped_today_is_shown_beside_the_daily_sales_and_is_no_slow_mover(self):
        # 16 cups shipped today (nothing before), 40 left; tea: 40 that never sold
        self._ship(self.cup, {0: 16})
        self._stock(self.cup, 40)
        self._stock(self.tea, 40)
        lines = self._refresh()
        cup, tea = lines[self.cup], lines[self.tea]
        self.assertEqual((cup.sales_7, cup.sales_90, cup.daily_sales), (0, 0, 0), "today is not a full day")
        self.assertEqual(cup.today_qty, 16)
        self.assertEqual(cup.last_sale_date, self._today())
        self.assertIn("shipped today 16, not counted until tomorrow", cup.explanation)
        self.assertFalse(cup.slow_mover, "it sold today: not stock without sales")
        self.assertEqual((tea.today_qty, tea.slow_mover), (0, True))
        self.assertIn("full days before today", self.Suggestion._fields["daily_sales"].help)
        form = self.Suggestion.get_view(self.env.ref("omni_purchase.omni_purchase_suggestion_view_form").id, "form")
        self.assertIn('name="today_qty"', form["arch"])
        self.assertIn("what shipped today", form["arch"])
        # the day after: today's 16 are a full day's sales
        with freeze_time("2026-06-16 04:00:00"):
            cup = self._refresh(self.cup)[self.cup]
            self.assertEqual((cup.sales_7, cup.today_qty), (16, 0))
            self.assertAlmostEqual(cup.avg_7, 16 / 7, places=4)
        # a product with real daily sales is still judged on its turnover
        self._ship(self.tea, {0: 1, 60: 1})
        tea = self._refresh(self.tea)[self.tea]
        self.assertEqual(tea.today_qty, 1)
        self.assertTrue(tea.slow_mover, "40 in stock for 1 sold in 90 days")

    def test_weighted_windows(self):
        self._ship(self.cup, {d: 7 for d in range(1, 8)})
        line = self._refresh()[self.cup]
        self.assertEqual(line.avg_7, 7)
        self.assertAlmostEqual(line.avg_30, 49 / 30, places=4)
        self.assertAlmostEqual(line.avg_90, 49 / 90, places=4)
        self.assertAlmostEqual(line.daily_sales, 0.5 * 7 + 0.3 * 49 / 30 + 0.2 * 49 / 90, places=4)
        self.company.write({"omni_purchase_weight_7": 0, "omni_purchase_weight_30": 0, "omni_purchase_weight_90": 1})
        self.assertAlmostEqual(self._refresh()[self.cup].daily_sales, 49 / 90, places=4)

    def test_out_of_stock_days_are_left_out(self):
        # 4 a day, but nothing could be sold on the last 3 days (and 1 sold
        # on one of them from a late return of stock: ignored too)
        self._ship(self.cup, {d: 4 for d in range(4, 91)} | {2: 1})
        self._out_of_stock(self.cup, [1, 2, 3])
        line = self._refresh()[self.cup]
        self.assertEqual((line.stockout_7, line.stockout_30, line.stockout_90), (3, 3, 3))
        self.assertEqual(line.sales_7, 16)
        self.assertEqual(line.avg_7, 4, "16 over the 4 in-stock days, not over 7")
        self.assertEqual(line.avg_90, 4)
        self.assertEqual(line.daily_sales, 4)
        self.assertEqual(line.sigma, 0)

    def test_service_level_safety_stock_for_irregular_sales(self):
        # 0 and 4 on alternate days: mean 2, σ = sqrt(90 × 4 / 89)
        self._ship(self.cup, {d: 4 for d in range(1, 91) if d % 2})
        self.cup.seller_ids.delay = 9
        line = self._refresh()[self.cup]
        sigma = math.sqrt(90 * 4 / 89)
        self.assertAlmostEqual(line.sigma, sigma, places=4)
        self.assertAlmostEqual(line.service_z, 1.6449, places=4)
        self.assertAlmostEqual(line.safety_stock, 1.6449 * sigma * 3, places=3, msg="z × σ × √9 beats 3 days × 2")
        daily = 0.5 * 16 / 7 + 0.3 * 2 + 0.2 * 2  # days 1, 3, 5 and 7 in the last 7
        self.assertAlmostEqual(line.daily_sales, daily, places=4)
        self.assertAlmostEqual(line.target_qty, daily * (9 + 7 + 14) + 1.6449 * sigma * 3, places=3)
        self.assertEqual(line.suggested_qty, math.ceil(line.net_qty), "up to whole units, not the unit's 0.01")

    def test_open_purchases_requests_and_transit_are_deducted(self):
        self._ship(self.tea, {d: 2 for d in range(1, 91)})
        self._stock(self.tea, 5)
        po = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "company_id": self.company.id,
                "picking_type_id": self.warehouse.in_type_id.id,
                "order_line": [Command.create({"product_id": self.tea.id, "product_qty": 20})],
            }
        )
        po.button_confirm()
        line = self._refresh()[self.tea]
        self.assertEqual(line.open_po_qty, 20)
        self.assertEqual(line.suggested_qty, 36, "58 − 5 − 20 = 33, rounded up to 36")
        # half received: still 10 expected
        po.picking_ids.move_ids.quantity = 10
        po.picking_ids.move_ids.picked = True
        po.picking_ids.with_context(cancel_backorder=False)._action_done()
        line = self._refresh()[self.tea]
        self.assertEqual((line.free_qty, line.open_po_qty), (15, 10))
        # a cancelled order counts no more
        other = po.copy()
        other.button_cancel()
        self.assertEqual(self._refresh()[self.tea].open_po_qty, 10)

    def test_vendor_minimum_and_overrides(self):
        self._ship(self.tea, {d: 0.2 for d in range(1, 91)})
        line = self._refresh()[self.tea]
        self.assertTrue(0 < line.net_qty < 10)
        self.assertEqual(line.suggested_qty, 12, "raised to the minimum 10, then to the multiple 12")
        self.vendor.omni_review_days = 10
        self.vendor.omni_cover_days = 20
        self.tea.omni_cover_days = 30
        line = self._refresh()[self.tea]
        self.assertEqual((line.review_days, line.cover_days), (10, 30), "product beats vendor beats company")
        self.company.omni_purchase_review_days = 1
        self.vendor.omni_review_days = 0
        self.assertEqual(self._refresh()[self.tea].review_days, 1)

    def test_never_negative(self):
        self._ship(self.tea, {1: 1})
        self._stock(self.tea, 500)
        line = self._refresh()[self.tea]
        self.assertLess(line.net_qty, 0)
        self.assertEqual(line.suggested_qty, 0)
        self.assertTrue(line.slow_mover, "500 in stock for a tiny daily sale")
        self.assertGreater(line.turnover_days, 90)

    def test_turnover_days_only_with_stock_on_hand(self):
        self._ship(self.cup, {d: 1 for d in range(1, 91)})
        self._stock(self.cup, -10)
        line = self._refresh()[self.cup]
        self.assertEqual(line.on_hand_qty, -10)
        self.assertFalse(line.turnover_days, "no stock: no turnover days, never negative ones")
        self.assertFalse(
            self.Suggestion.get_purchase_suggestions(self.warehouse.code, [self.cup.id])[0]["turnover_days"]
        )
        self._stock(self.cup, 20)
        self.assertEqual(self._refresh()[self.cup].turnover_days, 10)

    def test_negative_stock_is_a_need(self):
        self._stock(self.cup, -5)
        line = self._refresh()[self.cup]
        self.assertEqual(line.free_qty, -5)
        self.assertEqual(line.daily_sales, 0)
        self.assertEqual(line.suggested_qty, 5, "back to zero at least")
        self.assertIn("Negative free stock", line.warning)

    def test_vendor_without_lead_time_uses_the_company_default(self):
        self.cup.seller_ids.delay = 0
        self.company.omni_purchase_default_lead_days = 11
        line = self._refresh()[self.cup]
        self.assertEqual(line.lead_days, 11)
        self.assertTrue(line.lead_default)
        self.assertIn("no lead time", line.warning)

    def test_product_without_vendor_is_shown(self):
        self._ship(self.lonely, {1: 3})
        line = self._refresh()[self.lonely]
        self.assertFalse(line.partner_id)
        self.assertGreater(line.suggested_qty, 0)
        self.assertEqual(line.lead_days, 7, "company default")
        self.assertIn("No vendor", line.warning)

    def test_archived_products_are_not_suggested(self):
        # archived and not shipped in the 90 days: no line (not bought any more)
        self._ship(self.tea, {91: 3})
        self._ship(self.cup, {1: 3})
        self.tea.active = False
        lines = self._refresh()
        self.assertNotIn(self.tea, lines)
        self.assertIn(self.cup, lines)

    def test_archived_product_still_shipped_is_shown(self):
        # a bundle's component archived while the platform bundle still ships
        # it: its line stays, with a warning and nothing to order
        self._ship(self.tea, {d: 2 for d in range(1, 91)})
        self._ship(self.cup, {1: 3})
        tea_line = self._refresh()[self.tea]
        self.assertFalse(tea_line.archived)
        tea_line.order_qty = 100
        self.tea.active = False
        lines = self._refresh()
        self.assertEqual(lines[self.tea], tea_line, "the same line, updated")
        self.assertTrue(tea_line.archived)
        self.assertEqual(tea_line.daily_sales, 2, "its sales are still seen")
        self.assertGreater(tea_line.net_qty, 0)
        self.assertEqual((tea_line.suggested_qty, tea_line.order_qty), (0, 0), "nothing to order, even if edited")
        self.assertIn("Archived: still sold, cannot be ordered.", tea_line.warning)
        self.assertIn(self.cup, lines)
        self.assertFalse(lines[self.cup].archived)
        # the product alone (Recompute) keeps its line too
        self.assertEqual(tea_line.action_refresh_line()["res_id"], tea_line.id)

    def test_archived_vendor_is_not_chosen(self):
        # like Odoo's _select_seller: the first vendor line of an active vendor
        self.env["product.supplierinfo"].create(
            {
                "product_tmpl_id": self.cup.product_tmpl_id.id,
                "partner_id": self.vendor.id,
                "sequence": 0,
                "delay": 9,
                "company_id": self.company.id,
            }
        )
        self.assertEqual(self._refresh()[self.cup].partner_id, self.vendor)
        self.vendor.active = False
        line = self._refresh()[self.cup]
        self.assertEqual((line.partner_id, line.lead_days), (self.vendor_2, 3))
        self.vendor_2.active = False
        self.assertFalse(self._refresh()[self.cup].partner_id, "no active vendor left")

    def test_other_warehouse_and_stock_locations(self):
        other_wh = self.env["stock.warehouse"].create({"name": "Store", "code": "OPST", "company_id": self.company.id})
        self._ship(self.cup, {1: 70}, warehouse=other_wh)
        self._stock(self.cup, 40, other_wh.lot_stock_id)
        line = self._refresh()[self.cup]
        self.assertEqual((line.sales_90, line.free_qty), (0, 0), "another warehouse's sales and stock")

    def test_refresh_of_one_product_after_a_sale(self):
        self._stock(self.cup, 10)
        self._stock(self.tea, 10)
        lines = self._refresh()
        tea_line = lines[self.tea]
        delivery = (
            self.env["stock.picking"]
            .with_company(self.company)
            .create(
                {
                    "picking_type_id": self.warehouse.out_type_id.id,
                    "location_id": self.stock_location.id,
                    "location_dest_id": self.customers.id,
                    "company_id": self.company.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": "sale",
                                "product_id": self.cup.id,
                                "product_uom_qty": 4,
                                "product_uom": self.cup.uom_id.id,
                                "location_id": self.stock_location.id,
                                "location_dest_id": self.customers.id,
                            }
                        )
                    ],
                }
            )
        )
        delivery.action_confirm()
        delivery.action_assign()
        delivery.move_ids.picked = True
        delivery.button_validate()
        cup_line = self._refresh(self.cup)[self.cup]
        self.assertEqual(cup_line.free_qty, 6)
        self.assertTrue(tea_line.exists(), "other products' lines untouched")
        self.assertEqual(cup_line, lines[self.cup], "the product's line was updated in place")
        self.assertEqual(self.Suggestion.search_count([("product_id", "=", self.cup.id), ("state", "=", "new")]), 1)

    def test_refresh_buttons_recompute_the_selected_products_only(self):
        lines = self._refresh()
        tea_line, cup_line = lines[self.tea], lines[self.cup]
        self._stock(self.cup, 7)
        self._stock(self.tea, 3)
        # the list's Refresh with the cup's line selected: the cup only
        cup_line.action_refresh()
        fresh_cup = self.Suggestion.search([("product_id", "=", self.cup.id), ("state", "=", "new")])
        self.assertEqual(fresh_cup, cup_line, "updated in place")
        self.assertEqual(fresh_cup.free_qty, 7)
        self.assertEqual(tea_line.free_qty, 0, "the tea's line was not selected")
        # the form's Recompute opens the product's line, recomputed
        action = tea_line.action_refresh_line()
        self.assertEqual(action["res_id"], tea_line.id)
        self.assertEqual(tea_line.free_qty, 3)
        # nothing selected: every product of the warehouse
        before = self.Suggestion.search([("state", "=", "new")])
        self._stock(self.tea, 2)
        self.Suggestion.action_refresh()
        self.assertEqual(self.Suggestion.search([("state", "=", "new")]), before)
        self.assertEqual(tea_line.free_qty, 5)

    def test_out_of_stock_days_from_the_stock_history(self):
        Stockout = self.env["omni.purchase.stockout"]
        # tea: 5 received 20 days ago, the 5 shipped 10 days ago, 3 received today
        self._receive(self.tea, {20: 5, 0: 3})
        self._ship(self.tea, {10: 5})
        self._stock(self.tea, 3)
        # cup: 4 received before the window, 1 shipped 2 days ago: never out
        self._receive(self.cup, {120: 4})
        self._ship(self.cup, {2: 1})
        self._stock(self.cup, 3)

        def days_out(product):
            return {(self._today() - s.day).days for s in Stockout.search([("product_id", "=", product.id)])}

        Stockout._record_history(self.warehouse)
        self.assertEqual(days_out(self.tea), set(range(1, 11)) | set(range(21, 91)))
        self.assertEqual(days_out(self.cup), set())
        self.assertEqual(days_out(self.lonely), set(range(1, 91)), "never stocked")
        count = Stockout.search_count([])
        Stockout._record_history(self.warehouse)
        self.assertEqual(Stockout.search_count([]), count, "twice: nothing more")
        # the tea's sale day is out of the averages: 5 sold on a day it ended out of stock
        line = self._refresh()[self.tea]
        self.assertEqual((line.stockout_30, line.sales_30), (20, 0), "days 1-10 and 21-30")

    def test_first_stockout_run_reads_the_history_then_records_today(self):
        Stockout = self.env["omni.purchase.stockout"]
        self._receive(self.tea, {20: 5})
        self._stock(self.tea, 5)
        Stockout._cron_record_stockouts()
        cup_days = Stockout.search([("warehouse_id", "=", self.warehouse.id), ("product_id", "=", self.cup.id)])
        self.assertEqual(len(cup_days), 91, "90 days of history and today")
        # later runs record today only (the history is not read again)
        cup_days.filtered(lambda s: s.day < self._today()).unlink()
        Stockout._cron_record_stockouts()
        self.assertEqual(
            Stockout.search_count([("warehouse_id", "=", self.warehouse.id), ("product_id", "=", self.cup.id)]), 1
        )

    def test_customer_returns_are_taken_off_the_sales(self):
        # 2 a day for 90 days; 3 came back 2 days ago, 10 came back 50 days ago
        self._ship(self.tea, {d: 2 for d in range(1, 91)})
        self._done_moves(self.tea, {2: 3, 50: 10}, self.customers, self.stock_location, self.company)
        line = self._refresh()[self.tea]
        self.assertEqual((line.sales_7, line.sales_30, line.sales_90), (11, 57, 167))
        self.assertEqual(line.last_sale_date, self._today().replace(day=14), "a return is not a sale")
        # a week that got more back than it shipped counts as no sales, never as negative ones
        self._done_moves(self.cup, {3: 5}, self.customers, self.stock_location, self.company)
        self._ship(self.cup, {4: 1, 40: 9})
        line = self._refresh()[self.cup]
        self.assertEqual(line.sales_7, -4)
        self.assertEqual(line.avg_7, 0)
        self.assertEqual(line.avg_90, round(5 / 90, 4))
        self.assertGreaterEqual(line.daily_sales, 0)

    def test_local_day_with_and_without_daylight_saving(self):
        Engine = self.env["omni.purchase.engine"]
        today = self._today()
        shanghai, paris = pytz.timezone("Asia/Shanghai"), pytz.timezone("Europe/Paris")
        self.assertEqual(Engine._fixed_utc_offset(shanghai, today - timedelta(days=90), today), 8 * 3600)
        # Paris changes its clocks twice a year: over 90 days of the year, one change at least
        first = date(today.year, 1, 1)
        self.assertIsNone(Engine._fixed_utc_offset(paris, first, first + timedelta(days=180)))
        self.assertIsNotNone(Engine._fixed_utc_offset(paris, first, first + timedelta(days=30)))
        # both SQL forms give the same local day around midnight
        for utc, local_day in (
            ("2026-11-14 15:59:59", date(2026, 11, 14)),
            ("2026-11-14 16:00:00", date(2026, 11, 15)),
        ):
            column = f"'{utc}'::timestamp"
            self.env.cr.execute(
                SQL(
                    "SELECT %s, %s",
                    Engine._local_day_sql(column, "Asia/Shanghai", 8 * 3600),
                    Engine._local_day_sql(column, "Asia/Shanghai", None),
                )
            )
            self.assertEqual(self.env.cr.fetchone(), (local_day, local_day))
