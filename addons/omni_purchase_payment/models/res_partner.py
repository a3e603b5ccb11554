# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _omni_lines_to_bill(self):
        return self.env["purchase.order.line"].search(
            [
                ("partner_id", "child_of", self.commercial_partner_id.ids),
                ("order_id.state", "in", ("purchase", "done")),
                ("qty_to_invoice", ">", 0),
                ("display_type", "=", False),
                ("company_id", "in", self.env.companies.ids),
            ]
        )

    def action_omni_bill_received(self):
        """Bill everything this vendor delivered and did not bill yet, in the
        companies selected in the company switcher."""
        bills = self._omni_lines_to_bill()._omni_create_bills()
        return self.env["purchase.order"].action_view_invoice(bills)
