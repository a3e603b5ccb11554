# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class OmniOrderException(models.Model):
    """One finding of a review rule on a platform order. It stores the rule
    and the finding's facts (line, SKU, amounts), never a sentence: the
    message is written in the reader's language when it is read."""

    _name = "omni.order.exception"
    _inherit = "omni.review.fact.mixin"
    _description = "Platform Order Exception"
    _order = "order_id, sequence, id"

    sequence = fields.Integer()
    blocking = fields.Boolean(related="rule_id.blocking")

    def _omni_refusal(self):
        return self.env._("Exceptions of a platform order are made by its checks ('Check Again'), not by editing.")
