# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError

from ..platforms import get_adapter


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    # a platform addon adds its kind with selection_add (and registers its
    # adapter class with platforms.register_adapter)
    adapter_kind = fields.Selection(
        [("generic_rest", "Generic REST (JSON)"), ("taobao_top", "Taobao / Tmall (TOP)")],
        string="Platform API",
        help="Empty for platforms without an API: their orders come as files and their stock and "
        "shipping information go back as files.",
    )
    # credentials: Channel Managers only
    api_base_url = fields.Char(string="API URL", groups="omni_channel.group_omni_channel_manager")
    api_app_key = fields.Char(string="App Key", groups="omni_channel.group_omni_channel_manager")
    api_app_secret = fields.Char(string="App Secret", groups="omni_channel.group_omni_channel_manager")
    api_access_token = fields.Char(string="Access Token", groups="omni_channel.group_omni_channel_manager")
    api_timeout = fields.Integer(string="API Timeout (s)", default=30)

    def _get_adapter(self):
        """The platform adapter of this channel, with its credentials. Used
        by intake, stock sync and shipment write-back, which see only the
        adapter interface (``platforms.PlatformAdapter``)."""
        self.ensure_one()
        if not self.adapter_kind:
            raise UserError(
                self.env._("Channel %(channel)s has no platform API configured.", channel=self.display_name)
            )
        # the credentials are read for the call only, never shown: the
        # callers (a pull, a stock sync, a write-back) checked their rights
        channel = self.sudo()
        return get_adapter(
            channel.adapter_kind,
            base_url=channel.api_base_url,
            app_key=channel.api_app_key,
            app_secret=channel.api_app_secret,
            access_token=channel.api_access_token,
            timeout=channel.api_timeout or 30,
            extra=channel._omni_adapter_extra(),
        )

    def _omni_adapter_extra(self):
        """Platform-specific settings of the adapter (``extra``): a platform
        addon extends this for its own kind."""
        return {}

    def _omni_courier_codes(self, platform):
        """{OUR COURIER CODE: the platform's code or id} of this channel's
        courier lines for ``platform`` (``omni.channel.courier.code``)."""
        self.ensure_one()
        lines = self.env["omni.channel.courier.code"].search(
            [("channel_id", "=", self.id), ("platform", "=", platform)]
        )
        return {line.courier_code: line.platform_code for line in lines}
