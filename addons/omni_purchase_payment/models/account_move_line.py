# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from odoo.addons.omni_base.tools import guard

GUARDED_FIELDS = ("omni_overbill_accepted_qty", "omni_overbill_accepted_price")


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

    omni_overbill_accepted_price = fields.Float(
        string="Over-billing Accepted Price",
        readonly=True,
        copy=False,
        help="Unit price (after discount, in the purchase order's currency and unit) of this bill line a purchase "
        "or finance manager accepted above the order's price (Accept Over-billing). Raising the price afterwards "
        "needs a new acceptance.",
    )

    def _omni_po_unit_price(self):
        """This bill line's unit price after discount, in its purchase line's
        currency and unit, as the order's price is compared with it."""
        self.ensure_one()
        po_line = self.purchase_line_id
        price = self.price_unit * (1 - (self.discount or 0.0) / 100)
        if self.currency_id and po_line.currency_id and self.currency_id != po_line.currency_id:
            price = self.currency_id._convert(
                price,
                po_line.currency_id,
                po_line.company_id,
                self.move_id.invoice_date or self.move_id.date or fields.Date.context_today(self),
                round=False,
            )
        if self.product_uom_id and po_line.product_uom and self.product_uom_id != po_line.product_uom:
            price = self.product_uom_id._compute_price(price, po_line.product_uom)
        return price

    def write(self, vals):
        guard.check_write(self, vals, GUARDED_FIELDS)
        # an acceptance is for the purchase line it was given against: a bill
        # line linked to another one needs a new acceptance
        relinked = self.browse()
        if "purchase_line_id" in vals:
            relinked = self.filtered(
                lambda line: (line.omni_overbill_accepted_qty or line.omni_overbill_accepted_price)
                and line.purchase_line_id.id != (vals["purchase_line_id"] or False)
            )
        res = super().write(vals)
        if relinked:
            guard.internal(relinked).write({"omni_overbill_accepted_qty": 0.0, "omni_overbill_accepted_price": 0.0})
        return res

    @api.model_create_multi
    def create(self, vals_list):
        guard.check_create(self, vals_list, {"omni_overbill_accepted_qty": 0.0, "omni_overbill_accepted_price": 0.0})
        return super().create(vals_list)
