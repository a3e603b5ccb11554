# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


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
