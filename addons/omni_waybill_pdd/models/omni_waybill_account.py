# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class OmniWaybillAccount(models.Model):
    _inherit = "omni.waybill.account"

    pdd_user_id = fields.Char(
        string="Pinduoduo Shop ID",
        help="The shop using the numbers (使用者ID, the mall id) as Pinduoduo's waybill service asks it. Empty: the "
        "shop of the access token.",
    )

    def _pdd_credentials(self):
        """(client id, client secret, access token, router URL) of this
        account; what it leaves empty comes from its shop's channel (the
        shop's own authorisation)."""
        self.ensure_one()
        channel = self.channel_id
        return (
            self.app_key or channel.api_app_key,
            self.app_secret or channel.api_app_secret,
            self.access_token or channel.api_access_token,
            self.endpoint_url or channel.api_base_url or "https://gw-api.pinduoduo.com/api/router",
        )
