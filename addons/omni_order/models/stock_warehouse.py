# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    # Defective goods and returns awaiting inspection are stock states of the
    # one e-commerce warehouse, not warehouses of their own: a second warehouse
    # per company would make every company multi-warehouse for Odoo (groups
    # Multi-Warehouses and Storage Locations for every user, sale orders
    # defaulting to it when the main one is archived).
    def _omni_get_defective_location(self):
        """The warehouse's location for defective goods (次品)."""
        return self._omni_get_state_location("omni_defective", self.env._("Defective Goods"))

    def _omni_get_state_location(self, flag, name):
        """The warehouse's internal location marked ``flag``, created on first
        use beside its stock location (not inside it), so never counted as
        sellable nor reserved for a delivery."""
        self.ensure_one()
        # created on the side of a return or a report as superuser: users who
        # receive returns need no right to create locations
        Location = self.env["stock.location"].sudo()
        location = Location.search([(flag, "=", True), ("warehouse_id", "=", self.id)], limit=1)
        if not location:
            location = Location.create(
                {
                    "name": name,
                    "location_id": self.view_location_id.id,
                    "usage": "internal",
                    flag: True,
                    "company_id": self.company_id.id,
                }
            )
        return location.with_env(self.env)
