# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import fields, models
from odoo.exceptions import UserError

# files larger than this are imported by a background job, so that the
# request is not cut by the server's time limit (about 1 MB: some 5,000 lines)
BACKGROUND_IMPORT_BYTES = 1_000_000


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
        process = import_file._process_order_file if self.kind == "orders" else import_file._process_mapping_file
        if len(content) > BACKGROUND_IMPORT_BYTES:
            import_file.with_delay(
                description=self.env._("Import %(file)s", file=import_file.name),
            )._process_in_background()
            import_file.message_post(body=self.env._("The file is large: it is imported in the background."))
        else:
            process()
        return {
            "type": "ir.actions.act_window",
            "res_model": "omni.import.file",
            "res_id": import_file.id,
            "view_mode": "form",
            "target": "current",
        }
