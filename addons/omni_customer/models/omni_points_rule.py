# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class OmniPointsRule(models.Model):
    """How many points a shipped order of one channel earns."""

    _name = "omni.points.rule"
    _description = "Points Rule"
    _order = "company_id, channel_id"
    _check_company_auto = True

    channel_id = fields.Many2one("omni.channel", required=True, index=True, check_company=True)
    company_id = fields.Many2one(related="channel_id.company_id", store=True, index=True)
    points_per_yuan = fields.Float(
        string="Points per Currency Unit",
        default=1.0,
        digits=(12, 4),
        help="Points for each unit of the amount paid (shipping fee excluded), rounded down.",
    )
    validity_months = fields.Integer(string="Valid for (Months)", default=12, help="0: points never expire.")
    active = fields.Boolean(default=True)

    _sql_constraints = [("channel_uniq", "unique(channel_id)", "A channel has one points rule.")]

    @api.constrains("points_per_yuan", "validity_months")
    def _check_values(self):
        for rule in self:
            if rule.points_per_yuan < 0 or rule.validity_months < 0:
                raise ValidationError(
                    self.env._(
                        "Points rule of %(channel)s: rates and months cannot be negative.",
                        channel=rule.channel_id.display_name,
                    )  # fmt: skip
                )
