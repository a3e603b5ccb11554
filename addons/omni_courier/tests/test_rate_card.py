# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import Decimal

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase

from ..models.courier_rate import RateCard, normalize_province


def _card(rounding="0.1", divisor=6000, cod_fee_rate="0"):
    lines = [
        ({"广东", "广西"}, Decimal(1), Decimal(12), Decimal(1), Decimal(3)),
        (set(), Decimal("0.5"), Decimal(8), Decimal("0.5"), Decimal(1)),
    ]
    return RateCard(lines, Decimal(rounding), divisor, Decimal(cod_fee_rate))


class TestRateCard(TransactionCase):
    def test_province_names_match_tolerantly(self):
        self.assertEqual(normalize_province("广东省"), "广东")
        self.assertEqual(normalize_province("广西壮族自治区"), "广西")
        self.assertEqual(normalize_province("上海市"), "上海")
        self.assertEqual(normalize_province("浙江省杭州市"), "浙江")
        card = _card()
        self.assertEqual(card.freight("广东省", Decimal(1)), Decimal(12))
        self.assertEqual(card.freight("广西壮族自治区", Decimal(1)), Decimal(12))
        self.assertEqual(card.freight("广东深圳", Decimal(1)), Decimal(12), "a city after the province")
        self.assertEqual(card.freight("北京", Decimal("0.5")), Decimal(8), "the default zone")

    def test_first_and_additional_weight(self):
        card = _card()
        self.assertEqual(card.freight("广东", Decimal("0.3")), Decimal(12))
        self.assertEqual(card.freight("广东", Decimal("1.0")), Decimal(12))
        self.assertEqual(card.freight("广东", Decimal("1.1")), Decimal(15), "an additional unit started")
        self.assertEqual(card.freight("广东", Decimal("3.0")), Decimal(18))
        self.assertEqual(card.freight("北京", Decimal("1.2")), Decimal(10), "0.5 first + 2 half kilos")

    def test_rounding_rules(self):
        self.assertEqual(_card("0.1").chargeable_weight(1.21), Decimal("1.3"))
        self.assertEqual(_card("0.1").chargeable_weight(1.2), Decimal("1.2"))
        self.assertEqual(_card("0.5").chargeable_weight(1.21), Decimal("1.5"))
        self.assertEqual(_card("0.5").chargeable_weight(1.5), Decimal("1.5"))
        self.assertEqual(_card("1").chargeable_weight(1.01), Decimal("2"))
        self.assertEqual(_card("0.01").chargeable_weight(1.234), Decimal("1.24"))

    def test_volumetric_weight(self):
        card = _card("0.1", divisor=6000)
        # 50 × 40 × 30 / 6000 = 10 kg beats 2 kg actual: 抛货
        self.assertEqual(card.chargeable_weight(2, 50, 40, 30), Decimal("10.0"))
        # heavy and small: the actual weight counts
        self.assertEqual(card.chargeable_weight(5, 20, 10, 10), Decimal("5.0"))
        # 8000 cm³/kg couriers: 50 × 40 × 30 / 8000 = 7.5 kg
        self.assertEqual(_card("0.5", divisor=8000).chargeable_weight(2, 50, 40, 30), Decimal("7.5"))
        # no divisor: no volumetric weight
        self.assertEqual(_card("0.1", divisor=0).chargeable_weight(2, 50, 40, 30), Decimal("2.0"))
        # rounded after the volumetric weight: 31 × 21 × 11 / 6000 = 1.1935 -> 1.2
        self.assertEqual(card.chargeable_weight(1, 31, 21, 11), Decimal("1.2"))

    def test_cod_fee(self):
        self.assertEqual(_card(cod_fee_rate="1.5").cod_fee(105), Decimal("1.58"))
        self.assertEqual(_card(cod_fee_rate="0").cod_fee(105), Decimal(0))

    def test_rate_card_on_the_carrier(self):
        product = self.env["product.product"].create({"name": "Freight", "type": "service"})
        carrier = self.env["delivery.carrier"].create(
            {
                "name": "YTO",
                "omni_courier_code": "yto",
                "product_id": product.id,
                "omni_weight_rounding": "0.5",
                "omni_volumetric_divisor": 8000,
                "omni_rate_ids": [
                    Command.create(
                        {"name": "South", "provinces": "广东省 广西", "first_price": 9, "additional_price": 4}
                    ),
                    Command.create({"name": "Rest", "first_price": 12, "additional_price": 6}),
                ],
            }
        )
        self.assertEqual(carrier.omni_courier_code, "YTO")
        card = carrier._omni_rate_card()
        weight = card.chargeable_weight(1.2)
        self.assertEqual(weight, Decimal("1.5"))
        self.assertEqual(card.freight("广东", weight), Decimal(13))
        self.assertEqual(card.freight("四川省", weight), Decimal(18))
        with self.assertRaises(ValidationError):
            carrier.omni_rate_ids[1].provinces = "广东省, 四川"

    def test_statement_column_mapping(self):
        product = self.env["product.product"].create({"name": "Freight", "type": "service"})
        carrier = self.env["delivery.carrier"].create(
            {"name": "JD", "omni_courier_code": "JD", "product_id": product.id,
             "omni_statement_columns": "tracking_no = 京东单号, Waybill\nfee = 结算金额"}
        )  # fmt: skip
        aliases = carrier._omni_statement_aliases()
        self.assertEqual(aliases["tracking_no"][:2], ["京东单号", "Waybill"])
        self.assertIn("运单号", aliases["tracking_no"])
        self.assertEqual(aliases["fee"][0], "结算金额")
        with self.assertRaises(ValidationError):
            carrier.omni_statement_columns = "parcel = 单号"
