# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase

from .common import JobsMixin, OmniOrderTestMixin


class TestOrderIntake(JobsMixin, OmniOrderTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.Order = cls.env["omni.order"]

    def _import(self, *orders, code="TMALL01"):
        return self.Order.import_orders(code, list(orders))

    def test_clean_order_becomes_confirmed_reserved_sale_order(self):
        [result] = self._import(
            self._order(
                "T1",
                paid_amount="390.00",
                lines=[
                    {"platform_sku": "TM-TEA-250G", "quantity": "1", "unit_price": "99.0"},
                    {"platform_sku": "TM-HONEY-500G", "quantity": "3", "unit_price": "29.0"},
                    {"platform_sku": "TM-GIFT-BOX", "quantity": "2", "unit_price": "99.0"},
                ],
                payment_method="货到付款",
            )
        )
        self.assertEqual(result["result"], "created", result)
        order = self.Order.browse(result["order_id"])
        self.assertEqual(order.state, "confirmed")
        sale = order.sale_order_id
        self.assertEqual(sale.state, "sale")
        self.assertEqual(sale.omni_channel_id, self.channel)
        self.assertEqual(sale.omni_unit_code, "TMALL01")
        self.assertEqual(sale.omni_payment_method, "cod")
        self.assertEqual(sale.client_order_ref, "T1")
        self.assertEqual(sale.warehouse_id, self.warehouse)
        qty = {}
        for line in sale.order_line:
            qty[line.product_id] = qty.get(line.product_id, 0) + line.product_uom_qty
        # 1 x 0.25 kg tea + 2 gift boxes x (0.5 kg tea + 2 cups) + 3 honey + shipping
        self.assertAlmostEqual(qty[self.tea], 1.25)
        self.assertAlmostEqual(qty[self.cup], 4.0)
        self.assertAlmostEqual(qty[self.honey], 3.0)
        shipping = self.channel.shipping_product_id
        self.assertAlmostEqual(qty[shipping], 1.0)
        # platform prices include tax: the sale order's total is what the buyer paid
        self.assertAlmostEqual(sale.amount_total, 390.0, places=2)
        self.assertTrue(sale.order_line.tax_id, "the products' sales tax is kept")
        self.assertTrue(all(sale.order_line.tax_id.mapped("price_include")))
        self.assertLess(sale.amount_untaxed, 390.0)
        picking = sale.picking_ids
        self.assertEqual(picking.state, "assigned", "stock is reserved at confirmation")
        self.assertEqual(picking.omni_channel_id, self.channel)

    def test_same_order_twice_is_one_order(self):
        first = self._import(self._order("T2"))[0]
        again = self._import(self._order("T2", paid_amount="1.00"))[0]
        self.assertEqual(again["result"], "duplicate")
        self.assertEqual(again["order_id"], first["order_id"])
        self.assertEqual(self.Order.search_count([("platform_order_no", "=", "T2")]), 1)
        self.assertEqual(self.env["sale.order"].search_count([("client_order_ref", "=", "T2")]), 1)

    def test_same_order_twice_in_one_call(self):
        results = self._import(self._order("T3"), self._order("T3"))
        self.assertEqual([r["result"] for r in results], ["created", "duplicate"])
        self.assertEqual(results[0]["order_id"], results[1]["order_id"])

    def test_exceptions_are_named_and_kept(self):
        results = self._import(
            self._order("E1", lines=[{"platform_sku": "NOPE", "quantity": "1", "unit_price": "99"}]),
            self._order("E2", address="", province=""),
            self._order("E3", phone="12345"),
            self._order("E4", paid_amount="10.00"),
            self._order("E5", buyer_note="请周末送货"),
            self._order("E6", payment_method="银行转账"),
        )
        self.assertEqual([r["result"] for r in results], ["exception"] * 6)
        expected = ["unknown_sku", "missing_address", "bad_phone", "amount_mismatch", "buyer_note", "unknown_payment"]
        for result, code in zip(results, expected, strict=True):
            order = self.Order.browse(result["order_id"])
            self.assertEqual(order.state, "exception")
            self.assertIn(code, order.exception_codes)
            self.assertFalse(order.sale_order_id)
            self.assertTrue(order.raw_payload, "raw data is kept")
        self.assertIn("NOPE", results[0]["reasons"][0])
        self.assertIn("12345", results[2]["reasons"][0])
        self.assertIn("请周末送货", results[4]["reasons"][0])

    def test_order_without_number_is_reported(self):
        [result] = self._import(self._order(""))
        self.assertEqual(result["result"], "exception")
        self.assertFalse(result["order_id"])
        self.assertIn("no platform order number", result["reasons"][0])

    def test_bad_amount_text_is_reported_not_raised(self):
        [result] = self._import(self._order("X1", paid_amount="abc"))
        self.assertEqual(result["result"], "exception")
        self.assertIn("paid_amount", result["reasons"][0])

    def test_unknown_channel_code_refused(self):
        with self.assertRaises(ValidationError):
            self._import(self._order("T4"), code="NOPE")

    def test_fixing_the_relation_table_then_recheck_confirms(self):
        [result] = self._import(
            self._order("E7", lines=[{"platform_sku": "NEW-SKU", "quantity": "1", "unit_price": "99"}])
        )
        order = self.Order.browse(result["order_id"])
        with self.assertRaises(UserError):
            order.action_confirm()
        self.env["omni.product.mapping"].create(
            {"channel_id": self.channel.id, "platform_sku": "NEW-SKU", "product_id": self.honey.id, "quantity": 2}
        )
        order.action_recheck()
        self.assertEqual(order.state, "to_review")
        order.action_confirm()
        self.assertEqual(order.state, "confirmed")
        self.assertEqual(
            order.sale_order_id.order_line.filtered(lambda sol: sol.product_id == self.honey).product_uom_qty, 2
        )

    def test_quantity_the_unit_cannot_keep_waits_instead_of_rounding(self):
        # the relation table keeps 4 decimals; stock keeps Odoo's precision
        self.assertEqual(self.env["decimal.precision"].precision_get("Product Unit of Measure"), 2)
        Mapping = self.env["omni.product.mapping"]
        Mapping.create(
            {
                "channel_id": self.channel.id,
                "platform_sku": "TM-TEA-THIRD",
                "product_id": self.tea.id,
                "quantity": 0.3333,
            }
        )
        self.assertEqual(Mapping.search([("platform_sku", "=", "TM-TEA-THIRD")]).quantity, 0.3333)
        lines = [{"platform_sku": "TM-TEA-THIRD", "quantity": "1", "unit_price": "99"}]
        [result] = self._import(self._order("P1", lines=lines))
        order = self.Order.browse(result["order_id"])
        self.assertEqual(order.state, "exception")
        self.assertIn("uom_precision", order.exception_codes)
        self.assertIn("0.3333 kg of [TEA-1KG] Tea 1 kg", order.exception_reasons)
        with self.assertRaises(UserError):
            order.action_confirm()
        # in a finer unit the same third of a kilogram is kept exactly
        gram = self.env.ref("uom.product_uom_gram")
        loose_tea = self.env["product.product"].create(
            {"name": "Loose tea", "default_code": "TEA-G", "is_storable": True, "uom_id": gram.id, "uom_po_id": gram.id}
        )
        self.env["stock.quant"]._update_available_quantity(loose_tea, self.stock_location, 10000)
        Mapping.create(
            {"channel_id": self.channel.id, "platform_sku": "TM-TEA-G", "product_id": loose_tea.id, "quantity": 333.3}
        )
        [result] = self._import(
            self._order("P2", paid_amount="303.00", lines=[dict(lines[0], platform_sku="TM-TEA-G", quantity="3")])
        )
        order = self.Order.browse(result["order_id"])
        self.assertEqual(order.state, "confirmed", order.exception_reasons)
        # 999.9 g in all (the last gram may carry the price's remainder on a line of its own)
        sale_lines = order.sale_order_id.order_line.filtered("omni_order_line_id")
        self.assertAlmostEqual(sum(sale_lines.mapped("product_uom_qty")), 999.9)
        self.assertEqual(order.sale_order_id.amount_total, 303.0)

    def test_same_buyer_with_spaces_and_full_width_is_one_customer(self):
        first = self._import(self._order("N1"))[0]
        second = self._import(
            self._order("N2", receiver_name=" 刘洋 ", address="建国路\u3000６８５号", phone="190 3887 9107")
        )[0]
        a, b = self.Order.browse([first["order_id"], second["order_id"]])
        self.assertEqual(a.receiver_key, b.receiver_key)
        self.assertEqual(a.sale_order_id.partner_id, b.sale_order_id.partner_id)
        self.assertEqual(self.env["res.partner"].search_count([("omni_buyer_key", "=", a.receiver_key)]), 1)

    def test_manual_review_when_auto_confirm_off(self):
        self.channel.auto_confirm = False
        [result] = self._import(self._order("R1"))
        order = self.Order.browse(result["order_id"])
        self.assertEqual(order.state, "to_review")
        order.action_confirm()
        self.assertEqual(order.state, "confirmed")

    def test_exception_needs_an_override_to_confirm(self):
        user = self._create_omni_user("omni_clerk", self.company, "omni_channel.group_omni_channel_user")
        [result] = self._import(self._order("R2", buyer_note="gift wrap"))
        order = self.Order.browse(result["order_id"])
        with self.assertRaises(UserError):
            order.with_user(user).action_confirm()
        with self.assertRaises(UserError):
            order.with_user(user).action_override("wrapped")  # the rule's role: Channel Manager
        with self.assertRaises(UserError):
            order.action_confirm()  # not even a manager confirms it without a reason
        order.action_override("Gift wrap added at packing")
        self.assertEqual(order.state, "confirmed")

    def test_cancel_cancels_sale_order_and_reset(self):
        [result] = self._import(self._order("C1"))
        order = self.Order.browse(result["order_id"])
        sale = order.sale_order_id
        order.action_cancel()
        self.assertEqual(order.state, "cancelled")
        self.assertEqual(sale.state, "cancel")
        order.action_reset()
        self.assertEqual(order.state, "to_review")

    def test_shipping_marks_order_shipped(self):
        [result] = self._import(self._order("S1"))
        order = self.Order.browse(result["order_id"])
        picking = order.sale_order_id.picking_ids
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(order.state, "shipped")

    def test_deadlines_and_overdue(self):
        with freeze_time("2026-11-11 08:00:00"):
            early, late = self._import(
                self._order("D1", order_time="2026-11-11 10:00:00"),
                self._order("D2", order_time="2026-11-11 17:30:00"),
            )
        early, late = self.Order.browse([early["order_id"], late["order_id"]])
        self.assertEqual(early.ship_target_date, date(2026, 11, 11))
        self.assertEqual(late.ship_target_date, date(2026, 11, 12))
        # 10:00 in Shanghai is 02:00 UTC; promise 48 h
        self.assertEqual(early.ship_deadline, datetime(2026, 11, 13, 2, 0, 0))
        with freeze_time("2026-11-13 03:00:00"):
            overdue = self.Order.search([("is_overdue", "=", True), ("channel_id", "=", self.channel.id)])
            self.assertIn(early, overdue)
            self.assertNotIn(late, overdue)
            self.assertTrue(early.with_context(prefetch_fields=False).is_overdue)

    def test_ship_on_date_in_the_time_the_order_time_was_read_in(self):
        """Without a company time zone, order times are China time: the
        same-day cut-off is too, whoever imports (not the user's zone)."""
        self.company.partner_id.tz = False
        self.env.user.tz = "Europe/Berlin"
        # 17:30 in Shanghai (after the 16:00 cut-off) is 10:30 in Berlin
        [result] = self._import(self._order("D3", order_time="2026-11-11 17:30:00"))
        order = self.Order.browse(result["order_id"])
        self.assertEqual(order.order_time, datetime(2026, 11, 11, 9, 30, 0))
        self.assertEqual(order.ship_target_date, date(2026, 11, 12))

    def test_merge_same_receiver_into_one_sale_order(self):
        self.channel.auto_merge = True
        first, second = self._import(
            self._order("M1"),
            self._order(
                "M2",
                address=" 建国路685号 ",
                lines=[{"platform_sku": "TM-HONEY-500G", "quantity": "1", "unit_price": "99"}],
            ),
        )
        a, b = self.Order.browse([first["order_id"], second["order_id"]])
        self.assertEqual(b.merged_into_id, a)
        self.assertEqual(a.sale_order_id, b.sale_order_id)
        sale = a.sale_order_id
        self.assertIn(self.honey, sale.order_line.product_id)
        self.assertIn(self.tea, sale.order_line.product_id)
        self.assertEqual(len(sale.picking_ids), 1, "one delivery for both orders")

    def test_merge_of_a_merged_into_order_keeps_its_merged_orders(self):
        """An order that already took merged orders and is then merged into
        another (older) order hands them over: nothing is left behind."""
        self.channel.auto_merge = True
        results = self._import(
            self._order("M7"),
            self._order("M8", lines=[{"platform_sku": "TM-HONEY-500G", "quantity": "1", "unit_price": "99"}]),
            self._order("M9", order_time="2026-11-11 09:00:00"),
        )
        m7, m8, m9 = self.Order.browse([r["order_id"] for r in results])
        self.assertEqual(m9.merged_order_ids, m7 | m8)
        self.assertEqual((m7 | m8).merged_into_id, m9)
        self.assertEqual((m7 | m8 | m9).mapped("state"), ["merged", "merged", "confirmed"])
        sale = m9.sale_order_id
        self.assertEqual((m7 | m8).sale_order_id, sale)
        self.assertIn(self.honey, sale.order_line.product_id)
        self.assertEqual(len(sale.order_line.filtered(lambda sol: sol.product_id == self.tea)), 2)

    def test_merge_refused_for_other_receiver(self):
        self.channel.auto_confirm = False
        first, second = self._import(self._order("M3"), self._order("M4", phone="13800000000"))
        orders = self.Order.browse([first["order_id"], second["order_id"]])
        self.assertFalse(orders[0].merge_candidate_ids)
        with self.assertRaises(UserError):
            orders.action_merge()

    def test_manual_merge_suggestion_and_merge(self):
        self.channel.auto_confirm = False
        first, second = self._import(self._order("M5"), self._order("M6"))
        a, b = self.Order.browse([first["order_id"], second["order_id"]])
        self.assertEqual(a.merge_candidate_ids, b)
        (a | b).action_merge()
        a.action_confirm()
        self.assertEqual((a.state, b.state), ("confirmed", "merged"))
        self.assertEqual(b.sale_order_id, a.sale_order_id)
        self.assertEqual(len(a.sale_order_id.order_line.filtered(lambda sol: sol.product_id == self.tea)), 2)

    def test_split_available_makes_second_delivery(self):
        # only 10 cups in stock for an order of 20
        self.env["stock.quant"]._update_available_quantity(self.cup, self.stock_location, -990)
        [result] = self._import(
            self._order("P1", paid_amount="150.00", shipping_fee="0",
                        lines=[{"platform_sku": "TM-CUP-SET", "quantity": "5", "unit_price": "30"}])
        )  # fmt: skip
        order = self.Order.browse(result["order_id"])
        new_picking = order.action_split_available()
        pickings = order.sale_order_id.picking_ids
        self.assertEqual(len(pickings), 2)
        first = pickings - new_picking
        self.assertEqual(first.move_ids.product_uom_qty, 10)
        self.assertEqual(first.state, "assigned")
        self.assertEqual(new_picking.move_ids.product_uom_qty, 10)

    def test_split_by_hand(self):
        [result] = self._import(
            self._order("P2", paid_amount="150.00", shipping_fee="0",
                        lines=[{"platform_sku": "TM-CUP-SET", "quantity": "5", "unit_price": "30"}])
        )  # fmt: skip
        order = self.Order.browse(result["order_id"])
        wizard = self.env["omni.order.split.wizard"].create({"order_id": order.id})
        wizard.line_ids.split_quantity = 8
        wizard.action_split()
        quantities = sorted(order.sale_order_id.picking_ids.move_ids.mapped("product_uom_qty"))
        self.assertEqual(quantities, [8, 12])
        wizard = self.env["omni.order.split.wizard"].create({"order_id": order.id})
        wizard.line_ids.split_quantity = 500
        with self.assertRaises(UserError):
            wizard.action_split()

    def test_many_orders_are_confirmed_by_jobs(self):
        orders = [self._order(f"J{i}") for i in range(25)]
        results = self._import(*orders)
        staged = self.Order.browse([r["order_id"] for r in results])
        self.assertEqual(set(staged.mapped("state")), {"to_review"}, "staged before any job runs")
        confirm_job = self._jobs("_confirm_orders_job")
        self.assertEqual(len(confirm_job), 1)
        self._perform_jobs("_confirm_orders_job")
        self.assertEqual(set(staged.mapped("state")), {"confirmed"})
        reserve_job = self._jobs("_reserve_stock_job")
        self.assertEqual(reserve_job.priority, confirm_job.priority - 1, "before the next chunks' confirmation")
        pickings = staged.sale_order_id.picking_ids
        self.assertEqual(set(pickings.mapped("state")), {"confirmed"}, "reservation waits for its serial job")
        self.assertEqual(len(self._jobs("_reserve_stock_job")), 1)
        self._perform_jobs("_reserve_stock_job")
        self.assertEqual(set(pickings.mapped("state")), {"assigned"})
        # a job run twice doubles nothing
        staged._confirm_orders_job()
        self.assertEqual(self.env["sale.order"].search_count([("omni_channel_id", "=", self.channel.id)]), 25)

    def test_display_and_pivot_fields(self):
        [result] = self._import(self._order("V1"))
        order = self.Order.browse(result["order_id"])
        self.assertEqual(order.display_name, "[TMALL01] V1")
        groups = self.Order._read_group([("id", "=", order.id)], ["channel_id", "order_time:day"], ["paid_amount:sum"])
        self.assertEqual(groups[0][2], 105.0)
        self.assertEqual(order.line_ids.product_summary, "[TEA-1KG] Tea 1 kg × 0.25")
        self.assertGreater(self.channel.omni_order_count, 0)
        self.assertEqual(order.ship_deadline - order.order_time, timedelta(hours=48))
