# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class OmniWaybillTemplate(models.Model):
    """One of Cainiao's standard label templates (cainiao.cloudprint.stdtemplates.get)."""

    _name = "omni.waybill.template"
    _description = "E-Waybill Standard Template"
    _order = "cp_code, waybill_type, id"

    account_id = fields.Many2one("omni.waybill.account", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    cp_code = fields.Char(string="Courier Code", required=True)
    name = fields.Char(required=True)
    url = fields.Char(string="Template URL", required=True)
    template_id = fields.Char(string="Template ID")
    waybill_type = fields.Integer(
        string="Label Type",
        help="Cainiao's standard_waybill_type: 1 express standard, 2 express three-part, 3 express portable "
        "three-part, 4 freight standard, 5 freight three-part, 6 express one-part.",
    )
