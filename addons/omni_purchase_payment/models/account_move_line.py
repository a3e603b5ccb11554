# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from odoo.addons.omni_channel.tools import guard

GUARDED_FIELDS = ("omni_overbill_accepted_qty",)


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    omni_overbill_accepted_qty = fields.Float(
        string="Over-billing Accepted Up To",
        digits="Product Unit of Measure",
        readonly=True,
        copy=False,
        help="Quantity of this bill line a purchase or finance manager accepted beyond what was received "
        "(Accept Over-billing). Raising the quantity afterwards needs a new acceptance.",
    )

    def write(self, vals):
        guard.check_write(self, vals, GUARDED_FIELDS)
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        guard.check_create(self, vals_list, {"omni_overbill_accepted_qty": 0.0})
        return super().create(vals_list)
