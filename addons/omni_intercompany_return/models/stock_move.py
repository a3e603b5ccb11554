# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    omni_ic_return_line_id = fields.Many2one(
        "omni.intercompany.return.line",
        string="Return to wholesale line",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The line of the return to wholesale this move locks, unlocks or returns.",
    )
