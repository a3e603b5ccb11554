# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import UserError

# what the supplier company's sale order copied from the request
MIRRORED_FIELDS = ("product_id", "product_qty", "product_uom", "price_unit", "discount")


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.filtered(lambda line: not line.display_type)._omni_ic_check_unchanged()
        return lines

    def write(self, vals):
        if any(field in vals for field in MIRRORED_FIELDS):
            self.filtered(lambda line: not line.display_type)._omni_ic_check_unchanged()
        return super().write(vals)

    def _omni_ic_check_unchanged(self, order=None):
        """A goods request sent to the supplier company keeps what its sale
        order copied: a change on one side only would make the books differ."""
        for sent in (order or self.order_id).filtered("omni_ic_rule_id")[:1]:
            raise UserError(
                self.env._(
                    "Goods request %(order)s was sent to %(company)s as sale order %(sale)s: its products, "
                    "quantities and prices no longer change here. Cancel the request or make a new one.",
                    order=sent.name,
                    company=sent.omni_ic_rule_id.supplier_company_id.name,
                    sale=sent.omni_ic_sale_order_ref,
                )
            )
