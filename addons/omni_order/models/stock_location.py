# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockLocation(models.Model):
    _inherit = "stock.location"

    omni_inspection = fields.Boolean(
        string="Returns Awaiting Inspection",
        help="Returned goods wait here until inspected: not sellable, not defective yet.",
    )
    omni_defective = fields.Boolean(
        string="Defective Goods",
        help="Goods that cannot be sold again (次品) are kept here: never offered on a channel.",
    )
