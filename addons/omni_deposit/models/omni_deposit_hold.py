# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.omni_base.tools import guard


class OmniDepositHold(models.Model):
    """The part of a customer's deposit an order paid by deposit consumes,
    from the order until the retail ledger books it (then the liability
    account itself shows it). Available deposit = liability balance less the
    live holds. One hold per order (unique)."""

    _name = "omni.deposit.hold"
    _description = "Deposit Consumption"
    _order = "id desc"
    _check_company_auto = True

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    omni_order_id = fields.Many2one(
        "omni.order", string="Order", required=True, index=True, readonly=True, ondelete="restrict", check_company=True
    )
    sale_order_id = fields.Many2one(related="omni_order_id.sale_order_id", store=True, index=True)
    amount = fields.Monetary(required=True, readonly=True)
    state = fields.Selection(
        [("held", "Held by the Order"), ("booked", "Booked by the Ledger"), ("released", "Released")],
        default="held",
        required=True,
        readonly=True,
        index=True,
    )

    _sql_constraints = [("order_uniq", "unique(omni_order_id)", "An order consumes a deposit once.")]

    @api.model_create_multi
    def create(self, vals_list):
        if not guard.is_internal(self):
            raise UserError(self.env._("A deposit is consumed by its order only."))
        return super().create(vals_list)

    def write(self, vals):
        if not guard.is_internal(self):
            raise UserError(self.env._("A deposit consumption changes with its order and the ledger only."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A deposit consumption cannot be deleted; cancel its order instead."))
