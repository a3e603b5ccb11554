# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.omni_base.tools import guard


class OmniReviewFactMixin(models.AbstractModel):
    """A fact about a platform order that only the review's own methods make,
    change or drop (a finding of the checks, a person's override of one): it
    stores the rule and the finding's facts, never a sentence, and the message
    is written in the reader's language when it is read. ``create``,
    ``write`` and ``unlink`` refuse every caller that does not go through
    ``guard.internal``; ``_omni_refusal`` says which action makes the record."""

    _name = "omni.review.fact.mixin"
    _description = "Platform Order Review Fact"

    order_id = fields.Many2one("omni.order", required=True, ondelete="cascade", index=True, readonly=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    rule_id = fields.Many2one("omni.review.rule", required=True, ondelete="restrict", readonly=True)
    params = fields.Json(string="Facts", readonly=True)
    message = fields.Text(compute="_compute_message")

    @api.depends("rule_id", "params")
    @api.depends_context("lang")
    def _compute_message(self):
        for fact in self:
            fact.message = fact.rule_id._message(fact.params)

    def _omni_refusal(self):
        """The message for a caller that edits the record directly."""
        raise NotImplementedError

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
        if not guard.is_internal(self):
            raise UserError(self._omni_refusal())
