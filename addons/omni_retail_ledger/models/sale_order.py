# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.exceptions import UserError


def _refuse_channel_orders(env, orders):
    channel_orders = orders.filtered("omni_channel_id")
    if channel_orders:
        raise UserError(
            env._(
                "%(orders)s: channel orders are not invoiced one by one; their revenue is posted by the "
                "Retail Ledger (Accounting ▸ Retail Ledger) once shipped.",
                orders=", ".join(channel_orders[:5].mapped("name")) + ("…" if len(channel_orders) > 5 else ""),
            )
        )


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _create_invoices(self, grouped=False, final=False, date=None):
        _refuse_channel_orders(self.env, self)
        return super()._create_invoices(grouped=grouped, final=final, date=date)


class SaleAdvancePaymentInv(models.TransientModel):
    _inherit = "sale.advance.payment.inv"

    def create_invoices(self):
        _refuse_channel_orders(self.env, self.sale_order_ids)
        return super().create_invoices()
