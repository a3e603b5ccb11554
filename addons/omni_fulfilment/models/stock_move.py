# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    omni_packed_qty = fields.Float(
        string="Packed (scanned)", digits="Product Unit of Measure", copy=False, readonly=True
    )
