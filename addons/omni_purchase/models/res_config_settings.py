# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    omni_purchase_review_days = fields.Integer(related="company_id.omni_purchase_review_days", readonly=False)
    omni_purchase_cover_days = fields.Integer(related="company_id.omni_purchase_cover_days", readonly=False)
    omni_purchase_safety_days = fields.Integer(related="company_id.omni_purchase_safety_days", readonly=False)
    omni_purchase_service_level = fields.Float(related="company_id.omni_purchase_service_level", readonly=False)
    omni_purchase_default_lead_days = fields.Integer(
        related="company_id.omni_purchase_default_lead_days", readonly=False
    )
    omni_purchase_weight_7 = fields.Float(related="company_id.omni_purchase_weight_7", readonly=False)
    omni_purchase_weight_30 = fields.Float(related="company_id.omni_purchase_weight_30", readonly=False)
    omni_purchase_weight_90 = fields.Float(related="company_id.omni_purchase_weight_90", readonly=False)
    omni_purchase_slow_days = fields.Integer(related="company_id.omni_purchase_slow_days", readonly=False)
    omni_purchase_hold_over_receipt = fields.Boolean(
        related="company_id.omni_purchase_hold_over_receipt", readonly=False
    )
