# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


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
        self.ensure_one()
        result = {}
        for number, line in enumerate((self.sudo().pdd_courier_ids or "").splitlines(), start=1):
            if not line.strip():
                continue
            code, sep, value = line.partition("=")
            if not sep or not code.strip() or not value.strip().isdigit():
                raise ValidationError(
                    self.env._(
                        "Channel %(channel)s, Pinduoduo courier IDs, line %(line)s: write CODE=ID with a numeric "
                        "Pinduoduo id (got %(text)s).",
                        channel=self.display_name,
                        line=number,
                        text=line.strip(),
                    )
                )
            result[code.strip().upper()] = value.strip()
        return result

    def _omni_adapter_extra(self):
        extra = super()._omni_adapter_extra()
        if self.adapter_kind == "pinduoduo":
            extra["courier_ids"] = self._pdd_parse_courier_ids()
        return extra
