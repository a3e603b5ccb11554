# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    def _omni_get_return_locked_location(self):
        """The warehouse's location of goods returned to wholesale and locked
        until it decides, created on first use beside the stock location."""
        return self._omni_get_state_location("omni_ic_return_locked", self.env._("Returned to Wholesale (Locked)"))
