# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError

CENT = Decimal("0.01")
_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
_PROVINCE_SPLIT_RE = re.compile(r"[,，、;；/\s]+")


def normalize_province(text):
    """'广东省' -> '广东', '广西壮族自治区' -> '广西', '上海市' -> '上海'; a
    string starting with a province ('浙江省杭州市') gives the province."""
    text = (text or "").strip().replace(" ", "")
    if not text:
        return ""
    for suffix in _PROVINCE_SUFFIXES:
        pos = text.find(suffix)
        if pos > 0:
            return text[:pos]
    return text


class RateCard:
    """A courier's rate card as plain Python, to price thousands of parcels
    without touching the ORM. ``lines``: (provinces (set of normalised
    names; empty = every other province), first weight, first price,
    additional unit, additional price), Decimals, in priority order."""

    def __init__(self, lines, rounding, divisor, cod_fee_rate):
        self.lines = lines
        self.rounding = rounding
        self.divisor = divisor
        self.cod_fee_rate = cod_fee_rate
        self._by_province = {}
        self._default = None
        # a statement prices 100,000 parcels over a few hundred (province, weight) pairs: each priced once
        self._freight_cache = {}
        for line in lines:
            if not line[0]:
                if self._default is None:
                    self._default = line
                continue
            for province in line[0]:
                self._by_province.setdefault(province, line)

    def line_for(self, province):
        province = normalize_province(province)
        line = self._by_province.get(province)
        if line is None and province:
            # tolerant: '浙江杭州' against a card written with '浙江'
            line = next((ln for name, ln in self._by_province.items() if province.startswith(name)), None)
        return line or self._default

    def chargeable_weight(self, weight, length=0, width=0, height=0):
        """max(actual, volumetric) rounded up to the rounding step."""
        chargeable = Decimal(str(weight or 0))
        if self.divisor and length and width and height:
            volumetric = Decimal(str(length)) * Decimal(str(width)) * Decimal(str(height)) / Decimal(self.divisor)
            chargeable = max(chargeable, volumetric)
        if self.rounding:
            chargeable = (chargeable / self.rounding).to_integral_value(rounding=ROUND_CEILING) * self.rounding
        return chargeable

    def freight(self, province, chargeable):
        """Freight of a parcel of ``chargeable`` kg to ``province``; None
        when no rate card line covers it."""
        key = (province, chargeable)
        try:
            return self._freight_cache[key]
        except KeyError:
            fee = self._freight_cache[key] = self._compute_freight(province, chargeable)
            return fee

    def _compute_freight(self, province, chargeable):
        line = self.line_for(province)
        if line is None:
            return None
        _provinces, first_weight, first_price, unit, price = line
        fee = first_price
        if chargeable > first_weight and unit > 0:
            fee += ((chargeable - first_weight) / unit).to_integral_value(rounding=ROUND_CEILING) * price
        return fee.quantize(CENT, rounding=ROUND_HALF_UP)

    def cod_fee(self, cod_amount):
        if not cod_amount or not self.cod_fee_rate:
            return Decimal(0)
        return (Decimal(str(cod_amount)) * self.cod_fee_rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)


class OmniCourierRate(models.Model):
    """One line of a courier's rate card (价格表): the provinces of a zone
    (none: every province no other line names), the first weight and its
    price, and the price of every additional unit started."""

    _name = "omni.courier.rate"
    _description = "Courier Rate Card Line"
    _order = "carrier_id, sequence, id"

    carrier_id = fields.Many2one("delivery.carrier", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="carrier_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Zone", required=True)
    provinces = fields.Char(
        help="Provinces of this zone separated by commas or spaces, e.g. '广东, 广西'. "
        "'广东' and '广东省' are the same. Empty: every province no other line names."
    )
    first_weight = fields.Float(string="First Weight (kg)", default=1.0, required=True)
    first_price = fields.Float(string="First Weight Price", required=True, digits="Product Price")
    additional_unit = fields.Float(string="Additional Unit (kg)", default=1.0, required=True)
    additional_price = fields.Float(string="Additional Unit Price", digits="Product Price")

    _sql_constraints = [
        ("first_weight_positive", "CHECK(first_weight >= 0)", "The first weight cannot be negative."),
        ("additional_unit_positive", "CHECK(additional_unit > 0)", "The additional unit must be above 0 kg."),
    ]

    def province_set(self):
        self.ensure_one()
        return {normalize_province(p) for p in _PROVINCE_SPLIT_RE.split(self.provinces or "") if p.strip()}

    @api.constrains("provinces", "carrier_id")
    def _check_provinces_once(self):
        for carrier in self.carrier_id:
            seen = {}
            for rate in carrier.omni_rate_ids:
                for province in rate.province_set() or {""}:
                    if province in seen:
                        raise ValidationError(
                            self.env._(
                                "Rate card of '%(courier)s': %(province)s is in both '%(zone)s' and '%(other)s'.",
                                courier=carrier.name,
                                province=province or self.env._("the default zone"),
                                zone=seen[province],
                                other=rate.name,
                            )
                        )
                    seen[province] = rate.name
