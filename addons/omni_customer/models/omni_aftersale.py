# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class OmniAftersale(models.Model):
    _inherit = "omni.aftersale"

    def action_receive(self):
        result = super().action_receive()
        received = self.filtered(lambda a: a.state == "received")
        if received:
            self.env["omni.points.move"]._take_back_for_returns(received)
            received._omni_customers()._omni_refresh_card()
        return result

    def action_submit(self):
        result = super().action_submit()
        self._omni_customers()._omni_refresh_card()
        return result

    def _omni_customers(self):
        # sudo: the customer of the caller's own after-sales orders, whose sale order a salesman
        # restricted to his own documents may not read
        return self.sudo().sale_order_id.partner_id.commercial_partner_id
