# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class OmniWaybillAccount(models.Model):
    """A company's account at one waybill service, or a shop's own where the
    platform issues waybills only on the shop's authorisation (Pinduoduo,
    Douyin, Taobao's Cainiao through the shop's session). Provider addons
    add the fields their service needs (``_inherit``)."""

    _name = "omni.waybill.account"
    _description = "E-Waybill Service Account"
    _order = "service, channel_id, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    service = fields.Selection(selection="_selection_service", string="Waybill Service", required=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    channel_id = fields.Many2one(
        "omni.channel",
        string="Shop",
        check_company=True,
        help="Only this shop's deliveries use this account (the shop's own authorisation). Empty: every delivery "
        "of the company.",
    )
    endpoint_url = fields.Char(string="Service URL", help="The service's API address (its sandbox while testing).")
    app_key = fields.Char()
    app_secret = fields.Char(groups="stock.group_stock_manager")
    access_token = fields.Char(groups="stock.group_stock_manager")
    sender_id = fields.Many2one(
        "res.partner",
        string="Sender Address",
        help="Shipping address registered at the service (the warehouse). Empty: the company's address.",
    )
    timeout = fields.Integer(string="Timeout (s)", default=15)

    _sql_constraints = [
        ("timeout_positive", "CHECK(timeout > 0)", "The timeout is at least one second."),
    ]

    @api.model
    def _selection_service(self):
        Carrier = self.env["delivery.carrier"]
        return [
            (value, label)
            for value, label in Carrier._fields["delivery_type"]._description_selection(self.env)
            if hasattr(Carrier, f"_{value}_waybill_issue")
        ]

    @api.constrains("service", "company_id", "channel_id", "active")
    def _check_one_per_scope(self):
        for account in self.filtered("active"):
            twins = self.search_count(
                [
                    ("id", "!=", account.id),
                    ("service", "=", account.service),
                    ("company_id", "=", account.company_id.id),
                    ("channel_id", "=", account.channel_id.id),
                ]
            )
            if twins:
                raise ValidationError(
                    self.env._(
                        "%(name)s: another active account of this service already serves %(scope)s.",
                        name=account.name,
                        scope=account.channel_id.name or account.company_id.name,
                    )
                )

    def _sender(self):
        self.ensure_one()
        return self.sender_id or self.company_id.partner_id
