# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from ..services.douyin_waybill import BATCH_LIMIT


class OmniWaybillAccount(models.Model):
    _inherit = "omni.waybill.account"

    douyin_user_id = fields.Char(
        string="Douyin Shop ID",
        help="Only for a shared waybill account: the shop that uses the numbers (user_id, the shop_id of the order).",
    )
    douyin_batch_size = fields.Integer(
        string="Parcels per Douyin Request",
        default=BATCH_LIMIT,
        help="How many parcels one logistics.newCreateOrder call carries.",
    )

    _sql_constraints = [
        ("douyin_batch_size_positive", "CHECK(douyin_batch_size > 0)", "A Douyin request carries one parcel or more."),
    ]

    def _douyin_credentials(self):
        """(app key, app secret, access token, API URL) of this account; what
        it leaves empty comes from its shop's channel."""
        self.ensure_one()
        channel = self.channel_id
        return (
            self.app_key or channel.api_app_key,
            self.app_secret or channel.api_app_secret,
            self.access_token or channel.api_access_token,
            self.endpoint_url or channel.api_base_url or "https://openapi-fxg.jinritemai.com",
        )
