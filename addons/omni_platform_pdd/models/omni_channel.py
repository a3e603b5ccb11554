# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    adapter_kind = fields.Selection(selection_add=[("pinduoduo", "Pinduoduo")], ondelete={"pinduoduo": "set null"})
    pdd_courier_code_ids = fields.One2many(
        "omni.channel.courier.code",
        "channel_id",
        string="Pinduoduo Courier IDs",
        domain=[("platform", "=", "pinduoduo")],
        context={"default_platform": "pinduoduo"},
        groups="omni_channel.group_omni_channel_manager",
        help="Only for couriers whose code Pinduoduo does not know: Pinduoduo's logistics company id of our "
        "courier. Other codes are looked up in Pinduoduo's courier list.",
    )

    def _pdd_parse_courier_ids(self):
        """{courier code: Pinduoduo logistics_id} of the channel's lines."""
        return self._omni_courier_codes("pinduoduo")

    def _omni_adapter_extra(self):
        extra = super()._omni_adapter_extra()
        if self.adapter_kind == "pinduoduo":
            extra["courier_ids"] = self._pdd_parse_courier_ids()
        return extra
