# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from odoo.addons.omni_channel.tools import guard


class OmniOrderOverride(models.Model):
    """A person's decision to confirm a platform order despite one finding of
    a review rule: who, when, which finding (rule and its facts, as the
    exception stored them) and why. Made only by
    ``omni.order.action_override``, which checks the rule's 'who may
    override' and the reason; never edited afterwards. A finding counts as
    overridden while the order's checks find it again with the same facts:
    a changed amount is a new finding that needs its own decision."""

    _name = "omni.order.override"
    _description = "Platform Order Exception Override"
    _order = "order_id, date desc, id desc"

    order_id = fields.Many2one("omni.order", required=True, ondelete="cascade", index=True, readonly=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    rule_id = fields.Many2one("omni.review.rule", required=True, ondelete="restrict", readonly=True)
    params = fields.Json(string="Facts", readonly=True)
    reason = fields.Text(required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Overridden By", required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True)
    message = fields.Text(string="Finding", compute="_compute_message")

    @api.depends("rule_id", "params")
    @api.depends_context("lang")
    def _compute_message(self):
        for override in self:
            override.message = override.rule_id._message(override.params)

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
            self.env._("An override of a platform order is made by 'Override' on the order, with a reason, and kept."),
        )
