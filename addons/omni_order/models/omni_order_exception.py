# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from odoo.addons.omni_channel.tools import guard


class OmniOrderException(models.Model):
    """One finding of a review rule on a platform order. It stores the rule
    and the finding's facts (line, SKU, amounts), never a sentence: the
    message is written in the reader's language when it is read."""

    _name = "omni.order.exception"
    _description = "Platform Order Exception"
    _order = "order_id, sequence, id"

    order_id = fields.Many2one("omni.order", required=True, ondelete="cascade", index=True)
    rule_id = fields.Many2one("omni.review.rule", required=True, ondelete="restrict")
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    sequence = fields.Integer()
    params = fields.Json(string="Facts")
    message = fields.Text(compute="_compute_message")
    blocking = fields.Boolean(related="rule_id.blocking")

    @api.depends("rule_id", "params")
    @api.depends_context("lang")
    def _compute_message(self):
        for finding in self:
            finding.message = finding.rule_id._message(finding.params)

    # findings are the review's own: made and dropped by the checks only
    @api.model_create_multi
    def create(self, vals_list):
        self._check_internal()
        return super().create(vals_list)

    def write(self, vals):
        self._check_internal()
        return super().write(vals)

    def unlink(self):
        self._check_internal()
        return super().unlink()

    def _check_internal(self):
        guard.check_write(
            self,
            {"rule_id": True},
            ["rule_id"],
            self.env._("Exceptions of a platform order are made by its checks ('Check Again'), not by editing."),
        )
