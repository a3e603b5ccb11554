# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Defective goods were a warehouse per company (次品仓); they are now a
location of the e-commerce warehouse. An empty former defective warehouse is
archived (Odoo then switches Multi-Warehouses off again where no company has
two warehouses); one that still holds goods is kept, its stock location marked
defective so that Stock States still count it, and a warning says to move the
goods to the main warehouse's Defective Goods location and archive it."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    cr.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'res_company' "
        "AND column_name = 'omni_defective_warehouse_id'"
    )
    if not cr.fetchone():
        return
    cr.execute("SELECT omni_defective_warehouse_id FROM res_company WHERE omni_defective_warehouse_id IS NOT NULL")
    env = api.Environment(cr, SUPERUSER_ID, {})
    warehouses = env["stock.warehouse"].browse([row[0] for row in cr.fetchall()]).exists()
    for warehouse in warehouses:
        held = env["stock.quant"].search_count(
            [("location_id", "child_of", warehouse.view_location_id.id), ("quantity", "!=", 0)]
        )
        if held:
            warehouse.lot_stock_id.omni_defective = True
            _logger.warning(
                "Former defective warehouse %s (%s) still holds goods: move them to the Defective Goods "
                "location of the company's main warehouse, then archive it.",
                warehouse.name,
                warehouse.company_id.name,
            )
        else:
            warehouse.active = False
