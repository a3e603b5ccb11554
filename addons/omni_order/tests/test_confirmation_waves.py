# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Confirmation waves: one delivery per sale order, reserved by the wave's
reservation job, rules and removal strategies followed, mail muted on these
documents. The same with or without omni_stock_speed (its speed-ups are
proven equal to Odoo's own methods in that addon's tests)."""

from datetime import datetime
from unittest.mock import patch

from odoo import Command
from odoo.tests import TransactionCase

from .common import OmniOrderTestMixin


class TestConfirmationWaves(OmniOrderTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.channel.auto_confirm = False
        cls.Order = cls.env["omni.order"]
        cls.Quant = cls.env["stock.quant"]

    def _stage(self, *orders):
        results = self.Order.import_orders("TMALL01", list(orders))
        orders = self.Order.browse([r["order_id"] for r in results])
        self.assertEqual(set(orders.mapped("state")), {"to_review"})
        return orders

    def _cups(self, number, sets=1, **values):
        return self._order(
            number,
            paid_amount=str(30 * sets),
            shipping_fee="0",
            lines=[{"platform_sku": "TM-CUP-SET", "quantity": str(sets), "unit_price": "30"}],
            **values,
        )

    def _wave(self, orders):
        """Confirm as a wave's job does, then reserve as the reserve job."""
        sale_orders = orders._confirm_orders(defer_reservation=True)
        self.assertEqual(set(sale_orders.picking_ids.mapped("state")), {"confirmed"}, "reservation deferred")
        orders._reserve_stock_job()
        return sale_orders

    def _shelves(self, old_qty, new_qty):
        """Cups only on two shelves: the older stock on A, the newer on B."""
        self.Quant._update_available_quantity(self.cup, self.stock_location, -1000)
        Location = self.env["stock.location"]
        shelf_a = Location.create({"name": "Shelf A", "location_id": self.stock_location.id})
        shelf_b = Location.create({"name": "Shelf B", "location_id": self.stock_location.id})
        self.Quant._update_available_quantity(self.cup, shelf_a, old_qty, in_date=datetime(2026, 1, 5))
        self.Quant._update_available_quantity(self.cup, shelf_b, new_qty, in_date=datetime(2026, 3, 5))
        return shelf_a, shelf_b

    def _reserved_on(self, location):
        return sum(self.Quant.search([("product_id", "=", self.cup.id), ("location_id", "=", location.id)])
                   .mapped("reserved_quantity"))  # fmt: skip

    def test_wave_deliveries_are_those_odoo_makes_one_per_order(self):
        orders = self._stage(
            self._order("W1", lines=[{"platform_sku": "TM-GIFT-BOX", "quantity": "2", "unit_price": "49.5"}]),
            self._cups("W2", 2, receiver_name="赵敏", phone="13912345678"),
            self._order("W3"),
        )
        sale_orders = self._wave(orders)
        self.assertEqual(len(sale_orders), 3)
        out_type = self.warehouse.out_type_id
        for sale_order in sale_orders:
            picking = sale_order.picking_ids
            self.assertEqual(len(picking), 1, "one delivery per sale order")
            self.assertEqual(picking.group_id, sale_order.procurement_group_id)
            group = sale_order.procurement_group_id
            self.assertEqual(
                (group.name, group.sale_id, group.partner_id, group.move_type),
                (sale_order.name, sale_order, sale_order.partner_shipping_id, sale_order.picking_policy),
            )
            self.assertEqual(picking.sale_id, sale_order)
            self.assertEqual(picking.picking_type_id, out_type)
            self.assertEqual(picking.partner_id, sale_order.partner_shipping_id)
            self.assertEqual(picking.origin, f"{sale_order.name} - {sale_order.client_order_ref}")
            self.assertEqual(picking.omni_channel_id, self.channel)
            self.assertEqual(picking.state, "assigned")
            product_lines = sale_order.order_line.filtered(lambda line: line.product_id.is_storable)
            self.assertEqual(picking.move_ids.sale_line_id, product_lines, "one move per sale line, none merged")
            for move in picking.move_ids:
                self.assertEqual(move.state, "assigned")
                self.assertAlmostEqual(sum(move.move_line_ids.mapped("quantity")), move.product_uom_qty)
            # mail muted: no "created from" note, the platform buyer follows nothing
            self.assertFalse(picking.message_ids.filtered(lambda m, so=sale_order: so.name in (m.body or "")))
            self.assertNotIn(sale_order.partner_id, picking.message_partner_ids)
            self.assertNotIn(sale_order.partner_id, sale_order.message_partner_ids)
        # the quants hold exactly what the move lines reserved
        for product in (self.tea, self.cup):
            reserved = sum(self.Quant.search([("product_id", "=", product.id)]).mapped("reserved_quantity"))
            lines = self.env["stock.move.line"].search([("move_id", "in", sale_orders.picking_ids.move_ids.ids),
                                                        ("product_id", "=", product.id)])  # fmt: skip
            self.assertAlmostEqual(reserved, sum(lines.mapped("quantity_product_uom")))
        self.assertEqual(self.env["omni.order.allocation"].check_reconciliation(), [])

    def test_other_sale_orders_keep_odoo_own_path(self):
        customer = self.env["res.partner"].create({"name": "Walk-in customer"})
        sale_order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [Command.create({"product_id": self.cup.id, "product_uom_qty": 3})],
            }
        )
        sale_order.action_confirm()
        picking = sale_order.picking_ids
        self.assertEqual(len(picking), 1)
        self.assertIn(customer, sale_order.message_partner_ids)
        self.assertIn(customer, picking.message_partner_ids)
        self.assertTrue(picking.message_ids.filtered(lambda m: sale_order.name in (m.body or "")), "created-from note")

    def test_wave_reservation_takes_the_oldest_quants_first(self):
        shelf_a, shelf_b = self._shelves(6, 10)
        orders = self._stage(*[self._cups(f"F{i}", receiver_name=f"R{i}") for i in range(3)])
        self._wave(orders)
        self.assertEqual((self._reserved_on(shelf_a), self._reserved_on(shelf_b)), (6.0, 6.0))
        self.assertEqual(set(orders.sale_order_id.picking_ids.mapped("state")), {"assigned"})

    def test_wave_reservation_follows_lifo(self):
        lifo = self.env.ref("stock.removal_lifo")
        self.cup.categ_id = self.env["product.category"].create({"name": "Cups", "removal_strategy_id": lifo.id})
        shelf_a, shelf_b = self._shelves(6, 10)
        orders = self._stage(*[self._cups(f"L{i}", receiver_name=f"R{i}") for i in range(3)])
        self._wave(orders)
        self.assertEqual((self._reserved_on(shelf_a), self._reserved_on(shelf_b)), (2.0, 10.0))

    def test_short_stock_is_shared_in_order_and_partial_moves_say_so(self):
        shelf_a, shelf_b = self._shelves(6, 5)
        orders = self._stage(*[self._cups(f"S{i}", receiver_name=f"R{i}") for i in range(3)])
        self._wave(orders)
        moves = orders.sale_order_id.picking_ids.move_ids.sorted("id")
        self.assertEqual(moves.mapped("state"), ["assigned", "assigned", "partially_available"])
        self.assertEqual(moves.mapped("quantity"), [4.0, 4.0, 3.0])
        self.assertEqual((self._reserved_on(shelf_a), self._reserved_on(shelf_b)), (6.0, 5.0))
        # what is missing stays allocated, exactly
        allocation = self.env["omni.order.allocation"].search([("order_id", "in", orders.ids)])
        self.assertEqual(allocation.mapped("quantity"), [1.0])
        self.assertEqual(self.env["omni.order.allocation"].check_reconciliation(), [])

    def test_reorder_rules_still_trigger_for_their_products(self):
        Orderpoint = self.env["stock.warehouse.orderpoint"]
        honey_rule = Orderpoint.create(
            {"product_id": self.honey.id, "warehouse_id": self.warehouse.id, "location_id": self.stock_location.id,
             "trigger": "auto", "product_min_qty": 5000, "product_max_qty": 6000}
        )  # fmt: skip
        orders = self._stage(
            self._order(
                "T1",
                paid_amount="60",
                shipping_fee="0",
                lines=[
                    {"platform_sku": "TM-HONEY-500G", "quantity": "1", "unit_price": "30"},
                    {"platform_sku": "TM-CUP-SET", "quantity": "1", "unit_price": "30"},
                ],
            )
        )
        calls = []

        def record(orderpoints, *args, **kwargs):
            calls.append(orderpoints)
            return True

        with patch.object(type(Orderpoint), "_procure_orderpoint_confirm", autospec=True, side_effect=record):
            orders._confirm_orders(defer_reservation=True)
        self.assertTrue(calls, "the honey's automatic reordering rule was run")
        self.assertEqual(set().union(*(set(c.ids) for c in calls)), {honey_rule.id})

    def test_rules_are_found_per_route_within_a_wave(self):
        shelf = self.env["stock.location"].create({"name": "Honey shelf", "location_id": self.stock_location.id})
        route = self.env["stock.route"].create(
            {
                "name": "Honey from its shelf",
                "product_selectable": True,
                "sequence": 1,
                "rule_ids": [
                    Command.create(
                        {
                            "name": "Honey shelf -> customers",
                            "action": "pull",
                            "procure_method": "make_to_stock",
                            "location_src_id": shelf.id,
                            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                            "picking_type_id": self.warehouse.out_type_id.id,
                        }
                    )
                ],
            }
        )
        self.honey.route_ids = [Command.link(route.id)]
        self.Quant._update_available_quantity(self.honey, shelf, 10)
        orders = self._stage(
            self._order(
                "R1",
                paid_amount="60",
                shipping_fee="0",
                lines=[
                    {"platform_sku": "TM-HONEY-500G", "quantity": "1", "unit_price": "30"},
                    {"platform_sku": "TM-CUP-SET", "quantity": "1", "unit_price": "30"},
                ],
            )
        )
        sale_order = self._wave(orders)
        moves = sale_order.picking_ids.move_ids
        self.assertEqual(moves.filtered(lambda m: m.product_id == self.honey).location_id, shelf)
        self.assertEqual(moves.filtered(lambda m: m.product_id == self.cup).location_id, self.stock_location)
        self.assertEqual(len(sale_order.picking_ids), 2, "one delivery per source location, as Odoo groups them")
        self.assertEqual(set(sale_order.picking_ids.mapped("state")), {"assigned"})

    def test_sale_line_figures_after_a_wave_are_those_odoo_computes(self):
        """The reservation leaves the invoicing figures alone (they cannot
        change by it); they are what Odoo computes afresh, and they follow
        the delivery once it is done."""
        orders = self._stage(self._cups("I1", 2), self._order("I2"))
        sale_orders = self._wave(orders)
        self.assertEqual(set(sale_orders.picking_ids.mapped("state")), {"assigned"})
        lines = sale_orders.order_line
        line_fields = ["qty_delivered", "qty_to_invoice", "invoice_status", "untaxed_amount_to_invoice"]

        def stored():
            self.env.flush_all()
            self.env.invalidate_all()
            return [lines.read(line_fields), sale_orders.read(["invoice_status"])]

        kept = stored()
        for name in line_fields:
            self.env.add_to_compute(lines._fields[name], lines)
        self.env.add_to_compute(sale_orders._fields["invoice_status"], sale_orders)
        self.assertEqual(stored(), kept, "what Odoo computes afresh")
        self.assertTrue(all(line["untaxed_amount_to_invoice"] > 0 for line in kept[0]))

        picking = sale_orders[0].picking_ids
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        delivered = sale_orders[0].order_line.filtered(lambda line: line.product_id.type == "consu")
        self.assertEqual(delivered.mapped("qty_delivered"), delivered.mapped("product_uom_qty"))

    def test_wave_sale_orders_are_named_by_their_company_sequence(self):
        sequence = self.env["ir.sequence"].search(
            [("code", "=", "sale.order"), ("company_id", "in", [self.company.id, False])], order="company_id", limit=1
        )
        first = sequence.number_next_actual
        sale_orders = self._wave(self._stage(self._order("N1"), self._cups("N2", receiver_name="钱七")))
        self.assertEqual(sale_orders.mapped("name"), [sequence.get_next_char(first), sequence.get_next_char(first + 1)])
        sequence.invalidate_recordset(["number_next_actual"])
        self.assertEqual(sequence.number_next_actual, first + 2)
