# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class PurchaseOrder(models.Model):
    """The supplier company's answer to a goods request, on the request:
    the buyer cannot open the other company's sale order, so its status is
    shown here (kept apart from purchase_order.py, the request's logic)."""

    _inherit = "purchase.order"

    omni_ic_sale_state = fields.Selection(
        [
            ("draft", "Quotation"),
            ("sent", "Quotation sent"),
            ("sale", "Confirmed"),
            ("partial", "Partly shipped"),
            ("shipped", "Shipped"),
            ("cancel", "Cancelled"),
        ],
        string="Supplier's order status",
        compute="_compute_omni_ic_sale_state",
        help="Status of the sale order that the supplier company made from this goods request: a quotation "
        "waits for the supplier company to confirm it; once confirmed, whether the supplier company has shipped "
        "part or all of the goods (then the receipt waits with the shipped quantities).",
    )

    def _compute_omni_ic_sale_state(self):
        requests = self.filtered(lambda order: order._origin.id and order.omni_ic_sale_order_ref)
        # sudo: the buyer cannot read the supplier company's sale orders; only
        # the status of the sale orders made from these requests is read
        sales = (
            self.env["sale.order"].sudo().search([("omni_ic_purchase_order_id", "in", requests._origin.ids)])
            if requests
            else self.env["sale.order"]
        )
        state_of = {sale.omni_ic_purchase_order_id.id: self._omni_ic_sale_state_of(sale) for sale in sales}
        for order in self:
            order.omni_ic_sale_state = state_of.get(order._origin.id, False)

    def _omni_ic_sale_state_of(self, sale):
        """A confirmed sale order's status says how far wholesale shipped it."""
        if sale.state != "sale":
            return sale.state
        return {"full": "shipped", "partial": "partial", "started": "partial"}.get(sale.delivery_status, "sale")
