# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

# what the sale order copied from the customer company's goods request
MIRRORED_FIELDS = ("product_id", "product_uom_qty", "product_uom", "price_unit", "discount")
# what makes the order the request's counterpart
MIRRORED_ORDER_FIELDS = ("partner_id", "company_id", "currency_id", "pricelist_id")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_ic_purchase_order_id = fields.Many2one(
        "purchase.order",
        string="Goods request",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The customer company's purchase order (goods request, 请货) this sale order was made from.",
    )

    _sql_constraints = [
        (
            "omni_ic_purchase_order_unique",
            "unique(omni_ic_purchase_order_id)",
            "A goods request makes one sale order.",
        ),
    ]

    def write(self, vals):
        # all many2one: the order stays the request's counterpart
        changed = [field for field in MIRRORED_ORDER_FIELDS if field in vals]
        if changed:
            self.filtered(
                lambda order: order.omni_ic_purchase_order_id
                and any(order[field].id != (vals[field] or False) for field in changed)
            )._omni_ic_refuse_change()
        return super().write(vals)

    def _omni_ic_refuse_change(self):
        for order in self[:1]:
            raise UserError(
                self.env._(
                    "Sale order %(sale)s was made from the goods request %(order)s of %(company)s: its "
                    "products, quantities and prices no longer change here. Cancel the order or ask for a new request.",
                    sale=order.name,
                    order=order.client_order_ref,
                    company=order.partner_id.name,
                )
            )

    def _action_cancel(self):
        mirrored = self.filtered("omni_ic_purchase_order_id")
        # sudo: the supplier's salesperson cannot read the customer company's
        # purchase order; read and cancelled here is this mirrored request only
        for order in mirrored:
            request = order.omni_ic_purchase_order_id.sudo()
            if any(line.qty_received for line in request.order_line):
                raise UserError(
                    self.env._(
                        "Sale order %(sale)s: %(company)s already received goods of its request %(order)s; "
                        "take them back with a return instead of cancelling.",
                        sale=order.name,
                        company=request.company_id.name,
                        order=request.name,
                    )
                )
        res = super()._action_cancel()
        for order in mirrored:
            request = order.omni_ic_purchase_order_id.sudo()
            if request.state != "cancel":
                request.button_cancel()
                request.message_post(
                    body=self.env._(
                        "Cancelled because %(company)s cancelled its sale order %(sale)s.",
                        company=order.company_id.name,
                        sale=order.name,
                    )
                )
        return res


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    omni_ic_purchase_line_id = fields.Many2one(
        "purchase.order.line",
        string="Goods request line",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        # lines the request made are created with their link; any other line
        # added to a mirrored order would exist on one side only
        lines.filtered(
            lambda line: not line.display_type
            and not line.omni_ic_purchase_line_id
            and line.order_id.omni_ic_purchase_order_id
            and not line.is_downpayment
        )._omni_ic_refuse_change()
        return lines

    def write(self, vals):
        if any(field in vals for field in MIRRORED_FIELDS):
            self.filtered("omni_ic_purchase_line_id")._omni_ic_refuse_change()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_omni_ic_line(self):
        # a line of a mirrored quotation deleted would exist on the request only
        self.filtered(
            lambda line: line.omni_ic_purchase_line_id and line.order_id.state != "cancel"
        )._omni_ic_refuse_change()

    def _omni_ic_refuse_change(self):
        self.order_id[:1]._omni_ic_refuse_change()
