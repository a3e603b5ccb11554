# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    adapter_kind = fields.Selection(selection_add=[("douyin", "Douyin shop")], ondelete={"douyin": "set null"})
    douyin_courier_codes = fields.Text(
        groups="omni_channel.group_omni_channel_manager",
        help="One courier a line, CODE=company_code: our courier code and Douyin's courier code, e.g. "
        "SF=shunfeng. SF, ZTO, YTO, STO, YUNDA, EMS, JD and DBL are known already.",
    )

    @api.constrains("douyin_courier_codes")
    def _check_douyin_courier_codes(self):
        for channel in self:
            channel._douyin_parse_courier_codes()

    def _douyin_parse_courier_codes(self):
        """{courier code: Douyin company_code} of the channel's lines."""
        return self._omni_parse_code_lines("douyin_courier_codes")

    def _omni_adapter_extra(self):
        extra = super()._omni_adapter_extra()
        if self.adapter_kind == "douyin":
            extra["courier_codes"] = self._douyin_parse_courier_codes()
        return extra
