# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reservation of a whole confirmation wave with the quants read once.

Shadows ``stock.quant._gather`` of Odoo 18.0
(addons/stock/models/stock_quant.py) inside ``_omni_quants_read_once``
only, for its non-strict look-ups without lot, package, owner or expiry
date and with a FIFO or LIFO removal strategy; proven equal (same quants,
same order) by tests/test_differential.py.

Odoo reserves move by move, and every move searches its quants twice (the
quants it may take, then the one it updates). For a wave of deliveries,
``stock.picking._omni_assign_in_batch`` reads the quants of all their
products once, and Odoo's own reservation then runs unchanged over them:
the exact look-ups through Odoo's ``quants_cache`` context, the look-ups of
"what may this move take" through the index below, kept on the cursor
(``cr.cache``: no caller can send it) for the time of that one call."""

from contextlib import contextmanager

from odoo import models

GATHER_INDEX = "omni_gather_index"
# the removal orders the index reproduces (PostgreSQL's: "in_date, id" puts
# empty dates last, "in_date DESC, id DESC" first); any other strategy
# searches as usual
REMOVAL_ORDERS = {"fifo": False, "lifo": True}  # descending?


def _removal_key(quant):
    return (quant.in_date is None, quant.in_date or 0, quant.id)


class StockQuant(models.Model):
    _inherit = "stock.quant"

    @contextmanager
    def _omni_quants_read_once(self, moves):
        """Within this block, the quants of ``moves``' products under their
        source locations are taken from memory: yields the environment
        (context with Odoo's ``quants_cache``) to reserve them in."""
        products, locations = moves.product_id, moves.location_id
        by_key = self._get_quants_by_products_locations(products, locations)
        quants = self.browse().union(*by_key.values())
        index = {}
        by_product = quants.grouped("product_id")
        for product in products:
            for location in locations:
                method = self._get_removal_strategy(product, location)
                if method not in REMOVAL_ORDERS:
                    continue
                found = by_product.get(product, self.browse()).filtered(
                    lambda q, loc=location: q.location_id.parent_path.startswith(loc.parent_path)
                )
                ordered = found.sorted(_removal_key, reverse=REMOVAL_ORDERS[method])
                # as Odoo's _gather: quants without a lot last, in that order
                index[product.id, location.id] = ordered.sorted(lambda q: not q.lot_id)
        cache = self.env.cr.cache
        cache[GATHER_INDEX] = index
        try:
            yield self.with_context(quants_cache=by_key).env
        finally:
            cache.pop(GATHER_INDEX, None)

    def _gather(self, product_id, location_id, lot_id=None, package_id=None, owner_id=None, strict=False, qty=0):
        """Shadows ``stock.quant._gather`` of Odoo 18.0
        (addons/stock/models/stock_quant.py) inside
        ``_omni_quants_read_once``, for the look-ups its index covers."""
        # Only a speed-up, never a permission: the index lives in cr.cache (no
        # caller can send it) and holds what Odoo's own search would return;
        # any context or argument it does not cover takes Odoo's search.
        index = self.env.cr.cache.get(GATHER_INDEX)
        if (
            index is not None
            and not strict
            and not lot_id
            and not package_id
            and not owner_id
            # Odoo's own filter on expiry dates (product_expiry): with it, the
            # search runs as usual; sending it only costs the caller the speed-up
            and not self.env.context.get("with_expiration")
            and (product_id.id, location_id.id) in index
        ):
            return index[product_id.id, location_id.id].with_env(self.env)
        return super()._gather(
            product_id, location_id, lot_id=lot_id, package_id=package_id, owner_id=owner_id, strict=strict, qty=qty
        )
