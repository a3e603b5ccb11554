# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    adapter_kind = fields.Selection(selection_add=[("douyin", "Douyin shop")], ondelete={"douyin": "set null"})
    douyin_courier_code_ids = fields.One2many(
        "omni.channel.courier.code",
        "channel_id",
        string="Douyin Courier Codes",
        domain=[("platform", "=", "douyin")],
        context={"default_platform": "douyin"},
        groups="omni_channel.group_omni_channel_manager",
        help="Douyin's courier code (company_code) of our couriers, e.g. SF: shunfeng. SF, ZTO, YTO, STO, "
        "YUNDA, EMS, JD and DBL are known already.",
    )

    def _douyin_parse_courier_codes(self):
        """{courier code: Douyin company_code} of the channel's lines."""
        return self._omni_courier_codes("douyin")

    def _omni_adapter_extra(self):
        extra = super()._omni_adapter_extra()
        if self.adapter_kind == "douyin":
            extra["courier_codes"] = self._douyin_parse_courier_codes()
        return extra
