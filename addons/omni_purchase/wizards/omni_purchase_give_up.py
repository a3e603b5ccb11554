# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class OmniPurchaseGiveUp(models.TransientModel):
    _name = "omni.purchase.give.up"
    _description = "Stop Waiting for a Purchase Line"

    purchase_line_id = fields.Many2one("purchase.order.line", required=True, readonly=True, ondelete="cascade")
    # read with the user's rights: a line of another company is not shown
    product_id = fields.Many2one(related="purchase_line_id.product_id", compute_sudo=False)
    expected_qty = fields.Float(
        related="purchase_line_id.omni_expected_qty", string="Still Expected", compute_sudo=False
    )
    reason = fields.Char(required=True)

    @api.model
    def default_get(self, fields_list):
        # the form opens from a line's button (default in the context): only
        # on a line the caller may change
        values = super().default_get(fields_list)
        if values.get("purchase_line_id"):
            self._check_lines({values["purchase_line_id"]})
        return values

    @api.model_create_multi
    def create(self, vals_list):
        # the wizard is only made for purchase lines the caller may change
        vals_list = [self._add_missing_default_values(vals) for vals in vals_list]
        self._check_lines({vals.get("purchase_line_id") for vals in vals_list})
        return super().create(vals_list)

    @api.model
    def _check_lines(self, ids):
        """The same answer whether a line exists in another company or not at all."""
        lines = self.env["purchase.order.line"].browse(i for i in ids if isinstance(i, int) and i > 0)
        allowed = lines.exists()._filtered_access("write")
        if len(allowed) != len(ids):
            unknown = sorted(str(i) for i in ids if i not in allowed.ids)
            raise UserError(self.env._("Unknown purchase order line: %(ids)s.", ids=", ".join(unknown)))

    def action_confirm(self):
        self.ensure_one()
        self.purchase_line_id._omni_give_up(self.reason)
        return {"type": "ir.actions.act_window_close"}
