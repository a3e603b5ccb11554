# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Each memo-based override against Odoo's own method on the same inputs.

Odoo's side is the method chain without our class: ``super(OurClass,
records).method(...)`` runs every other override (Odoo's and other addons')
and Odoo's own code, outside the memo block. Ours runs inside the block that
opens the memo, every input after every other, so that two inputs the memo
would mix up give a difference. An Odoo patch release that changes what
these methods answer shows up here as a red test."""

from datetime import datetime
from itertools import product as cartesian
from unittest.mock import patch

from odoo import Command
from odoo.tests import TransactionCase, tagged

from ..models.decimal_precision import PRECISION_MEMO, DecimalPrecision, precisions_read_once
from ..models.procurement_group import RULE_MEMO, ProcurementGroup, rules_found_once
from ..models.stock_quant import GATHER_INDEX, StockQuant


def odoo_get_rule(groups, product, location, values):
    """Odoo's ``_get_rule``: the method chain without our class."""
    return super(ProcurementGroup, groups)._get_rule(product, location, values)


def odoo_gather(quants, product, location, **kwargs):
    """Odoo's ``_gather``: the method chain without our class."""
    return super(StockQuant, quants)._gather(product, location, **kwargs)


@tagged("post_install", "-at_install")
class TestPrecisionDifferential(TransactionCase):
    def _odoo(self, name):
        return super(DecimalPrecision, self.env["decimal.precision"]).precision_get(name)

    def test_every_precision_as_odoo_reads_it(self):
        Precision = self.env["decimal.precision"]
        names = Precision.search([]).mapped("name") + ["No such precision"]
        self.env.ref("product.decimal_price").digits = 3  # not the default, so that a default would show
        expected = {name: self._odoo(name) for name in names}
        with precisions_read_once(self.env):
            for _round in range(2):  # the second round from the memo
                self.assertEqual({name: Precision.precision_get(name) for name in names}, expected)
            self.assertEqual(set(self.env.cr.cache[PRECISION_MEMO]), set(names), "all read from the memo")
            # account's switch on the discount precision, while it computes taxes
            with patch.dict(self.env.cr.cache, {"account_disable_recursion_stack": {"ignore_discount_precision": 1}}):
                self.assertEqual(Precision.precision_get("Discount"), self._odoo("Discount"))
                self.assertEqual(Precision.precision_get("Discount"), 100)
            self.assertEqual(Precision.precision_get("Discount"), expected["Discount"])
        self.assertNotIn(PRECISION_MEMO, self.env.cr.cache, "the memo lives for one block only")
        self.env.ref("product.decimal_price").digits = 4
        self.assertEqual(Precision.precision_get("Product Price"), 4, "read afresh outside the block")


@tagged("post_install", "-at_install")
class TestRuleDifferential(TransactionCase):
    """Pull rules over two warehouses (one and two delivery steps), a
    product route, a packaging route, a route given by the line, a
    warehouse's own route to a zone of it, a location under the stock,
    with a warehouse, an empty one or none, with and without company, as
    superuser and as a stock user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company = env.company
        cls.wh1 = env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.wh2 = env["stock.warehouse"].create({"name": "Second", "code": "WH2", "delivery_steps": "pick_ship"})
        cls.customers = env.ref("stock.stock_location_customers")
        cls.shelf = env["stock.location"].create({"name": "Shelf", "location_id": cls.wh1.lot_stock_id.id})
        cls.route = env["stock.route"].create(
            {
                "name": "From the shelf",
                "product_selectable": True,
                "packaging_selectable": True,
                "sale_selectable": True,
                "sequence": 1,
                "rule_ids": [
                    Command.create(
                        {
                            "name": "Shelf -> customers",
                            "action": "pull",
                            "procure_method": "make_to_stock",
                            "location_src_id": cls.shelf.id,
                            "location_dest_id": cls.customers.id,
                            "picking_type_id": cls.wh1.out_type_id.id,
                        }
                    )
                ],
            }
        )
        # a warehouse's own route to a zone of it: found through the
        # location's warehouse when the values name none
        cls.zone = env["stock.location"].create({"name": "Packing zone", "location_id": cls.wh2.view_location_id.id})
        env["stock.route"].create(
            {
                "name": "WH2 packing zone",
                "warehouse_selectable": True,
                "warehouse_ids": [Command.link(cls.wh2.id)],
                "rule_ids": [
                    Command.create(
                        {
                            "name": "WH2 stock -> packing zone",
                            "action": "pull",
                            "procure_method": "make_to_stock",
                            "location_src_id": cls.wh2.lot_stock_id.id,
                            "location_dest_id": cls.zone.id,
                            "picking_type_id": cls.wh2.int_type_id.id,
                        }
                    )
                ],
            }
        )
        Product = env["product.product"]
        cls.plain = Product.create({"name": "Plain", "is_storable": True})
        cls.routed = Product.create({"name": "Routed", "is_storable": True, "route_ids": [Command.set(cls.route.ids)]})
        cls.packaging = env["product.packaging"].create(
            {"name": "Box of 6", "product_id": cls.plain.id, "qty": 6, "route_ids": [Command.set(cls.route.ids)]}
        )
        cls.user = env["res.users"].create(
            {
                "name": "Stock user",
                "login": "speed_stock_user",
                "groups_id": [Command.set([env.ref("stock.group_stock_user").id])],
            }
        )

    def _inputs(self):
        locations = [self.customers, self.wh1.lot_stock_id, self.shelf, self.zone]
        values = [
            {},
            {"warehouse_id": self.wh1},
            {"warehouse_id": self.wh2},
            {"warehouse_id": self.env["stock.warehouse"]},
            {"warehouse_id": self.wh2, "company_id": self.company},
            {"company_id": self.company},
            {"route_ids": self.route, "warehouse_id": self.wh2},
            {"product_packaging_id": self.packaging, "warehouse_id": self.wh1},
            {"warehouse_id": self.wh1, "sale_line_id": 1},
        ]
        return list(cartesian([self.plain, self.routed], locations, values))

    def _compare(self, Group):
        inputs = self._inputs()
        expected = [odoo_get_rule(Group, p, loc, dict(v)) for p, loc, v in inputs]
        self.assertGreater(len({rule.id for rule in expected}), 3, "the fixtures give several rules")
        with rules_found_once(self.env):
            for _round in range(2):  # the second round from the memo
                # reversed: an input the memo would mix up with a later one shows
                for (p, loc, v), rule in reversed(list(zip(inputs, expected, strict=True))):
                    self.assertEqual(
                        Group._get_rule(p, loc, dict(v)), rule, f"{p.name} to {loc.complete_name} with {v}"
                    )
            self.assertTrue(self.env.cr.cache[RULE_MEMO])
        self.assertNotIn(RULE_MEMO, self.env.cr.cache, "the memo lives for one block only")

    def test_rules_as_odoo_finds_them_as_superuser(self):
        self._compare(self.env["procurement.group"].sudo())

    def test_rules_as_odoo_finds_them_as_stock_user(self):
        self._compare(self.env["procurement.group"].with_user(self.user))

    def test_a_route_made_within_the_block_is_its_own_key(self):
        Group = self.env["procurement.group"]
        values = {"warehouse_id": self.wh1, "company_id": self.company}
        with rules_found_once(self.env):
            plain = Group._get_rule(self.plain, self.customers, values)
            empty_route = self.env["stock.route"].create({"name": "Empty route", "product_selectable": True})
            routed = Group._get_rule(self.plain, self.customers, dict(values, route_ids=empty_route))
            self.assertEqual(plain, Group._get_rule(self.plain, self.customers, values))
        self.assertTrue(plain)
        self.assertEqual(routed, odoo_get_rule(Group, self.plain, self.customers, dict(values, route_ids=empty_route)))


@tagged("post_install", "-at_install")
class TestGatherDifferential(TransactionCase):
    """Quants of a lot-tracked and a plain product on several shelves, with
    lots, packages, owners and equal incoming dates, under FIFO, LIFO and
    'closest' (not indexed: Odoo's search), strict and not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.Quant = env["stock.quant"].sudo()  # as Odoo's reservation gathers them
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        cls.stock = warehouse.lot_stock_id
        Location = env["stock.location"]
        cls.shelf_a = Location.create({"name": "Shelf A", "location_id": cls.stock.id})
        cls.shelf_b = Location.create({"name": "Shelf B", "location_id": cls.stock.id})
        cls.bin_b1 = Location.create({"name": "Bin B1", "location_id": cls.shelf_b.id})
        Product = env["product.product"]
        cls.plain = Product.create({"name": "Plain", "is_storable": True})
        cls.tracked = Product.create({"name": "Tracked", "is_storable": True, "tracking": "lot"})
        cls.lots = env["stock.lot"].create([{"name": f"LOT-{i}", "product_id": cls.tracked.id} for i in range(2)])
        cls.package = env["stock.quant.package"].create({"name": "PACK-1"})
        cls.owner = env["res.partner"].create({"name": "Consignor"})
        early, late = datetime(2026, 1, 5), datetime(2026, 3, 5)
        for product, lot in ((cls.plain, None), (cls.tracked, cls.lots[0]), (cls.tracked, cls.lots[1])):
            for location, in_date in (
                (cls.shelf_a, late),
                (cls.shelf_b, early),
                (cls.bin_b1, early),
                (cls.stock, late),
            ):
                cls.Quant._update_available_quantity(product, location, 5, lot_id=lot, in_date=in_date)
            cls.Quant._update_available_quantity(product, cls.shelf_a, 3, lot_id=lot, package_id=cls.package,
                                                 in_date=early)  # fmt: skip
            cls.Quant._update_available_quantity(product, cls.bin_b1, 2, lot_id=lot, owner_id=cls.owner,
                                                 in_date=late)  # fmt: skip
        moves = env["stock.move"]
        for product in (cls.plain, cls.tracked):
            for location in (cls.stock, cls.shelf_b):
                moves |= moves.create(
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": 1,
                        "product_uom": product.uom_id.id,
                        "location_id": location.id,
                        "location_dest_id": env.ref("stock.stock_location_customers").id,
                    }
                )
        cls.moves = moves

    def _inputs(self):
        # "none" as Odoo's callers give it: an empty recordset
        lots = [self.env["stock.lot"], *self.lots]
        packages = [self.env["stock.quant.package"], self.package]
        owners = [self.env["res.partner"], self.owner]
        kwargs = [
            {"lot_id": lot, "package_id": package, "owner_id": owner, "strict": strict}
            for lot, package, owner, strict in cartesian(lots, packages, owners, [False, True])
        ]
        return list(cartesian([self.plain, self.tracked], [self.stock, self.shelf_b, self.shelf_a], kwargs))

    def _compare(self, removal):
        self.env["product.category"].search([]).removal_strategy_id = self.env.ref(f"stock.removal_{removal}")
        inputs = self._inputs()
        expected = [odoo_gather(self.Quant, p, loc, **kw).ids for p, loc, kw in inputs]
        self.assertGreater(sum(map(bool, expected)), len(expected) / 3, "the fixtures have quants for many inputs")
        with self.Quant._omni_quants_read_once(self.moves) as env:
            Quant = self.Quant.with_env(env)
            index = self.env.cr.cache[GATHER_INDEX]
            self.assertEqual(bool(index), removal != "closest", "FIFO and LIFO are indexed, other strategies not")
            for _round in range(2):
                for (p, loc, kw), ids in zip(inputs, expected, strict=True):
                    self.assertEqual(Quant._gather(p, loc, **kw).ids, ids, f"{removal}: {p.name} in {loc.name} {kw}")
        self.assertNotIn(GATHER_INDEX, self.env.cr.cache, "the index lives for one block only")

    def test_fifo_as_odoo_gathers(self):
        self._compare("fifo")

    def test_lifo_as_odoo_gathers(self):
        self._compare("lifo")

    def test_closest_as_odoo_gathers(self):
        self._compare("closest")
