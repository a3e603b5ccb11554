# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Splitting a confirmed order's delivery (by hand or what is available now)
and the sale order button."""

import logging

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import float_compare

_logger = logging.getLogger(__name__)


class OmniOrder(models.Model):
    _inherit = "omni.order"

    # --- split ------------------------------------------------------------------
    def action_split_available(self):
        """Ship what is in stock now: the unreserved quantities move to a
        second delivery."""
        created = self.env["stock.picking"]
        for order in self:
            picking = order._get_open_delivery()
            quantities = {
                move: move.product_uom_qty - move.quantity
                for move in picking.move_ids
                if float_compare(move.quantity, move.product_uom_qty, precision_rounding=move.product_uom.rounding) < 0
            }
            if not quantities or all(q == m.product_uom_qty for m, q in quantities.items()):
                raise UserError(
                    self.env._(
                        "Order %(order)s: nothing or everything is available, there is nothing to split.",
                        order=order.display_name,
                    )
                )
            created |= picking._omni_split(quantities)
        return created

    def _get_open_delivery(self):
        self.ensure_one()
        pickings = self.sale_order_id.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state not in ("done", "cancel")
        )
        if self.state != "confirmed" or not pickings:
            raise UserError(self.env._("Order %(order)s has no open delivery to split.", order=self.display_name))
        return pickings.sorted("id")[0]

    def action_open_split_wizard(self):
        self.ensure_one()
        self._get_open_delivery()
        return {
            "type": "ir.actions.act_window",
            "res_model": "omni.order.split.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def action_view_sale_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "view_mode": "form",
            "res_id": self.sale_order_id.id,
        }
