# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class OmniPurchaseGiveUp(models.TransientModel):
    _name = "omni.purchase.give.up"
    _description = "Stop Waiting for a Purchase Line"

    purchase_line_id = fields.Many2one("purchase.order.line", required=True, readonly=True, ondelete="cascade")
    product_id = fields.Many2one(related="purchase_line_id.product_id")
    expected_qty = fields.Float(related="purchase_line_id.omni_expected_qty", string="Still Expected")
    reason = fields.Char(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.purchase_line_id._omni_give_up(self.reason)
        return {"type": "ir.actions.act_window_close"}
