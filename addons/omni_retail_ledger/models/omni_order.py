# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class OmniOrder(models.Model):
    _inherit = "omni.order"

    retail_exported_at = fields.Datetime(
        string="Exported to Offline Books",
        readonly=True,
        copy=False,
        index=True,
        help="When the offline retail books marked this order as read (pull API).",
    )
