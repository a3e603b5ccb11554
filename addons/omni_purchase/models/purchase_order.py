# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.exceptions import UserError


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    def action_omni_receive_together(self):
        """One receipt for the open receipts of several purchase orders of one
        vendor: their moves go into the first one (each keeps its purchase
        line, so every order counts what it received; a partial validation
        makes a backorder as usual) and the emptied receipts are removed."""
        self.check_access("write")
        orders = self.filtered(lambda o: o.state in ("purchase", "done"))
        if len(orders) < 2 or orders != self:
            raise UserError(self.env._("Select two or more confirmed purchase orders."))
        if len(orders.partner_id.commercial_partner_id) > 1:
            raise UserError(
                self.env._(
                    "Only orders of one vendor are received together: %(vendors)s.",
                    vendors=", ".join(orders.partner_id.commercial_partner_id.mapped("display_name")),
                )
            )
        if len(orders.company_id) > 1 or len(orders.picking_type_id.warehouse_id) > 1:
            raise UserError(self.env._("Only orders of one company and one warehouse are received together."))
        pickings = orders.picking_ids.filtered(
            lambda p: p.picking_type_code == "incoming" and p.state not in ("done", "cancel")
        )
        if len(pickings.location_dest_id) > 1 or len(pickings.picking_type_id) > 1:
            raise UserError(self.env._("These receipts go to different places and cannot be merged."))
        if not pickings:
            raise UserError(self.env._("These orders have nothing left to receive."))
        target = pickings.sorted("id")[0]
        others = pickings - target
        if others:
            moves = others.move_ids
            moves.write({"picking_id": target.id})
            moves.move_line_ids.write({"picking_id": target.id})
            others.unlink()
        target.origin = ", ".join(orders.sorted("id").mapped("name"))
        target.message_post(
            body=self.env._("One receipt for %(orders)s.", orders=target.origin),
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "res_id": target.id,
            "views": [(False, "form")],
        }
