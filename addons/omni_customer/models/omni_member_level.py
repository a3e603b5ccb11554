# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class OmniMemberLevel(models.Model):
    """A member level (普通会员, 银卡, 金卡...): reached with the points a
    member ever earned (spending or expiry does not take a level away)."""

    _name = "omni.member.level"
    _description = "Member Level"
    _order = "company_id, min_points, id"

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    min_points = fields.Integer(string="From Points Earned", help="Points earned in total to reach this level.")
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("company_points_uniq", "unique(company_id, min_points)", "Two levels cannot start at the same points."),
        ("min_points_positive", "CHECK(min_points >= 0)", "A level starts at zero points or more."),
    ]
