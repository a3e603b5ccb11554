# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The money of a channel sale order is the platform order's: its channel,
payment method and line prices are set by the confirmation and the merge
(guard.internal) and refused from any other write, whatever the context.

Kept apart from sale_order.py: one concern (the integrity guard) in one
place, and sale_order.py's fields and delivery hook are left as they are."""
# pylint: disable=consider-merging-classes-inherited

from odoo import api, models
from odoo.exceptions import UserError

from odoo.addons.omni_base.tools import guard

SALE_ORDER_GUARDED = ("omni_channel_id", "omni_payment_method")
SALE_LINE_GUARDED = ("product_id", "product_uom_qty", "product_uom", "price_unit", "discount", "tax_id", "order_id")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.model_create_multi
    def create(self, vals_list):
        guard.check_create(self, vals_list, dict.fromkeys(SALE_ORDER_GUARDED, False))
        return super().create(vals_list)

    def write(self, vals):
        guard.check_write(self, vals, SALE_ORDER_GUARDED)
        if "order_line" in vals and not guard.is_internal(self):
            self._omni_check_money_frozen()
        return super().write(vals)

    def _omni_check_money_frozen(self):
        channel_orders = self.filtered("omni_channel_id")
        if channel_orders:
            raise UserError(
                self.env._(
                    "%(order)s is a channel order: its lines and prices are what the buyer paid on the platform "
                    "and change only with the platform order.",
                    order=channel_orders[0].name,
                )
            )


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        if not guard.is_internal(self):
            self.env["sale.order"].browse(
                {v.get("order_id") for v in vals_list} - {None, False}
            )._omni_check_money_frozen()
        return super().create(vals_list)

    def write(self, vals):
        if guard.guarded_in(vals, SALE_LINE_GUARDED) and not guard.is_internal(self):
            self.order_id._omni_check_money_frozen()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_channel_order(self):
        if not guard.is_internal(self):
            self.order_id.filtered(lambda o: o.state != "cancel")._omni_check_money_frozen()
