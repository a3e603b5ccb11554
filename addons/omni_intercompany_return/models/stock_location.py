# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class StockLocation(models.Model):
    _inherit = "stock.location"

    omni_ic_return_locked = fields.Boolean(
        string="Returned to Wholesale (Locked)",
        help="Goods applied back to the wholesale company (申请退货) wait here until it accepts or refuses "
        "them: never offered on a channel nor reserved for a delivery.",
    )

    @api.model
    def _omni_stock_state_fields(self):
        return super()._omni_stock_state_fields() + ["omni_ic_return_locked"]

    @api.constrains("omni_ic_return_locked")
    def _check_omni_ic_return_locked(self):
        """A stock state like the others (omni_order's one check)."""
        self._check_omni_stock_state()
