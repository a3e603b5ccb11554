# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductSupplierinfo(models.Model):
    _inherit = "product.supplierinfo"

    omni_order_multiple = fields.Float(
        string="Order Multiple",
        digits="Product Unit of Measure",
        default=0.0,
        help="The vendor sells in multiples of this quantity (purchase unit), e.g. a carton of 12. " "0: any quantity.",
    )

    @api.constrains("omni_order_multiple", "min_qty")
    def _check_omni_order_multiple(self):
        for info in self:
            if info.omni_order_multiple < 0 or info.min_qty < 0:
                raise ValidationError(
                    self.env._(
                        "Vendor line %(vendor)s of %(product)s: minimum quantity and multiple cannot be negative.",
                        vendor=info.partner_id.display_name,
                        product=info.product_tmpl_id.display_name,
                    )
                )
