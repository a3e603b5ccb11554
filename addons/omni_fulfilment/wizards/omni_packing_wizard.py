# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class OmniPackingWizard(models.TransientModel):
    """Packing screen: scan each unit; the screen shows what is packed."""

    _name = "omni.packing.wizard"
    _description = "Scan-verified Packing"

    picking_id = fields.Many2one("stock.picking", required=True, readonly=True)
    move_ids = fields.One2many(related="picking_id.move_ids", readonly=True)
    barcode = fields.Char()
    last_message = fields.Char(readonly=True)
    complete = fields.Boolean(related="picking_id.omni_packing_complete")

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Pack %(picking)s", picking=self.picking_id.name),
        }

    def action_scan(self):
        self.ensure_one()
        result = self.picking_id.omni_scan(self.barcode)
        packed, ordered = format(result["packed"], "g"), format(result["ordered"], "g")
        message = self.env._(
            "%(product)s: %(packed)s/%(ordered)s packed", product=result["product"], packed=packed, ordered=ordered
        )
        self.write({"barcode": False, "last_message": message})
        return self._reopen()

    def action_validate(self):
        self.ensure_one()
        return self.picking_id.button_validate()
