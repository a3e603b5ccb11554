# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import Command

from odoo.addons.omni_base.tools import guard

# Every test date is built from this instant (12:00 in Shanghai).
NOW = "2026-06-15 04:00:00"


class OmniPurchaseTestMixin:
    """A company of its own (Shanghai time) with its warehouse, two vendors,
    a purchase user, and helpers that ship sales on given days."""

    @classmethod
    def _setup_omni_purchase(cls):
        env = cls.env
        cls.company = env["res.company"].create({"name": "Omni Purchase Co"})
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.warehouse = env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.warehouse.code = "OPWH"
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.customers = env.ref("stock.stock_location_customers")
        cls.vendor = env["res.partner"].create({"name": "Hangzhou Tea Farm", "company_id": cls.company.id})
        cls.vendor_2 = env["res.partner"].create({"name": "Jingdezhen Cups", "company_id": cls.company.id})
        cls.buyer = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Buyer",
                    "login": "omni_purchase_buyer",
                    "email": "buyer@example.com",
                    "password": "omni_purchase_buyer-Pass-123",
                    "company_id": cls.company.id,
                    "company_ids": [Command.set(cls.company.ids)],
                    "groups_id": [Command.set([env.ref("purchase.group_purchase_user").id])],
                }
            )
        )
        cls.tea = cls._product("Longjing Tea", "OP-TEA", vendor=cls.vendor, delay=5, min_qty=10, multiple=12)
        cls.cup = cls._product("Tea Cup", "OP-CUP", vendor=cls.vendor_2, delay=3)
        cls.lonely = cls._product("Loose Leaf Sample", "OP-NOVENDOR")
        cls.Suggestion = env["omni.purchase.suggestion"].with_company(cls.company)

    @classmethod
    def _product(cls, name, code, vendor=None, delay=1, min_qty=0.0, multiple=0.0, **values):
        vals = {
            "name": name,
            "default_code": code,
            "is_storable": True,
            "purchase_ok": True,
            "company_id": cls.company.id,
            **values,
        }
        if vendor:
            vals["seller_ids"] = [
                Command.create(
                    {
                        "partner_id": vendor.id,
                        "delay": delay,
                        "min_qty": min_qty,
                        "omni_order_multiple": multiple,
                        "price": 10.0,
                        "company_id": cls.company.id,
                    }
                )
            ]
        return cls.env["product.product"].create(vals)

    def _today(self):
        return self.company._omni_today()

    def _at(self, days_ago):
        """UTC datetime of noon, company time, ``days_ago`` days before today."""
        tz = pytz.timezone("Asia/Shanghai")
        day = self._today() - timedelta(days=days_ago)
        return tz.localize(datetime.combine(day, time(12, 0))).astimezone(pytz.utc).replace(tzinfo=None)

    def _ship(self, product, quantities, warehouse=None):
        """Done deliveries of ``product`` to a customer: {days_ago: qty}.
        Written as shipped history only: the stock is set apart (_stock)."""
        warehouse = warehouse or self.warehouse
        self._done_moves(product, quantities, warehouse.lot_stock_id, self.customers, warehouse.company_id)

    def _receive(self, product, quantities):
        """Done receipts of ``product`` from a vendor: {days_ago: qty} (history
        only, as _ship)."""
        self._done_moves(
            product, quantities, self.env.ref("stock.stock_location_suppliers"), self.stock_location, self.company
        )

    def _done_moves(self, product, quantities, source, destination, company):
        items = [(days_ago, qty) for days_ago, qty in quantities.items() if qty]
        moves = self.env["stock.move"].create(
            [
                {
                    "name": "sale" if destination == self.customers else "receipt",
                    "product_id": product.id,
                    "product_uom": product.uom_id.id,
                    "product_uom_qty": qty,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "company_id": company.id,
                }
                for _days_ago, qty in items
            ]
        )
        self.env.flush_all()
        for move, (days_ago, qty) in zip(moves, items, strict=True):
            self.env.cr.execute(
                "UPDATE stock_move SET state = 'done', quantity = %s, date = %s WHERE id = %s",
                (qty, self._at(days_ago), move.id),
            )
        moves.invalidate_recordset()

    def _stock(self, product, qty, location=None):
        self.env["stock.quant"]._update_available_quantity(product, location or self.stock_location, qty)

    def _out_of_stock(self, product, days_ago_list):
        guard.internal(self.env["omni.purchase.stockout"]).create(  # as the nightly snapshot records them
            [
                {
                    "company_id": self.company.id,
                    "warehouse_id": self.warehouse.id,
                    "product_id": product.id,
                    "day": self._today() - timedelta(days=d),
                }
                for d in days_ago_list
            ]
        )

    def _refresh(self, products=None, user=None):
        suggestion = self.Suggestion.with_user(user) if user else self.Suggestion
        lines = suggestion._refresh(self.warehouse, products.ids if products is not None else None)
        return {line.product_id: line for line in lines}
