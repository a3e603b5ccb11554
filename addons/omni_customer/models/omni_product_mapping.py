# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import float_repr


class OmniProductMapping(models.Model):
    _inherit = "omni.product.mapping"
    # the phone order's product is a row of the call-centre channel's relation table, chosen by the agent
    # from a drop-down: found by SKU or product and named by them, not "omni.product.mapping,12"
    _rec_names_search = ["platform_sku", "product_id"]

    @api.depends("platform_sku", "product_id", "quantity")
    def _compute_display_name(self):
        for mapping in self:
            quantity = float_repr(mapping.quantity, 4).rstrip("0").rstrip(".")
            mapping.display_name = f"{mapping.platform_sku}: {mapping.product_id.display_name} × {quantity}"
