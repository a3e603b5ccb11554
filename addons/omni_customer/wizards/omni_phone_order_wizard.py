# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError


class OmniPhoneOrderWizard(models.TransientModel):
    """A phone order entered from the customer card: staged as an order of
    a call-centre channel (its unit code) and checked, merged and confirmed
    by the same rules as every platform order."""

    _name = "omni.phone.order.wizard"
    _description = "Phone Order"
    _check_company_auto = True

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    channel_id = fields.Many2one(
        "omni.channel",
        string="Call-centre Channel",
        required=True,
        check_company=True,
        domain="[('platform', '=', 'call_center'), ('company_id', '=', company_id)]",
        default=lambda self: self.env["omni.channel"].search(
            [("platform", "=", "call_center"), ("company_id", "=", self.env.company.id)], limit=1
        ),
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    receiver_name = fields.Char(required=True)
    phone = fields.Char(required=True)
    province = fields.Char(required=True)
    city = fields.Char(required=True)
    district = fields.Char()
    address = fields.Char(required=True)
    payment_method = fields.Selection(
        selection=lambda self: self.env["omni.order"]._fields["payment_method"]._description_selection(self.env),
        required=True,
        default="cod",
    )
    shipping_fee = fields.Monetary()
    buyer_note = fields.Text(string="Note")
    line_ids = fields.One2many("omni.phone.order.wizard.line", "wizard_id", string="Products")
    amount_total = fields.Monetary(compute="_compute_amount_total")

    @api.depends("line_ids.quantity", "line_ids.unit_price", "shipping_fee")
    def _compute_amount_total(self):
        for wizard in self:
            wizard.amount_total = sum(line.quantity * line.unit_price for line in wizard.line_ids) + wizard.shipping_fee

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        partner = self.env["res.partner"].browse(values.get("partner_id"))
        if partner:
            partner.check_access("read")
            state, district, street = partner.state_id, partner.street2, partner.street
            if not state:
                # an address imported with the province in 详细地址 (street2) or the street
                state, district, street = partner._omni_split_province(False, district, street)
            values.update(
                receiver_name=partner.name,
                phone=partner.mobile or partner.phone,
                province=state.name or False,
                city=partner.city,
                district=district or False,
                address=street or False,
            )
        return values

    def _prepare_order(self):
        """The order in the pipeline's public shape (omni.order.import_orders)."""
        self.ensure_one()
        number = self.env["ir.sequence"].next_by_code("omni.phone.order")
        return {
            "platform_order_no": number,
            # an aware instant: intake reads a zone-less time in the platform's zone (China time), and
            # Datetime.now() is UTC; a naive 09:14 UTC became 01:14 UTC and missed the 16:00 cut-off
            "order_time": pytz.utc.localize(fields.Datetime.now()),
            "receiver_name": self.receiver_name,
            "phone": self.phone,
            "province": self.province,
            "city": self.city,
            "district": self.district or "",
            "address": self.address,
            "payment_method": self.payment_method,
            "paid_amount": self.currency_id.round(self.amount_total),
            "shipping_fee": self.shipping_fee,
            "buyer_note": self.buyer_note or "",
            "lines": [
                {"platform_sku": line.mapping_id.platform_sku, "quantity": line.quantity, "unit_price": line.unit_price}
                for line in self.line_ids
            ],
        }

    def action_confirm(self):
        self.ensure_one()
        if not self.line_ids:
            raise UserError(self.env._("Add the products the caller orders."))
        if self.channel_id.platform != "call_center":
            raise UserError(self.env._("%(channel)s is no call-centre channel.", channel=self.channel_id.display_name))
        Order = self.env["omni.order"]
        vals = Order._prepare_staging_vals(self.channel_id, self._prepare_order(), "manual", None)
        # the agent's choice, not a platform's text to map
        vals.update(customer_id=self.partner_id.id, payment_method=self.payment_method)
        order = Order._create_staged([vals])
        order._check_exceptions()
        order._apply_review_rules()
        return {
            "type": "ir.actions.act_window",
            "res_model": "omni.order",
            "res_id": order.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }


class OmniPhoneOrderWizardLine(models.TransientModel):
    _name = "omni.phone.order.wizard.line"
    _description = "Phone Order Line"

    wizard_id = fields.Many2one("omni.phone.order.wizard", required=True, ondelete="cascade")
    mapping_id = fields.Many2one(
        "omni.product.mapping",
        string="Product",
        required=True,
        domain="[('channel_id', '=', parent.channel_id)]",
        help="A SKU of the call-centre channel's product relation table.",
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    unit_price = fields.Float(digits="Product Price")

    @api.onchange("mapping_id")
    def _onchange_mapping_id(self):
        for line in self:
            if line.mapping_id:
                line.unit_price = line.mapping_id.product_id.lst_price * (line.mapping_id.quantity or 1.0)
