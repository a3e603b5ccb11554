# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A confirmation wave through Odoo's own methods (the speed-ups switched
off) and through ours, from the same database state (a savepoint rolled
back between them): the same procurement groups, deliveries, moves,
reservations and sale-order names."""

from copy import deepcopy
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import TransactionCase, tagged

from odoo.addons.omni_base.tools import guard
from odoo.addons.omni_order.tests.common import OmniOrderTestMixin

from ..models.stock_move import StockMove
from .common import SpeedSwitchMixin

QUIET = {
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "tracking_disable": True,
    "omni_defer_reservation": True,
}


@tagged("post_install", "-at_install")
class TestWaveDifferential(SpeedSwitchMixin, OmniOrderTestMixin, TransactionCase):
    """Two warehouses (one delivery step; pick then ship), a product with
    its own route from a shelf (two deliveries per order), a service, the
    same product on two lines, both picking policies, a sale order of no
    channel in the batch, lot-tracked stock on two shelves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        env = cls.env
        cls.wh2 = env["stock.warehouse"].create({"name": "Second", "code": "WH2", "delivery_steps": "pick_ship"})
        Quant = env["stock.quant"]
        for product in (cls.tea, cls.cup):
            Quant._update_available_quantity(product, cls.wh2.lot_stock_id, 500)
        cls.shelf = env["stock.location"].create({"name": "Honey shelf", "location_id": cls.stock_location.id})
        Quant._update_available_quantity(cls.honey, cls.shelf, 500, in_date=datetime(2026, 1, 5))
        route = env["stock.route"].create(
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
                            "location_src_id": cls.shelf.id,
                            "location_dest_id": env.ref("stock.stock_location_customers").id,
                            "picking_type_id": cls.warehouse.out_type_id.id,
                        }
                    )
                ],
            }
        )
        cls.honey.route_ids = [Command.link(route.id)]
        cls.jam = env["product.product"].create({"name": "Jam", "is_storable": True, "tracking": "lot"})
        lots = env["stock.lot"].create([{"name": f"JAM-{i}", "product_id": cls.jam.id} for i in range(2)])
        shelf_b = env["stock.location"].create({"name": "Jam shelf", "location_id": cls.stock_location.id})
        Quant._update_available_quantity(cls.jam, cls.shelf, 4, lot_id=lots[0], in_date=datetime(2026, 3, 5))
        Quant._update_available_quantity(cls.jam, shelf_b, 40, lot_id=lots[1], in_date=datetime(2026, 1, 5))
        cls.service = env["product.product"].create({"name": "Gift wrapping", "type": "service", "list_price": 5})
        Partner = env["res.partner"]
        cls.buyers = Partner.create([{"name": f"Buyer {i}"} for i in range(3)])
        cls.elsewhere = Partner.create({"name": "Ship elsewhere", "parent_id": cls.buyers[2].id, "type": "delivery"})

    def _vals_list(self):
        def line(product, qty):
            return Command.create({"product_id": product.id, "product_uom_qty": qty, "price_unit": 10})

        base = {"company_id": self.company.id, "omni_channel_id": self.channel.id,
                "date_order": "2026-11-11 02:30:00", "warehouse_id": self.warehouse.id}  # fmt: skip
        return [
            dict(
                base,
                partner_id=self.buyers[0].id,
                order_line=[line(self.cup, 3), line(self.tea, 1), line(self.service, 1)],
            ),  # fmt: skip
            dict(base, partner_id=self.buyers[1].id, order_line=[line(self.honey, 2), line(self.cup, 1)]),
            dict(
                base,
                partner_id=self.buyers[0].id,
                warehouse_id=self.wh2.id,
                order_line=[line(self.cup, 2), line(self.tea, 2)],
            ),  # fmt: skip
            dict(
                base,
                partner_id=self.buyers[2].id,
                partner_shipping_id=self.elsewhere.id,
                order_line=[line(self.cup, 1), line(self.cup, 2), line(self.jam, 6)],
            ),  # fmt: skip
            dict(
                base,
                partner_id=self.buyers[1].id,
                picking_policy="one",
                order_line=[line(self.jam, 3), line(self.honey, 1)],
            ),  # fmt: skip
            dict(base, partner_id=self.buyers[1].id, order_line=[line(self.service, 2)]),
        ]

    def _wave(self):
        """A wave as the confirmation and reservation jobs run it, plus a
        sale order of no channel confirmed in the same transaction."""
        SaleOrder = guard.internal(self.env["sale.order"]).with_context(**QUIET)
        sale_orders = SaleOrder.create(SaleOrder._omni_name_in_batch(deepcopy(self._vals_list())))
        sale_orders.with_context(**QUIET)._omni_confirm_in_batch()
        other = self.env["sale.order"].create(
            {"partner_id": self.buyers[0].id, "order_line": [Command.create({"product_id": self.cup.id,
                                                                              "product_uom_qty": 5})]}
        )  # fmt: skip
        other.action_confirm()
        pickings = sale_orders.picking_ids.filtered(lambda p: p.state in ("confirmed", "waiting"))
        pickings.with_context(mail_notrack=True, tracking_disable=True)._omni_assign_in_batch()
        self.env.flush_all()
        return self._shape(sale_orders | other)

    def _shape(self, sale_orders):
        """Everything of these sale orders' stock side but ids and names."""
        shapes = []
        for sale_order in sale_orders:
            lines = sale_order.order_line.ids
            group = sale_order.procurement_group_id

            def move_shape(move, lines=lines, group=group):
                return (
                    move.product_id.id,
                    move.product_uom_qty,
                    lines.index(move.sale_line_id.id) if move.sale_line_id else None,
                    move.location_id.id,
                    move.location_dest_id.id,
                    move.procure_method,
                    move.rule_id.id,
                    move.state,
                    move.quantity,
                    bool(move.move_orig_ids),
                    bool(move.move_dest_ids),
                    move.partner_id.id,
                    move.group_id == group,
                    tuple(sorted((ml.location_id.id, ml.lot_id.id, ml.quantity) for ml in move.move_line_ids)),
                )

            pickings = []
            for picking in sale_order.picking_ids:
                pickings.append(
                    (
                        picking.picking_type_id.id,
                        picking.location_id.id,
                        picking.location_dest_id.id,
                        picking.partner_id.id,
                        (picking.origin or "").replace(sale_order.name, "<SO>"),
                        picking.move_type,
                        picking.state,
                        picking.group_id == group,
                        picking.scheduled_date,
                        picking.company_id.id,
                        picking.user_id.id,
                        sorted(move_shape(move) for move in picking.move_ids),
                    )
                )
            shapes.append(
                {
                    "group": group
                    and (
                        group.name == sale_order.name,
                        group.partner_id.id,
                        group.move_type,
                        group.sale_id == sale_order,
                    ),  # fmt: skip
                    "pickings": sorted(pickings, key=repr),
                    "lines": [
                        (line.qty_delivered, line.qty_to_invoice, line.invoice_status, line.analytic_distribution)
                        for line in sale_order.order_line
                    ],  # fmt: skip
                    "invoice_status": sale_order.invoice_status,
                }
            )
        return shapes

    def test_wave_as_odoo_makes_it(self):
        batched = []
        create_pickings = StockMove._omni_create_pickings

        def spy(moves):
            result = create_pickings(moves)
            batched.append(len(result))
            return result

        # one clock for both runs: deliveries are scheduled "now"
        with patch.object(StockMove, "_omni_create_pickings", spy), freeze_time("2026-11-11 10:00:00"):
            odoo, ours = self._odoo_then_ours(self._wave)
        self.assertTrue(any(batched), "ours made deliveries in a batch (Odoo's path never calls it)")
        self.assertEqual(len(odoo), 7)
        # Odoo 18's pick then ship: the pick from the sale order, the ship pushed when it is done
        self.assertEqual([len(shape["pickings"]) for shape in odoo], [1, 2, 1, 1, 2, 0, 1], "the fixtures' deliveries")
        for index, (odoo_shape, our_shape) in enumerate(zip(odoo, ours, strict=True)):
            self.assertEqual(our_shape, odoo_shape, f"sale order {index}")

    def test_reordering_rules_as_odoo_triggers_them(self):
        """Automatic rules of some products (one of them on the second
        warehouse only), a manual one: the same rules run, with the same
        moves' origins, in both paths."""
        Orderpoint = self.env["stock.warehouse.orderpoint"]
        limits = {"product_min_qty": 5000, "product_max_qty": 6000}
        Orderpoint.create(
            [
                dict(limits, product_id=self.tea.id, warehouse_id=self.warehouse.id,
                     location_id=self.stock_location.id, trigger="auto"),
                dict(limits, product_id=self.cup.id, warehouse_id=self.warehouse.id,
                     location_id=self.stock_location.id, trigger="manual"),
                dict(limits, product_id=self.jam.id, warehouse_id=self.wh2.id,
                     location_id=self.wh2.lot_stock_id.id, trigger="auto"),
                dict(limits, product_id=self.cup.id, warehouse_id=self.wh2.id,
                     location_id=self.wh2.lot_stock_id.id, trigger="auto"),
            ]
        )  # fmt: skip
        calls = []

        def record(orderpoints, company_id=None, raise_user_error=True):
            origins = orderpoints.env.context.get("origins") or {}
            calls.append((sorted(orderpoints.ids), company_id.id, sorted((k, len(v)) for k, v in origins.items())))
            return True

        def run():
            calls.clear()
            self._wave()
            return sorted(calls)

        with (
            patch.object(type(Orderpoint), "_procure_orderpoint_confirm", autospec=True, side_effect=record),
            freeze_time("2026-11-11 10:00:00"),
        ):
            odoo, ours = self._odoo_then_ours(run)
        self.assertEqual(ours, odoo)
        self.assertEqual(len({op for ids, _c, _o in odoo for op in ids}), 2, "tea's rule and the second warehouse's")

    @freeze_time("2026-11-11 10:00:00")
    def test_names_as_odoo_draws_them(self):
        """Sequences by date range (a year) in the prefix, a company with its
        own sequence and one with the shared one, an order date on the
        year's last evening in UTC (the next year in Shanghai), none, and a
        name given."""
        env = self.env
        other = env["res.company"].create({"name": "Second company"})
        env.user.company_ids |= other
        Sequence = env["ir.sequence"]
        shared = Sequence.search([("code", "=", "sale.order"), ("company_id", "=", False)])
        Sequence.search([("code", "=", "sale.order"), ("company_id", "!=", False)]).active = False
        if not shared:
            shared = Sequence.create({"name": "SO", "code": "sale.order", "company_id": False})
        shared.write({"implementation": "no_gap", "use_date_range": True, "prefix": "S%(range_year)s-",
                      "padding": 4})  # fmt: skip
        own = Sequence.create({"name": "SO own", "code": "sale.order", "company_id": self.company.id,
                               "implementation": "no_gap", "use_date_range": True,
                               "prefix": "TM%(range_year)s-", "padding": 3})  # fmt: skip
        env.user.tz = "Asia/Shanghai"
        SaleOrder = guard.internal(env["sale.order"]).with_context(allowed_company_ids=[self.company.id, other.id])
        partner = self.buyers[0].id
        vals_list = [
            {"partner_id": partner, "date_order": "2026-01-31 20:00:00"},
            {"partner_id": partner, "date_order": "2026-01-31 10:00:00", "company_id": self.company.id},
            {"partner_id": partner, "date_order": "2025-12-31 17:00:00", "company_id": other.id},
            {"partner_id": partner, "company_id": other.id},
            {"partner_id": partner, "date_order": datetime(2026, 11, 11, 1, 0), "company_id": self.company.id},
            {"partner_id": partner, "name": "GIVEN-1"},
            {"partner_id": partner, "date_order": "2026-02-01 03:00:00", "company_id": other.id},
        ]

        def create():
            orders = SaleOrder.create(SaleOrder._omni_name_in_batch(deepcopy(vals_list)))
            state = [
                (s.number_next_actual, sorted((r.date_from, r.number_next_actual) for r in s.date_range_ids))
                for s in (shared | own)
            ]
            return orders.mapped("name"), state

        odoo, ours = self._odoo_then_ours(create)
        self.assertEqual(ours, odoo)
        self.assertEqual(len(set(odoo[0])), len(vals_list))
        # 2025-12-31 17:00 UTC is 2026-01-01 in Shanghai: the 2026 range
        self.assertEqual(odoo[0][2], "S2026-0001")
