# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class OmniChannelReviewRule(models.Model):
    """A review rule as one channel runs it: on or off, at its place in the
    channel's order of priority."""

    _name = "omni.channel.review.rule"
    _description = "Review Rule of a Channel"
    _order = "channel_id, sequence, id"
    _check_company_auto = True

    channel_id = fields.Many2one("omni.channel", required=True, ondelete="cascade", index=True)
    rule_id = fields.Many2one("omni.review.rule", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="channel_id.company_id", store=True)
    sequence = fields.Integer(string="Priority", default=100)
    enabled = fields.Boolean(string="On", default=True)
    check = fields.Selection(related="rule_id.check")
    blocking = fields.Boolean(related="rule_id.blocking")
    description = fields.Text(related="rule_id.description")

    _sql_constraints = [
        ("channel_rule_unique", "unique(channel_id, rule_id)", "A channel has each review rule once."),
    ]

    @api.constrains("channel_id", "rule_id")
    def _check_rule_company(self):
        for line in self:
            if line.rule_id.company_id and line.rule_id.company_id != line.channel_id.company_id:
                raise ValidationError(
                    self.env._(
                        "Review rule %(rule)s belongs to another company than channel %(channel)s.",
                        rule=line.rule_id.name,
                        channel=line.channel_id.code,
                    )
                )
