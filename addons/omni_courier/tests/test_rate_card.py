# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import importlib.util
from decimal import Decimal
from pathlib import Path

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase
from odoo.tools import mute_logger

from ..models.courier_rate import RateCard, normalize_province
from ..models.courier_statement_column import STATEMENT_COLUMN_KEYS


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
            {
                "name": "JD",
                "omni_courier_code": "JD",
                "product_id": product.id,
                "omni_statement_column_ids": [
                    Command.create({"key": "tracking_no", "header": " 京东单号 "}),
                    Command.create({"key": "tracking_no", "header": "Waybill"}),
                    Command.create({"key": "fee", "header": "结算金额"}),
                ],
            }
        )
        aliases = carrier._omni_statement_aliases()
        self.assertEqual(aliases["tracking_no"][:2], ["京东单号", "Waybill"])
        self.assertIn("运单号", aliases["tracking_no"])
        self.assertEqual(aliases["fee"][0], "结算金额")
        self.assertEqual(set(aliases), {key for key, _label in STATEMENT_COLUMN_KEYS})
        with self.assertRaises(ValueError):  # not a column of a statement
            carrier.omni_statement_column_ids = [Command.create({"key": "parcel", "header": "单号"})]
        with self.assertRaises(ValidationError) as caught:
            carrier.omni_statement_column_ids = [Command.create({"key": "fee", "header": "  "})]
        self.assertIn("JD", str(caught.exception))
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            carrier.omni_statement_column_ids = [Command.create({"key": "weight", "header": "Waybill"})]

    def test_statement_columns_filled_on_the_courier_form(self):
        product = self.env["product.product"].create({"name": "Freight", "type": "service"})
        form = Form(self.env["delivery.carrier"])
        form.name = "YD"
        form.product_id = product
        form.omni_courier_code = "YD"
        with form.omni_statement_column_ids.new() as column:
            column.header = "韵达单号"
            column.key = "tracking_no"
        carrier = form.save()
        self.assertEqual(carrier._omni_statement_aliases()["tracking_no"][0], "韵达单号")

    def test_statement_columns_migrated_from_text(self):
        """18.0.1.1.0: the text field omni_statement_columns becomes lines."""
        product = self.env["product.product"].create({"name": "Freight", "type": "service"})
        carrier = self.env["delivery.carrier"].create(
            {"name": "JD", "omni_courier_code": "JD", "product_id": product.id}
        )
        cr = self.env.cr
        cr.execute("ALTER TABLE delivery_carrier ADD COLUMN IF NOT EXISTS omni_statement_columns text")
        cr.execute(
            "UPDATE delivery_carrier SET omni_statement_columns = %s WHERE id = %s",
            ["tracking_no = 京东单号, Waybill\n\nparcel = 包裹\nfee = 结算金额；运费合计", carrier.id],
        )
        path = Path(__file__).parents[1] / "migrations" / "18.0.1.1.0" / "post-migrate.py"
        spec = importlib.util.spec_from_file_location("omni_courier_post_migrate_18_0_1_1_0", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        with self.assertLogs("odoo.addons.omni_courier.models.courier_statement_column", "WARNING") as logs:
            module.migrate(cr, "18.0.1.0.0")
        self.assertIn("parcel", logs.output[0])
        columns = carrier.omni_statement_column_ids
        self.assertEqual(columns.mapped("header"), ["京东单号", "Waybill", "结算金额", "运费合计"])
        self.assertEqual(columns.mapped("key"), ["tracking_no", "tracking_no", "fee", "fee"])
        module.migrate(cr, "18.0.1.0.0")  # twice: nothing twice
        self.assertEqual(len(carrier.omni_statement_column_ids), 4)
