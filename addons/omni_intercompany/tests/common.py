# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import Form


class IntercompanyMixin:
    """A wholesale company supplies a retail company, each with the Chinese
    chart: the retail purchase order (请货) becomes wholesale's sale order,
    wholesale's delivery makes retail's receipt ready."""

    @classmethod
    def _setup_intercompany(cls, lines):
        """Two companies on the Chinese chart, ``lines`` shared products (the
        last one lot-tracked) with a transfer price, stock and a cost in
        wholesale, a rule, and users with core rights in one company each."""
        env = cls.env
        cny = env.ref("base.CNY")
        Company = env["res.company"]
        cls.wholesale = Company.create({"name": "IC Wholesale Co", "currency_id": cny.id})
        cls.retail = Company.create({"name": "IC Retail Co", "currency_id": cny.id})
        for company in cls.wholesale | cls.retail:
            env["account.chart.template"].try_loading("cn", company, install_demo=False)
        Warehouse = env["stock.warehouse"]
        cls.wh_wholesale = Warehouse.search([("company_id", "=", cls.wholesale.id)], limit=1)
        cls.wh_retail = Warehouse.search([("company_id", "=", cls.retail.id)], limit=1)
        cls.tax_wholesale = cls.wholesale.account_sale_tax_id
        cls.tax_retail = cls.retail.account_sale_tax_id
        Product = env["product.product"]
        cls.products = Product.create(
            [
                {
                    "name": f"IC product {i:03d}",
                    "default_code": f"IC{i:03d}",
                    "is_storable": True,
                    "taxes_id": [Command.set((cls.tax_wholesale | cls.tax_retail).ids)],
                }
                for i in range(lines - 1)
            ]
        )
        cls.tracked = Product.create(
            {"name": "IC tracked honey", "is_storable": True, "tracking": "lot",
             "taxes_id": [Command.set((cls.tax_wholesale | cls.tax_retail).ids)]}
        )  # fmt: skip
        cls.all_products = cls.products | cls.tracked
        cls.pricelist = env["product.pricelist"].create(
            {
                "name": "Transfer prices",
                "company_id": cls.wholesale.id,
                "currency_id": cny.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": p.id,
                            "compute_price": "fixed",
                            "fixed_price": 10 + i * 0.37,
                        }
                    )  # fmt: skip
                    for i, p in enumerate(cls.all_products)
                ],
            }
        )
        cls.rule = env["omni.intercompany.rule"].create(
            {
                "supplier_company_id": cls.wholesale.id,
                "customer_company_id": cls.retail.id,
                "pricelist_id": cls.pricelist.id,
                "supplier_warehouse_id": cls.wh_wholesale.id,
                "customer_warehouse_id": cls.wh_retail.id,
                "auto_confirm": True,
            }
        )
        Quant = env["stock.quant"].with_company(cls.wholesale)
        for product in cls.products:
            Quant._update_available_quantity(product, cls.wh_wholesale.lot_stock_id, 100)
        # a shared product's lot is shared by the companies (Odoo 18: no company)
        cls.lot = env["stock.lot"].create({"name": "HONEY-2611", "product_id": cls.tracked.id})
        Quant._update_available_quantity(cls.tracked, cls.wh_wholesale.lot_stock_id, 100, lot_id=cls.lot)
        for i, product in enumerate(cls.all_products):
            product.with_company(cls.wholesale).standard_price = 6 + i * 0.25
        Users = env["res.users"].with_context(no_reset_password=True)
        cls.buyer = Users.create(
            {
                "name": "Retail buyer",
                "login": "ic_retail_buyer",
                "email": "buyer@retail.example.com",
                "company_id": cls.retail.id,
                "company_ids": [Command.set(cls.retail.ids)],
                "groups_id": [Command.set([env.ref("purchase.group_purchase_user").id,
                                           env.ref("stock.group_stock_user").id])],
            }
        )  # fmt: skip
        cls.shipper = Users.create(
            {
                "name": "Wholesale shipper",
                "login": "ic_wholesale_shipper",
                "email": "shipper@wholesale.example.com",
                "company_id": cls.wholesale.id,
                "company_ids": [Command.set(cls.wholesale.ids)],
                "groups_id": [Command.set([env.ref("sales_team.group_sale_salesman_all_leads").id,
                                           env.ref("stock.group_stock_user").id])],
            }
        )  # fmt: skip
        invoicing = env.ref("account.group_account_invoice")
        cls.seller_accountant, cls.buyer_accountant, cls.auditor = Users.create(
            [
                {
                    "name": name,
                    "login": login,
                    "email": f"{login}@example.com",
                    "company_id": companies[0].id,
                    "company_ids": [Command.set(companies.ids)],
                    "groups_id": [Command.set(invoicing.ids)],
                }
                for name, login, companies in (
                    ("Wholesale accountant", "ic_wholesale_accountant", cls.wholesale),
                    ("Retail accountant", "ic_retail_accountant", cls.retail),
                    ("Group auditor", "ic_auditor", cls.wholesale | cls.retail),
                )
            ]
        )

    def _request(self, products, qty=10):
        return (
            self.env["purchase.order"]
            .with_user(self.buyer)
            .with_company(self.retail)
            .create(
                {
                    "partner_id": self.wholesale.partner_id.id,
                    "order_line": [
                        Command.create({"product_id": p.id, "product_qty": qty, "price_unit": 1.0}) for p in products
                    ],
                }
            )
        )

    def _sale_of(self, order):
        return self.env["sale.order"].search([("omni_ic_purchase_order_id", "=", order.id)])

    def _validate(self, picking, user, company):
        action = picking.with_user(user).with_company(company).button_validate()
        if isinstance(action, dict) and action.get("res_model") == "stock.backorder.confirmation":
            wizard = Form(self.env["stock.backorder.confirmation"].with_user(user).with_context(**action["context"]))
            wizard.save().process()

    def _deliver_all(self, order):
        """Wholesale ships the whole request and retail receives it."""
        sale = self._sale_of(order)
        delivery = sale.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        delivery = delivery.with_user(self.shipper).with_company(self.wholesale)
        for move in delivery.move_ids:
            move.quantity = move.product_uom_qty
        delivery.move_ids.picked = True
        self._validate(delivery, self.shipper, self.wholesale)
        receipt = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        self._validate(receipt, self.buyer, self.retail)
        return sale

    def _invoice(self, sale, post=True):
        """Wholesale's accountant invoices the sale order (and posts it)."""
        sale = sale.with_user(self.seller_accountant).with_company(self.wholesale)
        invoice = sale._create_invoices()
        invoice.invoice_date = "2026-11-20"
        if post:
            invoice.action_post()
        return invoice

    def _bill_of(self, invoice):
        return self.env["account.move"].search([("omni_ic_invoice_id", "=", invoice.id)])
