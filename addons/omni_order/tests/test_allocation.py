# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Stock allocated at intake: every open order's demand is allocated at
once, released exactly when its delivery is reserved (or it is cancelled,
merged or split), never counted twice, and the reconciliation query agrees."""

from odoo.tests import TransactionCase

from .common import JobsMixin, OmniOrderTestMixin


class TestAllocation(JobsMixin, OmniOrderTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.Order = cls.env["omni.order"]
        cls.Allocation = cls.env["omni.order.allocation"]

    def _import(self, *orders):
        results = self.Order.import_orders("TMALL01", list(orders))
        return self.Order.browse([r["order_id"] for r in results])

    def _allocated(self, orders=None):
        """{product: allocated quantity} of these orders (all when None)."""
        domain = [("order_id", "in", orders.ids)] if orders is not None else []
        result = {}
        for allocation in self.Allocation.search(domain):
            self.assertEqual(allocation.warehouse_id, self.warehouse)
            result[allocation.product_id] = round(result.get(allocation.product_id, 0.0) + allocation.quantity, 4)
        return result

    def assertReconciled(self):
        self.assertEqual(self.Allocation.check_reconciliation(), [], "allocated = open demand")

    def _gift_box(self, number, quantity="1", **values):
        return self._order(
            number,
            paid_amount=str(99 * float(quantity) + 6),
            lines=[{"platform_sku": "TM-GIFT-BOX", "quantity": quantity, "unit_price": "99"}],
            **values,
        )

    def test_staged_orders_allocate_their_exploded_demand_at_once(self):
        self.channel.auto_confirm = False
        orders = self._import(
            self._order(
                "A1",
                paid_amount="291.00",
                lines=[
                    {"platform_sku": "TM-TEA-250G", "quantity": "1", "unit_price": "99"},
                    {"platform_sku": "TM-GIFT-BOX", "quantity": "2", "unit_price": "93"},
                ],
            ),
            # an exception still sells stock: its known SKUs are allocated
            self._order("A2", phone="123"),
        )
        self.assertEqual(orders.mapped("state"), ["to_review", "exception"])
        # 0.25 kg tea + 2 boxes x (0.5 kg tea + 2 cups), then 0.25 kg tea
        self.assertEqual(self._allocated(orders[0]), {self.tea: 1.25, self.cup: 4.0})
        self.assertEqual(self._allocated(orders[1]), {self.tea: 0.25})
        self.assertReconciled()

    def test_four_decimals_and_unknown_skus(self):
        self.channel.auto_confirm = False
        self.env["omni.product.mapping"].create(
            {"channel_id": self.channel.id, "platform_sku": "TM-TEA-SAMPLE", "product_id": self.tea.id,
             "quantity": 0.0125}
        )  # fmt: skip
        order = self._import(
            self._order(
                "A3",
                paid_amount="24.00",
                shipping_fee="0",
                lines=[
                    {"platform_sku": "TM-TEA-SAMPLE", "quantity": "3", "unit_price": "8"},
                    {"platform_sku": "TM-NOPE", "quantity": "1", "unit_price": "0"},
                ],
            )
        )
        self.assertEqual(order.state, "exception")
        self.assertEqual(self._allocated(order), {self.tea: 0.0375})
        # the relation table learns the SKU: the order allocates it at once
        self.env["omni.product.mapping"].create(
            {"channel_id": self.channel.id, "platform_sku": "TM-NOPE", "product_id": self.cup.id, "quantity": 1}
        )
        self.assertEqual(self._allocated(order), {self.tea: 0.0375, self.cup: 1.0})
        self.assertReconciled()

    def test_reserved_at_confirmation_releases_the_allocation(self):
        order = self._import(self._gift_box("A4"))
        self.assertEqual(order.sale_order_id.picking_ids.state, "assigned")
        self.assertEqual(self._allocated(order), {})
        self.assertReconciled()

    def test_jobs_keep_the_allocation_until_the_reservation(self):
        orders = self._import(*[self._gift_box(f"AJ{i}") for i in range(25)])
        self.assertEqual(self._allocated(orders), {self.tea: 12.5, self.cup: 50.0})
        self._perform_jobs("_confirm_orders_job")
        self.assertEqual(set(orders.mapped("state")), {"confirmed"})
        self.assertEqual(self._allocated(orders), {self.tea: 12.5, self.cup: 50.0}, "confirmed, not reserved")
        self.assertReconciled()
        self._perform_jobs("_reserve_stock_job")
        self.assertEqual(self._allocated(orders), {}, "released by the reservation, exactly")
        self.assertReconciled()

    def test_partial_reservation_allocates_what_is_missing_and_split_keeps_it(self):
        # 10 cups in stock for an order of 20
        self.env["stock.quant"]._update_available_quantity(self.cup, self.stock_location, -990)
        order = self._import(
            self._order("A5", paid_amount="150.00", shipping_fee="0",
                        lines=[{"platform_sku": "TM-CUP-SET", "quantity": "5", "unit_price": "30"}])
        )  # fmt: skip
        self.assertEqual(self._allocated(order), {self.cup: 10.0})
        order.action_split_available()
        self.assertEqual(len(order.sale_order_id.picking_ids), 2)
        self.assertEqual(self._allocated(order), {self.cup: 10.0}, "the split delivery still waits for 10")
        self.assertReconciled()
        # unreserving gives the reserved part back to the allocation
        order.sale_order_id.picking_ids.do_unreserve()
        self.assertEqual(self._allocated(order), {self.cup: 20.0})
        self.assertReconciled()

    def test_cancel_and_reset(self):
        self.channel.auto_confirm = False
        order = self._import(self._gift_box("A6"))
        order.action_cancel()
        self.assertEqual(self._allocated(order), {})
        order.action_reset()
        self.assertEqual(self._allocated(order), {self.tea: 0.5, self.cup: 2.0})
        order.action_confirm()
        order.action_cancel()
        self.assertEqual(self._allocated(order), {})
        self.assertReconciled()

    def test_merge_moves_the_allocation_to_the_primary_order(self):
        self.channel.auto_confirm = False
        first, second = self._import(self._gift_box("A7"), self._gift_box("A8", quantity="2"))
        before = self._allocated()
        (first | second).action_merge()
        primary = first if not first.merged_into_id else second
        self.assertEqual(self._allocated(primary), {self.tea: 1.5, self.cup: 6.0})
        self.assertEqual(self._allocated(primary.merged_order_ids), {})
        self.assertEqual(self._allocated(), before, "never counted twice, never lost")
        primary.action_confirm()
        self.assertEqual(self._allocated(), {})
        self.assertReconciled()

    def test_line_edit_in_review_reallocates(self):
        self.channel.auto_confirm = False
        order = self._import(self._gift_box("A9"))
        order.line_ids.quantity = 3
        self.assertEqual(self._allocated(order), {self.tea: 1.5, self.cup: 6.0})
        self.assertReconciled()

    def test_delivery_done_releases_and_reconciliation_finds_a_stale_row(self):
        order = self._import(self._gift_box("A10"))
        picking = order.sale_order_id.picking_ids
        picking.do_unreserve()
        self.assertEqual(self._allocated(order), {self.tea: 0.5, self.cup: 2.0})
        picking.action_assign()
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(order.state, "shipped")
        self.assertEqual(self._allocated(order), {})
        self.assertReconciled()
        # a row nobody released is reported, naming the order and product
        self.env.cr.execute(
            "INSERT INTO omni_order_allocation (order_id, product_id, warehouse_id, company_id, quantity)"
            " VALUES (%s, %s, %s, %s, 1)",
            [order.id, self.honey.id, self.warehouse.id, self.company.id],
        )
        self.assertEqual(
            self.Allocation.check_reconciliation(),
            [{"order_id": order.id, "product_id": self.honey.id, "warehouse_id": self.warehouse.id,
              "allocated": 1.0, "demand": 0.0}],
        )  # fmt: skip
