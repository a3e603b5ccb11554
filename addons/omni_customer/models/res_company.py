# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    omni_followup_user_id = fields.Many2one(
        "res.users",
        string="Member Follow-ups To",
        help="Agent who gets the birthday and points follow-ups of members without a salesperson.",
    )
