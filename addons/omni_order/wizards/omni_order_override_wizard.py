# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class OmniOrderOverrideWizard(models.TransientModel):
    """Asks the reason of an override; the order's action_override checks
    the rights and the reason and does the rest."""

    _name = "omni.order.override.wizard"
    _description = "Override Exceptions of a Platform Order"

    order_id = fields.Many2one("omni.order", required=True, ondelete="cascade")
    findings = fields.Text(compute="_compute_findings")
    reason = fields.Text(required=True, help="Why the order ships despite these findings: kept on the order.")

    @api.depends("order_id")
    def _compute_findings(self):
        for wizard in self:
            wizard.findings = wizard.order_id.exception_reasons

    def action_override(self):
        self.ensure_one()
        self.order_id.action_override(self.reason)
        return {"type": "ir.actions.act_window_close"}
