# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    adapter_kind = fields.Selection(selection_add=[("jd", "JD (JOS)")], ondelete={"jd": "set null"})
    jd_order_states = fields.Char(
        string="JD Order States",
        default="WAIT_SELLER_STOCK_OUT",
        groups="omni_channel.group_omni_channel_manager",
        help="Order states pulled from JD, comma separated (WAIT_SELLER_STOCK_OUT: paid, waiting to be shipped).",
    )
    jd_courier_code_ids = fields.One2many(
        "omni.channel.courier.code",
        "channel_id",
        string="JD Courier IDs",
        domain=[("platform", "=", "jd")],
        context={"default_platform": "jd"},
        groups="omni_channel.group_omni_channel_manager",
        help="JD's logistics company id (logiCoprId) of our couriers, e.g. SF: 467. SF, EMS, YTO, STO, ZTO, "
        "YUNDA, JD and DBL are known already.",
    )

    def _jd_parse_courier_ids(self):
        """{courier code: JD logistics company id} of the channel's lines."""
        return self._omni_courier_codes("jd")

    def _omni_adapter_extra(self):
        extra = super()._omni_adapter_extra()
        if self.adapter_kind == "jd":
            channel = self.sudo()  # settings of the call only, see _get_adapter
            extra.update(
                order_states=(channel.jd_order_states or "").replace(" ", "") or None,
                courier_ids=channel._jd_parse_courier_ids(),
            )
        return extra
