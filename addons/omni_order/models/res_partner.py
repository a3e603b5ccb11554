# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    omni_buyer_key = fields.Char(
        index=True,
        copy=False,
        readonly=True,
        help="Normalised receiver name, phone and address of platform orders: "
        "orders with the same key belong to this customer.",
    )

    @api.model
    def _omni_get_buyers(self, orders):
        """{receiver_key: partner} for the orders' receivers, creating the
        missing ones in one batch (per company)."""
        result = {}
        by_company = orders.grouped("company_id")
        for company, company_orders in by_company.items():
            keys = set(company_orders.mapped("receiver_key"))
            found = self.with_context(active_test=False).search(
                [("omni_buyer_key", "in", list(keys)), ("company_id", "in", [company.id, False])]
            )
            for partner in found:
                result.setdefault(partner.omni_buyer_key, partner)
            missing = {}
            for order in company_orders:
                if order.receiver_key not in result and order.receiver_key not in missing:
                    missing[order.receiver_key] = order._prepare_buyer_vals()
            if missing:
                # customers come from platform data, not from the user's
                # choice: created as the system, returned in the user's env
                created = self.sudo().with_context(tracking_disable=True).create(list(missing.values()))
                result.update(zip(missing, created.sudo(False), strict=True))
        return result
