# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    omni_suggestion_date = fields.Datetime(
        string="Purchase Suggestions Computed", readonly=True, copy=False,
        help="When the purchase suggestions of this warehouse were last computed.",
    )  # fmt: skip
