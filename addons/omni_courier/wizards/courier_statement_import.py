# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


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
        statement_id = Statement.import_file(
            self.carrier_id.omni_courier_code,
            self.filename or "statement",
            self.file,
            date_from=self.date_from or None,
            date_to=self.date_to or None,
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "courier.statement",
            "res_id": statement_id,
            "view_mode": "form",
            "target": "current",
        }
