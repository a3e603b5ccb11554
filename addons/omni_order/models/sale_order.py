# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_channel_id = fields.Many2one(
        "omni.channel", string="Channel", index=True, check_company=True, readonly=True, copy=False
    )
    omni_unit_code = fields.Char(related="omni_channel_id.code", store=True, string="Unit Code")
    omni_payment_method = fields.Selection(
        [("prepaid", "Prepaid"), ("cod", "Cash on Delivery")], string="Payment Method", copy=False
    )
    omni_order_ids = fields.One2many(
        "omni.order", "sale_order_id", string="Platform Orders", groups="omni_channel.group_omni_channel_user"
    )

    # --- hooks of a confirmation wave: Odoo's own path here; the addon
    # omni_stock_speed overrides them to do per batch what Odoo does per order
    @api.model
    def _omni_name_in_batch(self, vals_list):
        """The values of a wave's new sale orders, named or not: Odoo's
        ``create`` names those without a name, one sequence look-up each."""
        return vals_list

    def _omni_confirm_in_batch(self):
        """Confirm these new channel sale orders of one wave."""
        return self.action_confirm()

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        partner_ids = self.env["res.partner"]._omni_without_platform_buyers(self, partner_ids)
        if not partner_ids and not subtype_ids:
            return True
        return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    omni_order_line_id = fields.Many2one("omni.order.line", string="Platform Order Line", index=True, copy=False)
