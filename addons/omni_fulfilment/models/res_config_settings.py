# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    omni_max_parcel_weight = fields.Float(related="company_id.omni_max_parcel_weight", readonly=False)
    omni_max_pack_quantity = fields.Float(related="company_id.omni_max_pack_quantity", readonly=False)
