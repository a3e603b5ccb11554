# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""This addon used to raise Odoo's 'Product Unit of Measure' precision to 4
decimals for every quantity of the database (printed "1.0000 Units", other
reservation roundings). The product relation table keeps its own 4 decimals;
stock quantities are back to Odoo's 2, unless the database already holds
stock quantities with more decimals: then the precision is left at 4 (lowering
it would round them) and a warning says so."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

ODOO_DIGITS = 2
# stock quantities stored in the precision's digits
QUANTITY_COLUMNS = [
    ("stock_quant", "quantity"),
    ("stock_move", "product_uom_qty"),
    ("stock_move_line", "quantity"),
    ("sale_order_line", "product_uom_qty"),
]


def migrate(cr, version):
    cr.execute("SELECT digits FROM decimal_precision WHERE name = 'Product Unit of Measure'")
    row = cr.fetchone()
    if not row or row[0] != 4:
        return
    finer = []
    for table, column in QUANTITY_COLUMNS:
        cr.execute(
            f"SELECT count(*) FROM {table} WHERE round({column}::numeric, {ODOO_DIGITS}) != {column}::numeric"  # noqa: S608
        )
        if cr.fetchone()[0]:
            finer.append(f"{table}.{column}")
    if finer:
        _logger.warning(
            "'Product Unit of Measure' precision left at 4 decimals: %s hold quantities with more than %s "
            "decimals. Odoo then prints quantities with 4 decimals; see the omni_order readme.",
            ", ".join(finer),
            ODOO_DIGITS,
        )
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["decimal.precision"].search([("name", "=", "Product Unit of Measure")]).digits = ODOO_DIGITS
