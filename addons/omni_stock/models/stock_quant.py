# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

# the quant fields whose change changes a product's sellable stock
STOCK_FIELDS = ("quantity", "reserved_quantity")


class StockQuant(models.Model):
    _inherit = "stock.quant"

    @api.model_create_multi
    def create(self, vals_list):
        quants = super().create(vals_list)
        self._omni_mark_stock_changed(quants)
        return quants

    def write(self, vals):
        res = super().write(vals)
        if any(fname in vals for fname in STOCK_FIELDS):
            self._omni_mark_stock_changed(self)
        return res

    @api.model
    def _omni_mark_stock_changed(self, quants):
        """Remember (product, location) of these quants, in memory: the
        channels to push are found once per transaction, at commit (no query
        here, whatever the number of moves a validation writes)."""
        if quants:
            self.env["omni.channel"]._omni_stock_changed(
                locations={(quant.product_id.id, quant.location_id.id) for quant in quants}
            )
