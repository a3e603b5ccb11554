# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    adapter_kind = fields.Selection(selection_add=[("pinduoduo", "Pinduoduo")], ondelete={"pinduoduo": "set null"})
    pdd_courier_ids = fields.Text(
        string="Pinduoduo Courier IDs",
        groups="omni_channel.group_omni_channel_manager",
        help="Only for couriers whose code Pinduoduo does not know: one a line, CODE=ID, our courier code "
        "and Pinduoduo's logistics company id. Other codes are looked up in Pinduoduo's courier list.",
    )

    @api.constrains("pdd_courier_ids")
    def _check_pdd_courier_ids(self):
        for channel in self:
            channel._pdd_parse_courier_ids()

    def _pdd_parse_courier_ids(self):
        """{courier code: Pinduoduo logistics_id} of the channel's lines."""
        return self._omni_parse_code_lines("pdd_courier_ids", numeric=True)

    def _omni_adapter_extra(self):
        extra = super()._omni_adapter_extra()
        if self.adapter_kind == "pinduoduo":
            extra["courier_ids"] = self._pdd_parse_courier_ids()
        return extra
