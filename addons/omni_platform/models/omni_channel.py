# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError, ValidationError

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

    def _omni_parse_code_lines(self, field_name, numeric=False):
        """{OUR CODE: the platform's value} of a text field written one
        courier a line as CODE=value (empty lines skipped); a bad line is
        refused naming the channel, the field and the line. Platform addons
        keep their courier mappings this way."""
        self.ensure_one()
        label = self._fields[field_name].get_description(self.env)["string"]
        result = {}
        for number, line in enumerate((self.sudo()[field_name] or "").splitlines(), start=1):
            if not line.strip():
                continue
            code, sep, value = line.partition("=")
            value = value.strip()
            if not sep or not code.strip() or not value or (numeric and not value.isdigit()):
                message = (
                    self.env._(
                        "Channel %(channel)s, %(field)s, line %(line)s: write CODE=ID with a numeric id "
                        "(got %(text)s).",
                        channel=self.display_name,
                        field=label,
                        line=number,
                        text=line.strip(),
                    )
                    if numeric
                    else self.env._(
                        "Channel %(channel)s, %(field)s, line %(line)s: write CODE=value (got %(text)s).",
                        channel=self.display_name,
                        field=label,
                        line=number,
                        text=line.strip(),
                    )
                )
                raise ValidationError(message)
            result[code.strip().upper()] = value
        return result
