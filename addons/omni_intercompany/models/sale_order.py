# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


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


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    omni_ic_purchase_line_id = fields.Many2one(
        "purchase.order.line",
        string="Goods request line",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
