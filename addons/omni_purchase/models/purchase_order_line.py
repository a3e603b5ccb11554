# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

from odoo.addons.omni_base.tools import guard

# what says how much was received: on lines received through receipts, a
# purchase manager's correction only (the method too: switching a line to
# "manual" would let its quantity be typed)
RECEIVED_FIELDS = {"qty_received", "qty_received_manual", "qty_received_method"}
GUARDED_FIELDS = ("omni_given_up_qty", "omni_given_up_reason", "omni_expected_qty", "omni_over_received_qty")


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    omni_given_up_qty = fields.Float(
        string="Given Up",
        digits="Product Unit of Measure",
        readonly=True,
        copy=False,
        help="Quantity the buyer stopped waiting for (Stop Waiting), with the reason.",
    )
    omni_given_up_reason = fields.Char(string="Reason Given Up", readonly=True, copy=False)
    omni_expected_qty = fields.Float(
        string="Still Expected",
        digits="Product Unit of Measure",
        compute="_compute_omni_receipt_qty",
        store=True,
        help="Ordered − received − given up (never negative).",
    )
    omni_over_received_qty = fields.Float(
        string="Over-received",
        digits="Product Unit of Measure",
        compute="_compute_omni_receipt_qty",
        store=True,
        help="Received beyond the ordered quantity.",
    )

    @api.depends("product_qty", "qty_received", "omni_given_up_qty", "display_type", "order_id.state")
    def _compute_omni_receipt_qty(self):
        for line in self:
            if line.display_type or line.order_id.state not in ("purchase", "done"):
                line.omni_expected_qty = 0.0
                line.omni_over_received_qty = 0.0
                continue
            line.omni_expected_qty = max(line.product_qty - line.qty_received - line.omni_given_up_qty, 0.0)
            line.omni_over_received_qty = max(line.qty_received - line.product_qty, 0.0)

    def write(self, vals):
        guard.check_write(self, vals, GUARDED_FIELDS)
        if RECEIVED_FIELDS & set(vals):
            self._omni_check_received_correction()
        return super().write(vals)

    def _omni_check_received_correction(self):
        """What was received through receipts is what the receipts say: the
        field is read-only on the form, and bills are checked against it, so
        writing it by hand (a correction) on such a line is a purchase
        manager's; lines received by hand (services) stay as in Odoo."""
        moved = self.filtered(lambda line: line.qty_received_method == "stock_moves" and not line.display_type)
        if moved and not self.env.user.has_group("purchase.group_purchase_manager"):
            raise UserError(
                self.env._(
                    "%(order)s, %(product)s: the received quantity comes from the receipts. Receive or return the "
                    "goods, or ask a purchase manager to correct it.",
                    order=moved[0].order_id.name,
                    product=moved[0].product_id.display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        guard.check_create(
            self,
            vals_list,
            {"omni_given_up_qty": 0.0, "omni_given_up_reason": False, "omni_expected_qty": 0.0,
             "omni_over_received_qty": 0.0},
        )  # fmt: skip
        lines = super().create(vals_list)
        if any(vals.get(name) for vals in vals_list for name in RECEIVED_FIELDS):
            lines._omni_check_received_correction()
        return lines

    def _omni_give_up(self, reason):
        """Stop waiting for what is still expected of these lines: their open
        incoming moves are cancelled, the quantity and reason are kept."""
        self.check_access("write")
        if not (reason or "").strip():
            raise UserError(self.env._("Say why you stop waiting for the rest."))
        for line in self:
            rounding = line.product_uom.rounding
            if line.order_id.state not in ("purchase", "done") or float_is_zero(
                line.omni_expected_qty, precision_rounding=rounding
            ):
                raise UserError(
                    self.env._(
                        "%(order)s, %(product)s: nothing is expected any more.",
                        order=line.order_id.name,
                        product=line.product_id.display_name,
                    )
                )
        for line in self:
            remaining = line.omni_expected_qty
            open_moves = line.move_ids.filtered(
                lambda m: m.state not in ("done", "cancel") and m.location_dest_id.usage != "supplier"
            )
            open_moves._action_cancel()
            guard.internal(line).write(
                {
                    "omni_given_up_qty": line.omni_given_up_qty + remaining,
                    "omni_given_up_reason": reason.strip(),
                }
            )
            line.order_id.message_post(
                body=self.env._(
                    "Stopped waiting for %(qty)s %(uom)s of %(product)s: %(reason)s",
                    qty=remaining,
                    uom=line.product_uom.name,
                    product=line.product_id.display_name,
                    reason=reason.strip(),
                )
            )
            if float_compare(line.omni_expected_qty, 0.0, precision_rounding=line.product_uom.rounding) > 0:
                raise UserError(self.env._("Could not stop waiting for %(product)s.", product=line.product_id.name))
        return True
