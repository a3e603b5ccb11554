# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import random
from datetime import datetime

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import JobsMixin, OmniOrderTestMixin, b64, csv_bytes


@tagged("post_install", "-at_install")
class TestSaleOrderIsWhatWasPaid(JobsMixin, OmniOrderTestMixin, TransactionCase):
    """Every channel sale order's total is the platform order's paid amount
    to the cent, for any quantity, pack size, bundle share and tax."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        env = cls.env
        Product = env["product.product"]
        Tax = env["account.tax"]
        cls.tax_13 = Tax.create({"name": "VAT 13% test", "amount": 13.0, "type_tax_use": "sale"})
        cls.tax_9_incl = Tax.create(
            {
                "name": "VAT 9% incl test",
                "amount": 9.0,
                "type_tax_use": "sale",
                "price_include_override": "tax_included",
            }
        )
        cls.jam = Product.create(
            {"name": "Jam", "default_code": "JAM", "list_price": 13.0, "taxes_id": [(6, 0, cls.tax_13.ids)]}
        )
        cls.nuts = Product.create(
            {"name": "Nuts", "default_code": "NUTS", "list_price": 7.0, "taxes_id": [(6, 0, cls.tax_9_incl.ids)]}
        )
        cls.rice = Product.create({"name": "Rice", "default_code": "RICE", "list_price": 3.0, "taxes_id": False})
        cls.channel._omni_setup_included_taxes()  # the new 13 % tax gets its price-included twin
        cls.env["omni.product.mapping"].create(
            [
                {"channel_id": cls.channel.id, "platform_sku": "TM-CUP-12", "product_id": cls.cup.id, "quantity": 12},
                {"channel_id": cls.channel.id, "platform_sku": "TM-JAM-36", "product_id": cls.jam.id, "quantity": 36},
                # a bundle whose first part takes 2/3 of the price (list prices 13 x 2 and 13)
                {"channel_id": cls.channel.id, "platform_sku": "TM-TRIO", "product_id": cls.jam.id, "quantity": 2},
                {"channel_id": cls.channel.id, "platform_sku": "TM-TRIO", "product_id": cls.nuts.id, "quantity": 1},
                {"channel_id": cls.channel.id, "platform_sku": "TM-TRIO", "product_id": cls.rice.id, "quantity": 2},
                {
                    "channel_id": cls.channel.id,
                    "platform_sku": "TM-RICE-07",
                    "product_id": cls.rice.id,
                    "quantity": 0.7,
                },
                {"channel_id": cls.channel.id, "platform_sku": "TM-NUTS-3", "product_id": cls.nuts.id, "quantity": 3},
            ]
        )
        cls.Order = env["omni.order"]

    def _confirmed(self, number, lines, paid, shipping="0", **values):
        [result] = self.Order.import_orders(
            "TMALL01",
            [self._order(number, lines=lines, paid_amount=paid, shipping_fee=shipping, **values)],
        )
        order = self.Order.browse(result["order_id"])
        self.assertEqual(order.state, "confirmed", order.exception_reasons)
        return order

    def test_twelve_pack(self):
        order = self._confirmed("M1", [{"platform_sku": "TM-CUP-12", "quantity": "1", "unit_price": "59.00"}], "59.00")
        sale = order.sale_order_id
        self.assertAlmostEqual(sale.amount_total, 59.00, places=2)
        self.assertEqual(sum(sale.order_line.mapped("product_uom_qty")), 12)
        # 11 units at 4.92 and the last one carrying the remainder: 54.12 + 4.88
        self.assertEqual(sorted(sale.order_line.mapped("price_unit")), [4.88, 4.92])

    def test_thirty_six_units(self):
        order = self._confirmed(
            "M2", [{"platform_sku": "TM-JAM-36", "quantity": "1", "unit_price": "177.00"}], "177.00"
        )
        self.assertAlmostEqual(order.sale_order_id.amount_total, 177.00, places=2)

    def test_bundle_share(self):
        order = self._confirmed("M3", [{"platform_sku": "TM-TRIO", "quantity": "1", "unit_price": "99.00"}], "99.00")
        self.assertAlmostEqual(order.sale_order_id.amount_total, 99.00, places=2)

    def test_paid_amount_within_tolerance_wins(self):
        # lines 3 x 33.33 = 99.99 + shipping 6; paid 105.99 -> 106.00 off by a cent, within tolerance
        order = self._confirmed(
            "M4", [{"platform_sku": "TM-NUTS-3", "quantity": "3", "unit_price": "33.33"}], "105.98", shipping="6"
        )
        self.assertAlmostEqual(order.sale_order_id.amount_total, 105.98, places=2)

    def test_three_hundred_order_file(self):
        """A 300-order platform file of random quantities, packs, bundles and
        taxes: every sale order total equals the amount paid."""
        rng = random.Random(12)
        skus = ["TM-CUP-12", "TM-JAM-36", "TM-TRIO", "TM-RICE-07", "TM-NUTS-3", "TM-TEA-250G", "TM-GIFT-BOX"]
        rows = []
        for index in range(300):
            number = f"F{index:03d}"
            picked = rng.sample(skus, rng.randint(1, 3))
            lines = [
                # fractional platform quantities whose product quantities the
                # products' units keep (others wait in the exception queue)
                (sku, rng.choice(["1", "2", "3", "0.4", "1.2", "7"]), f"{rng.uniform(0.5, 300):.2f}")
                for sku in picked
            ]
            shipping = rng.choice(["0", "0", "6", "8.5"])
            paid = sum(round(float(q) * float(p), 2) for _s, q, p in lines) + float(shipping)
            for position, (sku, qty, price) in enumerate(lines):
                rows.append(
                    ["TMALL01", number, "2026-11-11 10:00:00", "nick", f"买家{index}", "19038879107", "江苏省",
                     "南京市", "鼓楼区", f"建国路{index}号", sku, qty, price, shipping if not position else "",
                     "在线支付", f"{paid:.2f}" if not position else "", ""]
                )  # fmt: skip
        summary = self.Order.import_file("orders.csv", b64(csv_bytes(rows)))
        self.assertEqual((summary["created"], summary["exceptions"], summary["errors"]), (300, 0, []))
        self._perform_jobs("_confirm_orders_job")
        orders = self.Order.search([("platform_order_no", "like", "F%"), ("channel_id", "=", self.channel.id)])
        self.assertEqual(len(orders), 300)
        self.assertEqual(set(orders.mapped("state")), {"confirmed"})
        wrong = [
            (o.platform_order_no, o.paid_amount, o.sale_order_id.amount_total)
            for o in orders
            if o.sale_order_id.currency_id.compare_amounts(o.sale_order_id.amount_total, o.paid_amount)
        ]
        self.assertEqual(wrong, [], f"{len(wrong)} of 300 sale orders differ from what was paid")


@tagged("post_install", "-at_install")
class TestOrderClock(OmniOrderTestMixin, TransactionCase):
    """Platform times are read in the channel's platform time zone (China for
    Chinese platforms), days are counted in the company's, never the user's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.company.partner_id.tz = "Europe/Paris"
        cls.webshop = cls.env["omni.channel"].create(
            {"name": "Web shop", "code": "WEB01", "platform": "webshop", "company_id": cls.company.id}
        )
        cls.env["omni.product.mapping"].create(
            {"channel_id": cls.webshop.id, "platform_sku": "TM-HONEY-500G", "product_id": cls.honey.id, "quantity": 1}
        )
        cls.Order = cls.env["omni.order"]

    def _stage(self, code, time_text):
        [result] = self.Order.with_context(tz="America/New_York").import_orders(
            code, [self._order(f"CLK-{code}", order_time=time_text)]
        )
        return self.Order.browse(result["order_id"])

    def test_chinese_platform_time_is_china_time_in_any_company(self):
        order = self._stage("TMALL01", "2026-11-11 10:30:00")
        self.assertEqual(order.order_time, datetime(2026, 11, 11, 2, 30))

    def test_webshop_time_is_the_company_time(self):
        order = self._stage("WEB01", "2026-11-11 10:30:00")
        self.assertEqual(order.order_time, datetime(2026, 11, 11, 9, 30))

    def test_ship_on_day_is_the_company_day(self):
        # 23:30 China time is 16:30 in Paris: after the company's 16:00 cut-off
        order = self._stage("TMALL01", "2026-11-11 23:30:00")
        self.assertEqual(str(order.ship_target_date), "2026-11-12")
        morning = self._stage("WEB01", "2026-11-11 09:00:00")
        self.assertEqual(str(morning.ship_target_date), "2026-11-11")

    def test_adapter_times_are_china_time_for_any_channel(self):
        orders = [self._order("CLK-API", order_time="2026-11-11 10:30:00")]
        self.Order._import_orders(self.webshop, orders, source="api")
        order = self.Order.search([("platform_order_no", "=", "CLK-API")])
        self.assertEqual(order.order_time, datetime(2026, 11, 11, 2, 30))


@tagged("post_install", "-at_install")
class TestIncludedTaxes(OmniOrderTestMixin, TransactionCase):
    """Price-included taxes are made once at set-up, never at confirmation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.channel.auto_confirm = False
        cls.tax_6 = cls.env["account.tax"].create({"name": "VAT 6% test", "amount": 6.0, "type_tax_use": "sale"})
        cls.honey.taxes_id = cls.tax_6

    def _included_count(self):
        return self.env["account.tax"].search_count([("amount", "=", 6.0), ("price_include", "=", True)])

    def test_confirmation_never_creates_a_tax(self):
        [result] = self.env["omni.order"].import_orders(
            "TMALL01", [self._order("TX1", paid_amount="19.99", shipping_fee="0",
                                    lines=[{"platform_sku": "TM-HONEY-500G", "quantity": "1", "unit_price": "19.99"}])]
        )  # fmt: skip
        order = self.env["omni.order"].browse(result["order_id"])
        with self.assertRaisesRegex(UserError, "VAT 6% test of product"):
            order.action_confirm()
        self.assertEqual(self._included_count(), 0)
        self.channel.action_setup_included_taxes()
        self.channel.action_setup_included_taxes()  # twice is once
        self.assertEqual(self._included_count(), 1)
        order.action_confirm()
        self.assertEqual(order.sale_order_id.order_line.tax_id.mapped("price_include"), [True])
        self.assertAlmostEqual(order.sale_order_id.amount_total, 19.99, places=2)

    def test_setup_needs_a_channel_manager(self):
        clerk = self._create_omni_user("tax_clerk", self.company, "omni_channel.group_omni_channel_user")
        with self.assertRaises(UserError):
            self.channel.with_user(clerk).action_setup_included_taxes()
        self.assertEqual(self._included_count(), 0)
