# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

# files from this size on (about 30,000 lines of .xlsx) are imported by a job
DEFAULT_QUEUE_MIN_BYTES = 1_000_000


class CourierStatementImport(models.TransientModel):
    """Upload a courier's statement file: it is imported and reconciled
    at once (see ``courier.statement.import_file``)."""

    _name = "courier.statement.import"
    _description = "Import Courier Statement"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    carrier_id = fields.Many2one(
        "delivery.carrier",
        string="Courier",
        required=True,
        check_company=True,
        domain="[('omni_courier_code', '!=', False), ('company_id', 'in', [company_id, False])]",
    )
    file = fields.Binary(string="Statement File", required=True, attachment=False)
    filename = fields.Char()
    date_from = fields.Date(string="Period From", help="Empty: the first shipping date of the file.")
    date_to = fields.Date(string="Period To", help="Empty: the last shipping date of the file.")

    def action_import(self):
        self.ensure_one()
        Statement = self.env["courier.statement"].with_company(self.company_id)
        args = (self.carrier_id.omni_courier_code, self.filename or "statement", self.file)
        kwargs = {"date_from": self.date_from or None, "date_to": self.date_to or None}
        threshold = int(
            self.env["ir.config_parameter"].sudo().get_param("omni_courier.queue_min_bytes", DEFAULT_QUEUE_MIN_BYTES)
        )
        if len(self.file or b"") * 3 // 4 >= threshold:
            statement_id = Statement._enqueue_import(*args, **kwargs).id
        else:
            statement_id = Statement.import_file(*args, **kwargs)
        return {
            "type": "ir.actions.act_window",
            "res_model": "courier.statement",
            "res_id": statement_id,
            "view_mode": "form",
            "target": "current",
        }
