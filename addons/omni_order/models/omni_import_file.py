# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import api, fields, models

from odoo.addons.omni_base.tools import guard, tabular

from .omni_order import ORDER_ALIASES, ORDER_REQUIRED
from .omni_product_mapping import MAPPING_ALIASES


class OmniImportFile(models.Model):
    """An uploaded file, kept as it came, with what was made of it: the
    summary, the errors by row and the orders it staged."""

    _name = "omni.import.file"
    _description = "Imported Platform File"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="File Name", required=True, readonly=True)
    kind = fields.Selection(
        [("orders", "Platform Orders"), ("mapping", "Product Relation Table")], required=True, readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    data = fields.Binary(string="File", attachment=True, readonly=True)
    state = fields.Selection(
        [("draft", "Received"), ("done", "Imported"), ("partial", "Imported With Errors"), ("failed", "Refused")],
        default="draft",
        readonly=True,
        tracking=True,
    )
    file_format = fields.Char(readonly=True)
    encoding = fields.Char(readonly=True)
    row_count = fields.Integer(readonly=True)
    created_count = fields.Integer(string="Created", readonly=True)
    updated_count = fields.Integer(string="Updated", readonly=True)
    duplicate_count = fields.Integer(string="Duplicates", readonly=True)
    exception_count = fields.Integer(string="Exceptions", readonly=True)
    error_ids = fields.One2many("omni.import.error", "import_file_id", readonly=True)
    error_count = fields.Integer(compute="_compute_error_count")
    uom_warning_count = fields.Integer(
        compute="_compute_error_count",
        string="Unit Warnings",
        help="Rows saved whose quantity the product's unit cannot keep: their orders would wait in the exception "
        "queue.",
    )
    message = fields.Text(readonly=True, help="Why the whole file was refused.")
    order_ids = fields.One2many("omni.order", "import_file_id", readonly=True)
    order_count = fields.Integer(compute="_compute_progress")
    confirmed_count = fields.Integer(compute="_compute_progress", string="Confirmed")
    progress = fields.Float(compute="_compute_progress", help="Share of staged orders already confirmed.")

    @api.depends("error_ids.level", "error_ids.mapping_id.uom_warning")
    def _compute_error_count(self):
        for record in self:
            record.error_count = len(record.error_ids.filtered(lambda e: e.level == "error"))
            record.uom_warning_count = len(record.error_ids.mapping_id.filtered("uom_warning"))

    def action_allow_4_decimals(self):
        """'Allow 4 Decimals' of the rows this file saved with a unit warning."""
        self.ensure_one()
        return self.error_ids.mapping_id.filtered("uom_warning").action_allow_4_decimals()

    def _compute_progress(self):
        groups = self.env["omni.order"]._read_group(
            [("import_file_id", "in", self.ids)], ["import_file_id", "state"], ["__count"]
        )
        totals, confirmed = {}, {}
        for import_file, state, count in groups:
            totals[import_file.id] = totals.get(import_file.id, 0) + count
            if state in ("confirmed", "shipped", "merged"):  # a merged order ships with the order it joined
                confirmed[import_file.id] = confirmed.get(import_file.id, 0) + count
        for record in self:
            record.order_count = totals.get(record.id, 0)
            record.confirmed_count = confirmed.get(record.id, 0)
            record.progress = 100.0 * record.confirmed_count / record.order_count if record.order_count else 0.0

    @api.model
    def _create_from_upload(self, kind, filename, content):
        # the import methods that call this checked the caller's rights; the file is theirs as uploaded
        record = guard.internal(self).create(
            {"kind": kind, "name": filename or "upload", "data": base64.b64encode(content)}
        )
        return record.with_env(self.env)

    def _read(self, aliases, required):
        self.ensure_one()
        content = base64.b64decode(self.with_context(bin_size=False).data or b"")
        table = tabular.read_table(self.name, content, aliases, required)
        guard.internal(self).write(
            {"file_format": table.file_format, "encoding": table.encoding, "row_count": len(table.rows)}
        )
        return table

    def _refuse(self, err):
        message = tabular.error_message(self.env, err)
        guard.internal(self).write({"state": "failed", "message": message})
        return {"created": 0, "duplicates": 0, "exceptions": 0, "errors": [{"row": err.row or 0, "message": message}]}

    def _finish(self, summary):
        imported = sum(summary.get(key, 0) for key in ("created", "updated", "duplicates", "exceptions"))
        if summary["errors"] and not imported:
            state = "failed"  # nothing was imported: the file is refused, not "imported with errors"
        else:
            state = "partial" if summary["errors"] or summary.get("exceptions") else "done"
        guard.internal(self).write(
            {
                "state": state,
                "message": self.env._("Nothing was imported: every row has an error.") if state == "failed" else False,
                "created_count": summary.get("created", 0),
                "updated_count": summary.get("updated", 0),
                "duplicate_count": summary.get("duplicates", 0),
                "exception_count": summary.get("exceptions", 0),
                "error_ids": [
                    fields.Command.create({"row": e["row"], "message": e["message"]}) for e in summary["errors"]
                ]
                + [
                    fields.Command.create(
                        {"row": w["row"], "message": w["message"], "level": "warning", "mapping_id": w["mapping_id"]}
                    )
                    for w in summary.get("warnings", [])
                ],
            }
        )
        return summary

    def _process_mapping_file(self):
        try:
            table = self._read(MAPPING_ALIASES, ["channel_code", "platform_sku", "default_code", "quantity"])
        except tabular.TableError as err:
            return self._refuse(err)
        return self._finish(self.env["omni.product.mapping"]._import_rows(table))

    def _process_order_file(self):
        try:
            table = self._read(ORDER_ALIASES, ORDER_REQUIRED)
        except tabular.TableError as err:
            return self._refuse(err)
        summary = self.env["omni.order"]._import_table(table, self)
        return self._finish(summary)

    def _process_in_background(self):
        """Job: import a large uploaded file (staged rows are committed with
        the job; their confirmation is queued as further jobs)."""
        self.ensure_one()
        if self.state != "draft":  # a retried job does not import twice
            return False
        return self._process_order_file() if self.kind == "orders" else self._process_mapping_file()

    def action_view_orders(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("omni_order.omni_order_action")
        action["domain"] = [("import_file_id", "=", self.id)]
        action["context"] = {}
        return action


class OmniImportError(models.Model):
    _name = "omni.import.error"
    _description = "Import Error of a File Row"
    _order = "row, id"

    import_file_id = fields.Many2one("omni.import.file", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="import_file_id.company_id", store=True)
    row = fields.Integer()
    message = fields.Text()
    level = fields.Selection([("error", "Error"), ("warning", "Warning")], default="error", required=True)
    mapping_id = fields.Many2one(
        "omni.product.mapping", string="Relation Row", ondelete="set null", help="The row saved with this warning."
    )
