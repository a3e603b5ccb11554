# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class OmniOrder(models.Model):
    _inherit = "omni.order"

    customer_id = fields.Many2one(
        "res.partner",
        index=True,
        readonly=True,
        copy=False,
        check_company=True,
        help="Chosen by the call-centre agent (phone orders): the sale order goes to this customer "
        "instead of one found by receiver name, phone and address.",
    )  # chosen when the order is entered, never changed afterwards: read-only, so refused to clients

    def _omni_customer(self):
        self.ensure_one()
        return (self.customer_id or self.sale_order_id.partner_id).commercial_partner_id

    def _prepare_buyer_vals(self):
        # the province is the partner's state (省/州), not text before the district in 详细地址
        vals = super()._prepare_buyer_vals()
        state, district, street = self.env["res.partner"]._omni_split_province(
            self.province, self.district, self.address
        )
        if state:
            vals.update(state_id=state.id, street2=district or False, street=street or False)
        return vals

    def _confirm_orders(self, defer_reservation=False):
        sale_orders = super()._confirm_orders(defer_reservation=defer_reservation)
        if sale_orders:
            # sudo: the numbers and figures of the customers of the orders just confirmed
            orders = self.sudo().filtered(lambda o: o.sale_order_id in sale_orders)
            merged = orders | orders.merged_order_ids
            self.env["res.partner"]._omni_add_lookup_for_orders(merged)
            sale_orders.sudo().partner_id._omni_refresh_card()
        return sale_orders

    def _mark_shipped(self):
        done = super()._mark_shipped()
        if done:
            # sudo: points and figures of the customers of the orders just shipped, whoever ships them
            # (a warehouse user may not read the sale orders)
            done = done.sudo()
            self.env["omni.points.move"]._earn_for_orders(done)
            (done.customer_id | done.sale_order_id.partner_id)._omni_refresh_card()
            done = done.sudo(False)
        return done
