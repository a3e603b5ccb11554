# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    omni_review_days = fields.Integer(
        string="Review Cycle (days)",
        help="Purchase suggestions for this vendor's products: 0 or empty uses the company's value; "
        "a product's own value wins.",
    )
    omni_cover_days = fields.Integer(
        string="Cover Days",
        help="Purchase suggestions for this vendor's products: 0 or empty uses the company's value; "
        "a product's own value wins.",
    )

    @api.constrains("omni_review_days", "omni_cover_days")
    def _check_omni_purchase_days(self):
        for partner in self:
            if min(partner.omni_review_days, partner.omni_cover_days) < 0:
                raise ValidationError(
                    self.env._(
                        "Vendor %(vendor)s: review cycle and cover days cannot be negative "
                        "(0 uses the company's value).",
                        vendor=partner.display_name,
                    )
                )
