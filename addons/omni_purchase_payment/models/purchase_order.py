# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    def action_omni_bill_received(self):
        """Bill what the selected orders received and did not bill yet: one
        bill per company and vendor (orders of one vendor together)."""
        bills = self.order_line._omni_create_bills()
        return self.action_view_invoice(bills)
