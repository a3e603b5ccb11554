# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.omni_base.tools import guard


class OmniOrder(models.Model):
    _inherit = "omni.order"

    payment_method = fields.Selection(
        selection_add=[("deposit", "Prepaid Deposit")], ondelete={"deposit": "set default"}
    )
    deposit_hold_ids = fields.One2many("omni.deposit.hold", "omni_order_id", string="Deposit Consumption")

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders.filtered(lambda o: o.payment_method == "deposit")._omni_hold_deposit()
        return orders

    def write(self, vals):
        result = super().write(vals)
        if {"payment_method", "paid_amount", "state"} & set(vals):
            self.filtered(lambda o: o.payment_method == "deposit" or o.deposit_hold_ids)._omni_hold_deposit()
        return result

    def _omni_deposit_wanted(self):
        self.ensure_one()
        if self.payment_method != "deposit" or self.state == "cancelled":
            return 0.0
        return self.currency_id.round(self.paid_amount)

    def _omni_hold_deposit(self):
        """Make each order's deposit consumption match what it must pay by
        deposit: held when it is paid by deposit, released when cancelled or
        paid otherwise. Refused when the customer's available deposit (plus
        the credit a Deposit Manager allowed) does not cover it."""
        if not self:
            return
        for order in self.filtered(lambda o: o.payment_method == "deposit" and o.state != "cancelled"):
            if not order.customer_id:
                raise UserError(
                    self.env._(
                        "Order %(order)s is paid by deposit but has no customer: enter deposit orders from the "
                        "customer card (Phone Order).",
                        order=order.display_name,
                    )
                )
        Hold = guard.internal(self.env["omni.deposit.hold"].sudo())  # the order consumes its own customer's deposit
        customers = self.customer_id
        customers._omni_lock_deposit()
        holds = {h.omni_order_id.id: h for h in Hold.search([("omni_order_id", "in", self.ids)])}
        for order in self:
            hold = holds.get(order.id)
            wanted = order._omni_deposit_wanted()
            if not wanted:
                if hold and hold.state == "held":
                    hold.write({"state": "released"})
                continue
            if hold and hold.state == "booked":
                continue  # the ledger booked it; the order is shipped
            current = hold.amount if hold and hold.state == "held" else 0.0
            if hold and hold.state == "held" and not order.currency_id.compare_amounts(current, wanted):
                continue  # nothing changes
            customer = order.customer_id.commercial_partner_id
            balance, held = customer._omni_deposit_figures(order.company_id)
            credit = customer.sudo().omni_deposit_credit  # the manager's allowance, read for the check only
            available = balance - held + current + credit
            if order.currency_id.compare_amounts(wanted, available) > 0:
                raise UserError(
                    self.env._(
                        "Order %(order)s: %(amount)s to pay by deposit, but %(customer)s has %(available)s "
                        "available (balance %(balance)s, held by open orders %(held)s, credit allowed "
                        "%(credit)s).",
                        order=order.display_name,
                        amount=wanted,
                        customer=customer.display_name,
                        available=order.currency_id.round(balance - held + current),
                        balance=balance,
                        held=order.currency_id.round(held - current),
                        credit=credit,
                    )
                )
            if hold:
                hold.write({"amount": wanted, "state": "held"})
            else:
                Hold.create(
                    {
                        "partner_id": customer.id,
                        "company_id": order.company_id.id,
                        "omni_order_id": order.id,
                        "amount": wanted,
                    }
                )
