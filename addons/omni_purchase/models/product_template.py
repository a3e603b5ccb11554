# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

OVERRIDE_HELP = "0 or empty: the vendor's value, else the company's."


class ProductTemplate(models.Model):
    _inherit = "product.template"

    omni_review_days = fields.Integer(string="Review Cycle (days)", help=OVERRIDE_HELP)
    omni_cover_days = fields.Integer(string="Cover Days", help=OVERRIDE_HELP)
    omni_safety_days = fields.Integer(string="Safety Days", help="0 or empty: the company's value.")
