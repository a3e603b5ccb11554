# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero


class OmniOrderSplitWizard(models.TransientModel):
    _name = "omni.order.split.wizard"
    _description = "Split a Platform Order Into Two Deliveries"

    order_id = fields.Many2one("omni.order", required=True, readonly=True)
    picking_id = fields.Many2one("stock.picking", compute="_compute_lines", store=True, readonly=True)
    line_ids = fields.One2many(
        "omni.order.split.wizard.line", "wizard_id", compute="_compute_lines", store=True, readonly=False
    )

    @api.depends("order_id")
    def _compute_lines(self):
        for wizard in self:
            picking = wizard.order_id._get_open_delivery() if wizard.order_id else self.env["stock.picking"]
            wizard.picking_id = picking
            wizard.line_ids = [Command.clear()] + [
                Command.create({"move_id": move.id, "split_quantity": 0.0}) for move in picking.move_ids
            ]

    def action_split(self):
        self.ensure_one()
        quantities = {}
        for line in self.line_ids:
            rounding = line.move_id.product_uom.rounding
            if float_is_zero(line.split_quantity, precision_rounding=rounding):
                continue
            if (
                line.split_quantity < 0
                or float_compare(line.split_quantity, line.move_id.product_uom_qty, precision_rounding=rounding) > 0
            ):
                raise UserError(
                    self.env._(
                        "%(product)s: split between 0 and %(max)s.",
                        product=line.move_id.product_id.display_name,
                        max=line.move_id.product_uom_qty,
                    )
                )
            quantities[line.move_id] = line.split_quantity
        if not quantities:
            raise UserError(self.env._("Enter the quantities that go to the second delivery."))
        if all(
            float_compare(q, m.product_uom_qty, precision_rounding=m.product_uom.rounding) == 0
            for m, q in quantities.items()
        ) and len(quantities) == len(self.picking_id.move_ids):
            raise UserError(self.env._("Everything would move: leave something in the first delivery."))
        new_picking = self.picking_id._omni_split(quantities)
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "res_id": new_picking.id,
            "view_mode": "form",
        }


class OmniOrderSplitWizardLine(models.TransientModel):
    _name = "omni.order.split.wizard.line"
    _description = "Quantity Moved to the Second Delivery"

    wizard_id = fields.Many2one("omni.order.split.wizard", required=True, ondelete="cascade")
    move_id = fields.Many2one("stock.move", required=True, readonly=True)
    product_id = fields.Many2one(related="move_id.product_id")
    quantity = fields.Float(related="move_id.product_uom_qty", string="Ordered")
    reserved = fields.Float(related="move_id.quantity", string="Reserved")
    split_quantity = fields.Float(string="To Second Delivery", digits="Product Unit of Measure")
