# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    omni_channel_id = fields.Many2one(
        "omni.channel",
        string="Channel",
        related="sale_line_id.order_id.omni_channel_id",
        store=True,
        index=True,
        help="Channel (unit code) whose order this move delivers or returns.",
    )
    omni_unit_code = fields.Char(related="omni_channel_id.code", string="Unit Code")
    omni_packed_qty = fields.Float(
        string="Packed (scanned)", digits="Product Unit of Measure", copy=False, readonly=True
    )
