# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A delivery carries its courier once, as Odoo's carrier_id and
carrier_tracking_ref. The values of the former columns omni_courier_code and
omni_tracking_no move there: the tracking number where the delivery has none,
the courier code to the carrier with that code usable by the delivery's
company; a code no carrier has yet gets a carrier of its own (fixed price 0,
to be completed under Inventory ▸ Configuration ▸ Shipping Methods)."""

import logging

from odoo import SUPERUSER_ID, api
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)


def _column_exists(cr, table, column):
    cr.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
        (table, column),
    )
    return bool(cr.fetchone())


def migrate(cr, version):
    if _column_exists(cr, "stock_picking", "omni_tracking_no"):
        cr.execute(
            """
            UPDATE stock_picking
               SET carrier_tracking_ref = omni_tracking_no
             WHERE coalesce(omni_tracking_no, '') != '' AND coalesce(carrier_tracking_ref, '') = ''
            """
        )
        _logger.info("omni_fulfilment: %s tracking numbers moved to carrier_tracking_ref", cr.rowcount)
    if not _column_exists(cr, "stock_picking", "omni_courier_code"):
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    Carrier = env["delivery.carrier"]
    cr.execute(
        """
        SELECT DISTINCT upper(trim(omni_courier_code)), company_id
          FROM stock_picking
         WHERE coalesce(trim(omni_courier_code), '') != '' AND carrier_id IS NULL
        """
    )
    product = None
    for code, company_id in cr.fetchall():
        company = env["res.company"].browse(company_id)
        carrier = Carrier._omni_get_by_code(code, company=company, raise_if_missing=False)
        if not carrier:
            if product is None:
                product = env["product.product"].create(
                    {"name": "Courier Freight", "type": "service", "sale_ok": False, "list_price": 0.0}
                )
            try:
                with cr.savepoint():
                    carrier = Carrier.create(
                        {
                            "name": code,
                            "omni_courier_code": code,
                            "product_id": product.id,
                            "company_id": company_id,
                            "delivery_type": "fixed",
                            "fixed_price": 0.0,
                        }
                    )
            except ValidationError as err:
                _logger.warning(
                    "omni_fulfilment: courier code %r of company %s kept as it was: %s", code, company_id, err
                )
                continue
            _logger.warning(
                "omni_fulfilment: courier code %s of company %s had no carrier: carrier %s made, complete it",
                code,
                company_id,
                carrier.id,
            )
        cr.execute(
            """
            UPDATE stock_picking SET carrier_id = %s
             WHERE upper(trim(omni_courier_code)) = %s AND company_id = %s AND carrier_id IS NULL
            """,
            (carrier.id, code, company_id),
        )
    env["stock.picking"].invalidate_model(["carrier_id", "carrier_tracking_ref"])
