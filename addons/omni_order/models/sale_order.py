# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_channel_id = fields.Many2one(
        "omni.channel", string="Channel", index=True, check_company=True, readonly=True, copy=False
    )
    omni_unit_code = fields.Char(related="omni_channel_id.code", store=True, string="Unit Code")
    omni_payment_method = fields.Selection(
        [("prepaid", "Prepaid"), ("cod", "Cash on Delivery")], string="Payment Method", copy=False
    )
    omni_order_ids = fields.One2many(
        "omni.order", "sale_order_id", string="Platform Orders", groups="omni_channel.group_omni_channel_user"
    )


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    omni_order_line_id = fields.Many2one("omni.order.line", string="Platform Order Line", index=True, copy=False)


class StockPicking(models.Model):
    _inherit = "stock.picking"

    omni_channel_id = fields.Many2one(related="sale_id.omni_channel_id", store=True, string="Channel")

    def _action_done(self):
        result = super()._action_done()
        # The platform orders follow their delivery whoever validates it: a
        # warehouse user with Inventory rights only has validated it (Odoo
        # checked those rights), and has no rights on platform orders. Only
        # the orders of these deliveries' sale orders are touched.
        self.sale_id.sudo().omni_order_ids._mark_shipped()
        return result

    def _omni_split(self, quantities):
        """Move {move: quantity} of this delivery to a new delivery of the
        same order; returns the new picking."""
        self.ensure_one()
        new_picking = self.copy({"move_ids": [], "backorder_id": self.id})
        new_moves = self.env["stock.move"]
        for move, quantity in quantities.items():
            if quantity >= move.product_uom_qty:
                move.write({"picking_id": new_picking.id})
                new_moves |= move
                continue
            new_moves |= self.env["stock.move"].create(move._split(quantity))
        new_moves.write({"picking_id": new_picking.id})
        new_moves._action_confirm(merge=False)
        (self.move_ids | new_moves)._action_assign()
        self.message_post(
            body=self.env._("Split: part of this delivery moved to %(picking)s.", picking=new_picking.name)
        )
        return new_picking


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
