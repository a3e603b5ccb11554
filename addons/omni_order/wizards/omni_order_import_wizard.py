# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import fields, models
from odoo.exceptions import UserError


class OmniOrderImportWizard(models.TransientModel):
    _name = "omni.order.import.wizard"
    _description = "Import Platform Orders or Product Relations From a File"

    kind = fields.Selection(
        [("orders", "Platform Orders"), ("mapping", "Product Relation Table")], required=True, default="orders"
    )
    data = fields.Binary(string="File", required=True)
    filename = fields.Char()

    def action_import(self):
        self.ensure_one()
        if not self.data:
            raise UserError(self.env._("Choose a file to import."))
        content = base64.b64decode(self.data)
        import_file = self.env["omni.import.file"]._create_from_upload(self.kind, self.filename, content)
        if self.kind == "orders":
            import_file._process_order_file()
        else:
            import_file._process_mapping_file()
        return {
            "type": "ir.actions.act_window",
            "res_model": "omni.import.file",
            "res_id": import_file.id,
            "view_mode": "form",
            "target": "current",
        }
