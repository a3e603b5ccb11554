# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _omni_release_allocations(self):
        """The platform orders of these moves allocate what their deliveries
        still miss: recomputed whenever a move is reserved, unreserved,
        cancelled or done, whoever does it. A warehouse user has no rights on
        platform orders: Odoo checked their rights on the moves, and only the
        orders of these moves' sale orders are read (sudo)."""
        sale_orders = self.sudo().sale_line_id.order_id.filtered("omni_channel_id")
        if sale_orders:
            sale_orders.omni_order_ids._omni_allocate()

    def _omni_assign_in_batch(self):
        """Reserve these moves (a part of a wave's reservation,
        stock_reservation.py): Odoo's ``_action_assign`` here; the addon
        omni_stock_speed overrides it to read their quants once."""
        if self:
            self._action_assign()

    def _action_assign(self, force_qty=False):
        result = super()._action_assign(force_qty=force_qty)
        self._omni_release_allocations()
        return result

    def _do_unreserve(self):
        result = super()._do_unreserve()
        self._omni_release_allocations()
        return result

    def _action_cancel(self):
        result = super()._action_cancel()
        self._omni_release_allocations()
        return result

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        (self | moves)._omni_release_allocations()
        return moves

    def _should_assign_at_confirm(self):
        # confirmation jobs leave the reservation to the serial reserve job
        if self.env.context.get("omni_defer_reservation") and not self._should_bypass_reservation():
            return False
        return super()._should_assign_at_confirm()
