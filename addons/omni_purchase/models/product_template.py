# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

OVERRIDE_HELP = "0 or empty: the vendor's value, else the company's."


class ProductTemplate(models.Model):
    _inherit = "product.template"

    omni_review_days = fields.Integer(string="Review Cycle (days)", help=OVERRIDE_HELP)
    omni_cover_days = fields.Integer(string="Cover Days", help=OVERRIDE_HELP)
    omni_safety_days = fields.Integer(string="Safety Days", help="0 or empty: the company's value.")

    @api.constrains("omni_review_days", "omni_cover_days", "omni_safety_days")
    def _check_omni_purchase_days(self):
        for template in self:
            if min(template.omni_review_days, template.omni_cover_days, template.omni_safety_days) < 0:
                raise ValidationError(
                    self.env._(
                        "%(product)s: review cycle, cover days and safety days cannot be negative "
                        "(0 uses the vendor's or the company's value).",
                        product=template.display_name,
                    )
                )
