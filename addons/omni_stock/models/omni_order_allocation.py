# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import SQL


class OmniOrderAllocation(models.Model):
    _inherit = "omni.order.allocation"

    @api.model
    def _allocate(self, order_ids):
        """The (product, warehouse) pairs allocated to these orders before and
        after are marked changed: an order allocated or released changes the
        sellable stock (one indexed query each side, per batch)."""
        before = self._omni_allocated_pairs(order_ids)
        res = super()._allocate(order_ids)
        changed = before | self._omni_allocated_pairs(order_ids)
        if changed:
            self.env["omni.channel"]._omni_stock_changed(warehouses=changed)
        return res

    def _omni_allocated_pairs(self, order_ids):
        if not order_ids:
            return set()
        self.flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT product_id, warehouse_id FROM omni_order_allocation WHERE order_id = ANY(%s)",
                sorted(order_ids),
            )
        )
        return set(self.env.cr.fetchall())
