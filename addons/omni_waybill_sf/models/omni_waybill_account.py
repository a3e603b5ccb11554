# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class OmniWaybillAccount(models.Model):
    """An SF Express account is the company's: its customer code (顾客编码,
    ``partnerID``) in App Key, its check word (校验码) in App Secret."""

    _inherit = "omni.waybill.account"

    sf_monthly_card = fields.Char(
        string="SF Monthly Card",
        groups="stock.group_stock_manager",
        help="The monthly account (月结卡号) the parcels are billed to.",
    )
