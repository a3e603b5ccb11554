# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .speed_switch import SWITCH


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    omni_stock_speed_disabled = fields.Boolean(
        string="Odoo's Own Path for Confirmation Waves",
        config_parameter=SWITCH,
        help="Turns off the speed-ups of confirmation waves (rules, quants and precisions read once, "
        "deliveries and names made per batch): every step takes Odoo's own method, slower, with the "
        "same result. For measuring, or to rule them out when looking for a cause.",
    )
