# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    omni_retail_journal_id = fields.Many2one(
        related="company_id.omni_retail_journal_id", readonly=False, check_company=True
    )
    omni_retail_auto_post = fields.Boolean(related="company_id.omni_retail_auto_post", readonly=False)
    omni_retail_cron_days = fields.Integer(related="company_id.omni_retail_cron_days", readonly=False)
    omni_retail_cron_done_until = fields.Date(related="company_id.omni_retail_cron_done_until")
