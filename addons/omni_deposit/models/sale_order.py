# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_payment_method = fields.Selection(
        selection_add=[("deposit", "Prepaid Deposit")], ondelete={"deposit": "set null"}
    )
