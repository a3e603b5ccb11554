# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class OmniStockStateReport(models.Model):
    _inherit = "omni.stock.state.report"

    locked_for_wholesale = fields.Float(
        string="Returned to Wholesale (Locked)",
        readonly=True,
        digits="Product Unit of Measure",
        help="Applied back to the wholesale company (申请退货) and locked until it decides: not sellable.",
    )

    @api.model
    def _omni_state_columns(self):
        return super()._omni_state_columns() + [("omni_ic_return_locked", "locked_for_wholesale")]
