# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from .decimal_precision import precisions_read_once
from .speed_switch import speed_ups_on


class OmniOrder(models.Model):
    _inherit = "omni.order"

    def _omni_create_sale_orders(self, defer_reservation):
        """The sale orders of a wave, made and confirmed with the decimal
        precisions read once (decimal_precision.py)."""
        if not speed_ups_on(self.env):
            return super()._omni_create_sale_orders(defer_reservation)
        with precisions_read_once(self.env):
            return super()._omni_create_sale_orders(defer_reservation)
