# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class OmniWaybillRule(models.Model):
    """Which courier, through which waybill service, ships a channel's
    deliveries (Tmall: ZTO through Cainiao; Pinduoduo: ZTO through
    Pinduoduo's waybills...). The first rule of the delivery's channel, by
    sequence, whose provinces include the receiver's and whose courier can
    print the delivery (an encrypted receiver needs its platform's service)
    gives a delivery without a courier its courier when it is packed."""

    _name = "omni.waybill.rule"
    _description = "E-Waybill Routing Rule"
    _order = "channel_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    channel_id = fields.Many2one("omni.channel", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="channel_id.company_id", store=True)
    carrier_id = fields.Many2one(
        "delivery.carrier",
        string="Courier",
        required=True,
        ondelete="cascade",
        check_company=True,
        help="The courier and the waybill service (the carrier's provider) that ship the channel's deliveries.",
    )
    service = fields.Selection(related="carrier_id.delivery_type", string="Waybill Service")
    state_ids = fields.Many2many(
        "res.country.state",
        string="Receiver Provinces",
        help="Only deliveries to these provinces. Empty: every province.",
    )
    note = fields.Char(string="Why")

    @api.depends("channel_id", "carrier_id")
    def _compute_display_name(self):
        for rule in self:
            rule.display_name = f"{rule.channel_id.display_name} → {rule.carrier_id.display_name}"

    def _matches(self, picking):
        self.ensure_one()
        return not self.state_ids or picking.partner_id.state_id in self.state_ids
