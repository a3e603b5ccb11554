# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class OmniOrderOverride(models.Model):
    """A person's decision to confirm a platform order despite one finding of
    a review rule: who, when, which finding (rule and its facts, as the
    exception stored them) and why. Made only by
    ``omni.order.action_override``, which checks the rule's 'who may
    override' and the reason; never edited afterwards. A finding counts as
    overridden while the order's checks find it again with the same facts:
    a changed amount is a new finding that needs its own decision."""

    _name = "omni.order.override"
    _inherit = "omni.review.fact.mixin"
    _description = "Platform Order Exception Override"
    _order = "order_id, date desc, id desc"

    reason = fields.Text(required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Overridden By", required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True)
    message = fields.Text(string="Finding")

    def _omni_refusal(self):
        return self.env._(
            "An override of a platform order is made by 'Override' on the order, with a reason, and kept."
        )
