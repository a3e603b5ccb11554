# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_receiver_encrypted = fields.Boolean(
        string="Receiver Encrypted",
        copy=False,
        help="The platform gave the receiver only encrypted (masked text, ciphertext, receiver id): only the "
        "platform's own waybill service can print the label.",
    )
