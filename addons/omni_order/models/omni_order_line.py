# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from odoo.addons.omni_base.tools import guard


class OmniOrderLine(models.Model):
    _name = "omni.order.line"
    _description = "Platform Order Line"
    _order = "order_id, sequence, id"

    order_id = fields.Many2one("omni.order", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    currency_id = fields.Many2one(related="order_id.currency_id")
    sequence = fields.Integer(default=10)
    platform_sku = fields.Char(string="Platform SKU", index=True)
    quantity = fields.Float(digits=(16, 4))
    unit_price = fields.Monetary()
    amount = fields.Monetary(compute="_compute_amount")
    product_summary = fields.Char(
        string="Products", compute="_compute_product_summary", help="What the relation table makes of this SKU."
    )
    is_mapped = fields.Boolean(
        compute="_compute_product_summary", help="The relation table maps this line's platform SKU."
    )

    # --- guards: the lines are the sale order's money, frozen once the order left review
    @api.model_create_multi
    def create(self, vals_list):
        if not guard.is_internal(self):
            orders = self.env["omni.order"].browse({vals.get("order_id") for vals in vals_list} - {None, False})
            orders._check_money_open()
            orders._check_money_rights()
        lines = super().create(vals_list)
        if not guard.is_internal(self):
            lines.order_id._omni_allocate()
        return lines

    def write(self, vals):
        if not guard.is_internal(self):
            self.order_id._check_money_open()
            if set(vals) & {"quantity", "unit_price", "order_id"}:
                self.order_id._check_money_rights()
            if "order_id" in vals:
                self.env["omni.order"].browse(vals["order_id"])._check_money_open()
        orders = self.order_id
        result = super().write(vals)
        if set(vals) & {"quantity", "platform_sku", "order_id"}:
            (orders | self.order_id)._omni_allocate()
        return result

    def unlink(self):
        orders = self.order_id
        result = super().unlink()
        orders.exists()._omni_allocate()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_open_order(self):
        if not guard.is_internal(self):
            self.order_id.exists()._check_money_open()
            self.order_id.exists()._check_money_rights()

    @api.depends("quantity", "unit_price")
    def _compute_amount(self):
        for line in self:
            line.amount = line.quantity * line.unit_price

    @api.depends("platform_sku", "quantity", "order_id.channel_id")
    def _compute_product_summary(self):
        components = self.env["omni.product.mapping"]._get_components(
            {(line.order_id.channel_id.id, line.platform_sku) for line in self if line.platform_sku}
        )
        for line in self:
            parts = components.get((line.order_id.channel_id.id, line.platform_sku))
            line.is_mapped = bool(parts)
            line.product_summary = (
                ", ".join(f"{product.display_name} × {line.quantity * qty:g}" for product, qty in parts)
                if parts
                else self.env._("unknown SKU")
            )

    def action_map_sku(self):
        """Map this line's unknown platform SKU in the channel's product
        relation table, from the order; then Check Again."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Map %(sku)s", sku=self.platform_sku),
            "res_model": "omni.product.mapping",
            "view_mode": "form",
            "views": [(self.env.ref("omni_order.omni_product_mapping_view_form_quick").id, "form")],
            "target": "new",
            "context": {
                "default_channel_id": self.order_id.channel_id.id,
                "default_platform_sku": self.platform_sku,
                "default_quantity": 1.0,
            },
        }
