# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    omni_channel_id = fields.Many2one(related="sale_id.omni_channel_id", store=True, string="Channel")

    def _action_done(self):
        # 退款拦截: a held platform order never ships, whoever validates (a
        # button, the packing station, XML-RPC); only the orders of these
        # deliveries' sale orders are read
        self._omni_check_not_held()
        result = super()._action_done()
        # The platform orders follow their delivery whoever validates it: a
        # warehouse user with Inventory rights only has validated it (Odoo
        # checked those rights), and has no rights on platform orders. Only
        # the orders of these deliveries' sale orders are touched.
        self.sale_id.sudo().omni_order_ids._mark_shipped()
        return result

    def _omni_check_not_held(self):
        deliveries = self.filtered(lambda p: p.picking_type_code == "outgoing")
        held = deliveries.sale_id.sudo().omni_order_ids.filtered("hold_reason")
        if held:
            raise UserError(held[0]._omni_hold_message())

    def _omni_preparation_started(self):
        """Whether someone started preparing this delivery (printed, items
        picked); omni_fulfilment adds the items packed at the station."""
        self.ensure_one()
        return self.state == "done" or self.printed or any(self.move_ids.mapped("picked"))

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

    # --- mail muted on the deliveries of channel orders ---------------------
    def message_post_with_source(self, source_ref, render_values=None, message_type="notification",
                                 subtype_xmlid=False, subtype_id=False, **kwargs):  # fmt: skip
        """A channel order's delivery gets no "created from" note: its
        source document is on it already, and the note is one rendered
        message per delivery in a confirmation wave. Every other message
        is posted."""
        if source_ref == "mail.message_origin_link":
            self = self.filtered(lambda p: not p.omni_channel_id)  # noqa: PLW0642
            if not self:
                return self.env["mail.message"]
        return super().message_post_with_source(
            source_ref,
            render_values=render_values,
            message_type=message_type,
            subtype_xmlid=subtype_xmlid,
            subtype_id=subtype_id,
            **kwargs,
        )

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        partner_ids = self.env["res.partner"]._omni_without_platform_buyers(self, partner_ids)
        if not partner_ids and not subtype_ids:
            return True
        return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)

    def _omni_assign_in_batch(self):
        """Reserve these deliveries of one confirmation wave: Odoo's
        ``action_assign`` here; the addon omni_stock_speed overrides it to
        read the quants of all their products once."""
        if self.move_ids.filtered(lambda m: m.state not in ("draft", "cancel", "done")):
            self.action_assign()
