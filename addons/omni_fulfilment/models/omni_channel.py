# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    require_scan_packing = fields.Boolean(
        string="Verify Packing by Scanning",
        help="Deliveries of this channel are validated only when every unit was scanned.",
    )
