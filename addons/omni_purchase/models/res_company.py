# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    omni_purchase_review_days = fields.Integer(
        string="Review Cycle (days)",
        default=7,
        help="Days between two purchase reviews of a product: what is ordered now must last until the next one.",
    )
    omni_purchase_cover_days = fields.Integer(
        string="Cover Days",
        default=14,
        help="Extra days of sales every purchase covers beyond lead time and review cycle.",
    )
    omni_purchase_safety_days = fields.Integer(
        string="Safety Days",
        default=3,
        help="Safety stock is at least this many days of sales (covers slow movers whose variation says little).",
    )
    omni_purchase_service_level = fields.Float(
        string="Service Level (%)",
        default=95.0,
        help="Chance of not running out during the lead time; gives z in z × σ × √lead time.",
    )
    omni_purchase_default_lead_days = fields.Integer(
        string="Default Lead Time (days)",
        default=7,
        help="Lead time used when the product's vendor line gives none (0 days) or the product has no vendor.",
    )
    omni_purchase_weight_7 = fields.Float(string="Weight of the Last 7 Days", default=0.5)
    omni_purchase_weight_30 = fields.Float(string="Weight of the Last 30 Days", default=0.3)
    omni_purchase_weight_90 = fields.Float(string="Weight of the Last 90 Days", default=0.2)
    omni_purchase_slow_days = fields.Integer(
        string="Slow Mover Above (turnover days)",
        default=90,
        help="A product whose stock lasts longer than this at its daily sales is a slow mover.",
    )
    omni_purchase_hold_over_receipt = fields.Boolean(
        string="Receipts Above Ordered Need a Purchase Manager",
        default=True,
        help="Validating a receipt that brings a purchase line's received quantity above what was ordered is "
        "refused to anybody but a purchase manager (Purchase / Administrator).",
    )

    @api.constrains(
        "omni_purchase_review_days",
        "omni_purchase_cover_days",
        "omni_purchase_safety_days",
        "omni_purchase_default_lead_days",
        "omni_purchase_slow_days",
        "omni_purchase_service_level",
        "omni_purchase_weight_7",
        "omni_purchase_weight_30",
        "omni_purchase_weight_90",
    )
    def _check_omni_purchase_settings(self):
        for company in self:
            days = (
                company.omni_purchase_review_days,
                company.omni_purchase_cover_days,
                company.omni_purchase_safety_days,
                company.omni_purchase_default_lead_days,
                company.omni_purchase_slow_days,
            )
            if min(days) < 0:
                raise ValidationError(
                    self.env._("%(company)s: purchase suggestion days cannot be negative.", company=company.name)
                )
            if not 50.0 <= company.omni_purchase_service_level < 100.0:
                raise ValidationError(
                    self.env._("%(company)s: the service level is a percentage from 50 to 99.99.", company=company.name)
                )
            weights = (company.omni_purchase_weight_7, company.omni_purchase_weight_30, company.omni_purchase_weight_90)
            if min(weights) < 0 or not sum(weights):
                raise ValidationError(
                    self.env._(
                        "%(company)s: the weights of the 7, 30 and 90 day windows are positive or zero, "
                        "and not all zero.",
                        company=company.name,
                    )
                )
