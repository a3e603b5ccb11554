# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

COURIER_CODE_PATTERN = re.compile(r"^[A-Z0-9_-]+$")
# a tracking number as printed on labels: letters and digits, long enough that
# a prefix alone (SF, 7730) is not mistaken for a product's reference
TRACKING_NUMBER_PATTERN = re.compile(r"^[A-Za-z0-9]{10,30}$")


class DeliveryCarrier(models.Model):
    """A courier's code (SF, ZTO, YTO, STO, YD, EMS, JD, ...): what the
    platforms, the waybills and the courier statements call it. A delivery
    carries its courier as Odoo's ``carrier_id``."""

    _inherit = "delivery.carrier"

    omni_courier_code = fields.Char(
        string="Courier Code",
        size=16,
        index=True,
        copy=False,
        help="Code that deliveries and courier statements use for this courier, e.g. SF, ZTO, YTO, STO, "
        "YD, EMS, JD. Upper-case; unique among the couriers a company can use.",
    )
    omni_tracking_pattern = fields.Char(
        string="Tracking Number Pattern",
        help="How this courier's tracking numbers look, so that a scanned label fills in the courier: prefixes "
        "separated by commas (e.g. 'SF' or '7730, 7731'; the number then has 10 to 30 letters and digits), or a "
        "regular expression starting with ^ (e.g. ^SF\\d{12}$).",
    )

    def _omni_platform_courier_code(self, picking):
        """The courier code written back to the platform (and into the
        export file) for ``picking`` shipped with this carrier: ours. A
        waybill service's provider answers the code under which the service
        issued the tracking number, so that the platform sees the courier
        that printed the label."""
        self.ensure_one()
        return self.omni_courier_code

    @api.model
    def _omni_normalize_code(self, code):
        return code.strip().upper() if isinstance(code, str) else code

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("omni_courier_code"):
                vals["omni_courier_code"] = self._omni_normalize_code(vals["omni_courier_code"])
        carriers = super().create(vals_list)
        carriers._omni_check_code_unique()
        return carriers

    def write(self, vals):
        if vals.get("omni_courier_code"):
            vals = dict(vals, omni_courier_code=self._omni_normalize_code(vals["omni_courier_code"]))
        res = super().write(vals)
        if "omni_courier_code" in vals or "company_id" in vals or "product_id" in vals:
            self._omni_check_code_unique()
        return res

    @api.constrains("omni_courier_code")
    def _check_omni_courier_code_format(self):
        for carrier in self.filtered("omni_courier_code"):
            if not COURIER_CODE_PATTERN.match(carrier.omni_courier_code):
                raise ValidationError(
                    self.env._(
                        "Courier code '%(code)s' of '%(name)s' may only hold upper-case letters, digits, '-' and '_'.",
                        code=carrier.omni_courier_code,
                        name=carrier.name,
                    )
                )

    @api.constrains("omni_tracking_pattern")
    def _check_omni_tracking_pattern(self):
        for carrier in self.filtered("omni_tracking_pattern"):
            pattern = carrier.omni_tracking_pattern.strip()
            if not pattern.startswith("^"):
                continue
            try:
                re.compile(pattern)
            except re.error as err:
                raise ValidationError(
                    self.env._(
                        "Tracking number pattern of '%(name)s' is no valid regular expression: %(error)s",
                        name=carrier.name,
                        error=err,
                    )
                ) from err

    def _omni_matches_tracking(self, number):
        """Whether ``number`` looks like one of this courier's tracking numbers."""
        self.ensure_one()
        pattern = (self.omni_tracking_pattern or "").strip()
        if not pattern or not number:
            return False
        if pattern.startswith("^"):
            return bool(re.match(pattern, number))
        prefixes = [prefix.strip().upper() for prefix in re.split(r"[,，;；\s]+", pattern) if prefix.strip()]
        return bool(TRACKING_NUMBER_PATTERN.match(number)) and number.upper().startswith(tuple(prefixes))

    @api.model
    def _omni_match_tracking(self, number, company=None):
        """The couriers usable by ``company`` whose tracking number pattern
        ``number`` matches (one: that is the parcel's courier)."""
        company = company or self.env.company
        carriers = self.search(
            [("omni_tracking_pattern", "!=", False), ("omni_courier_code", "!=", False),
             ("company_id", "in", [company.id, False])]
        )  # fmt: skip
        return carriers.filtered(lambda carrier: carrier._omni_matches_tracking(number))

    def _omni_check_code_unique(self):
        """A courier code names one courier per company: two carriers with the
        same code may not both be usable by one company (a shared carrier, with
        no company, is usable by all)."""
        coded = self.filtered("omni_courier_code")
        if not coded:
            return
        others = (
            self.sudo()
            .with_context(active_test=False)
            .search([("omni_courier_code", "in", coded.mapped("omni_courier_code"))])
        )
        for carrier in coded:
            for other in others:
                if (
                    other.id != carrier.id
                    and other.omni_courier_code == carrier.omni_courier_code
                    and (not other.company_id or not carrier.company_id or other.company_id == carrier.company_id)
                ):
                    raise ValidationError(
                        self.env._(
                            "Courier code '%(code)s' is already used by '%(other)s'.",
                            code=carrier.omni_courier_code,
                            other=other.name,
                        )
                    )

    @api.model
    def _omni_get_by_code(self, code, company=None, raise_if_missing=True):
        """The courier with this code usable by ``company`` (default: the
        current one), its own before a shared one."""
        company = company or self.env.company
        code = self._omni_normalize_code(code)
        carriers = self.search(
            [("omni_courier_code", "=", code), ("company_id", "in", [company.id, False])],
            order="company_id",
        )
        if not carriers and raise_if_missing:
            raise ValidationError(
                self.env._(
                    "No courier with code '%(code)s' for company '%(company)s'. "
                    "Set the code on the courier (Inventory ▸ Configuration ▸ Shipping Methods).",
                    code=code,
                    company=company.name,
                )
            )
        return carriers[:1].with_company(company)
