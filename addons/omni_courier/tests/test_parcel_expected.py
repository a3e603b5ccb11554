# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase

from .common import CourierTestMixin


class TestParcelExpectedAmounts(CourierTestMixin, TransactionCase):
    """Every shipped parcel shows its expected freight and COD, the same
    numbers the statement reconciliation uses (table in CourierTestMixin)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_courier()

    def test_expected_freight_and_cod_per_parcel(self):
        expected = {
            "SF1001": (1.2, 12.0, 0.0),  # 江浙沪: 10 + 1 extra kg x 2 (1.2 kg rounds up to 2 units)
            "SF1002": (4.0, 16.0, 0.0),  # volumetric: 40x30x20 / 6000 = 4 kg
            "SF1003": (2.0, 21.05, 105.0),  # others: 15 + 5, plus 1 % of 105 COD
            "SF1004": (1.0, 10.0, 0.0),
        }
        for tracking, (chargeable, fee, cod) in expected.items():
            picking = self.pickings[tracking]
            self.assertAlmostEqual(picking.omni_chargeable_weight, chargeable, msg=tracking)
            self.assertAlmostEqual(picking.omni_expected_fee, fee, msg=tracking)
            self.assertAlmostEqual(picking.omni_expected_cod, cod, msg=tracking)

    def test_parcel_amounts_follow_the_parcel_and_the_rate_card(self):
        picking = self.pickings["SF1004"]
        picking.omni_parcel_weight = 2.5
        self.assertAlmostEqual(picking.omni_chargeable_weight, 2.5)
        self.assertAlmostEqual(picking.omni_expected_fee, 14.0, msg="10 + 2 extra units (1.5 kg rounds up) x 2")

    def test_parcel_of_a_courier_without_rate_card_expects_nothing(self):
        picking = self.pickings["ZT1007"]
        self.assertEqual((picking.omni_chargeable_weight, picking.omni_expected_fee), (1.0, 0.0))
