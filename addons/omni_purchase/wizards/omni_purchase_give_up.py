# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class OmniPurchaseGiveUp(models.TransientModel):
    _name = "omni.purchase.give.up"
    _description = "Stop Waiting for a Purchase Line"

    purchase_line_id = fields.Many2one("purchase.order.line", required=True, readonly=True, ondelete="cascade")
    product_id = fields.Many2one(related="purchase_line_id.product_id")
    expected_qty = fields.Float(related="purchase_line_id.omni_expected_qty", string="Still Expected")
    reason = fields.Char(required=True)

    @api.model_create_multi
    def create(self, vals_list):
        # The related fields above are read as superuser (Odoo's related
        # fields are): the wizard is only made for purchase lines the caller
        # may change, and the answer is the same whether a line exists in
        # another company or not at all.
        vals_list = [self._add_missing_default_values(vals) for vals in vals_list]
        ids = {vals.get("purchase_line_id") for vals in vals_list}
        lines = self.env["purchase.order.line"].browse(i for i in ids if isinstance(i, int) and i > 0)
        allowed = lines.exists()._filtered_access("write")
        if len(allowed) != len(ids):
            unknown = sorted(str(i) for i in ids if i not in allowed.ids)
            raise UserError(self.env._("Unknown purchase order line: %(ids)s.", ids=", ".join(unknown)))
        return super().create(vals_list)

    def action_confirm(self):
        self.ensure_one()
        self.purchase_line_id._omni_give_up(self.reason)
        return {"type": "ir.actions.act_window_close"}
