# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, api, models

# (product code, transfer price, wholesale's cost, wholesale's stock) of the demo's goods
DEMO_TRANSFER = [
    ("TEA-1KG", 260.0, 180.0, 300),
    ("CUP", 14.5, 9.0, 3000),
    ("HONEY-500G", 17.8, 11.2, 1000),
    ("RICE-1KG", 6.35, 4.1, 2000),
]
# the two goods requests (请货) of the demo: [(product code, quantity)]
DEMO_REQUESTS = [
    [("HONEY-500G", 120), ("CUP", 240), ("TEA-1KG", 20)],  # received and billed
    [("RICE-1KG", 500), ("HONEY-500G", 60)],  # shipped by wholesale, on its way (goods in transit)
]


class OmniDemo(models.AbstractModel):
    _inherit = "omni.demo"

    @api.model
    def _load_demo_intercompany(self):
        """The wholesale company of the group (after ``_load_demo``, which
        makes the retail company) supplying the demo's e-commerce warehouse
        (issue 28): its warehouse and stock, the transfer pricelist, the
        inter-company rule, a goods request (请货) round-tripped (sale order,
        delivery, receipt, invoice and vendor bill, both posted) and a second
        one shipped by wholesale and not yet received, then the inter-company
        check. Each step is the method a user's button calls, done as the
        company whose step it is."""
        params = self.env["ir.config_parameter"].sudo()
        company_id = params.get_param("omni.demo_loaded")
        if not company_id or params.get_param("omni.demo_intercompany_loaded"):
            return False
        retail = self.env["res.company"].browse(int(company_id)).exists()
        if not retail:
            return False
        wholesale = self._demo_wholesale_company(retail)
        products = self._demo_intercompany_products(retail, wholesale)
        rule = self._demo_intercompany_rule(retail, wholesale, products)
        received, in_transit = (self._demo_goods_request(rule, products, lines) for lines in DEMO_REQUESTS)
        self._demo_ship(in_transit)
        self._demo_ship(received)
        self._demo_receive(received)
        self._demo_invoice(received)
        admin = self.env.ref("base.user_admin")
        # as of China's today, the invoice's date (admin's own today may be a day behind)
        rule.with_user(admin).with_context(allowed_company_ids=(retail | wholesale).ids).action_check(
            date=wholesale._omni_today()
        )
        params.set_param("omni.demo_intercompany_loaded", rule.id)
        return True

    def _demo_env(self, company):
        return self.with_company(company).with_context(allowed_company_ids=[company.id], tracking_disable=True).env

    def _demo_wholesale_company(self, retail):
        """悦选供应链, the group's wholesale company: Chinese chart, CNY, its
        warehouse 批发仓; admin works in both companies (retail first)."""
        company = self.env["res.company"].create(
            {
                "name": "悦选供应链（上海）有限公司",
                "currency_id": retail.currency_id.id,
                "country_id": retail.country_id.id,
                "street": "嘉定区沪宜公路88号",
                "city": "上海市",
                "phone": "021-55557777",
            }
        )
        company.partner_id.tz = "Asia/Shanghai"
        self.env["account.chart.template"].try_loading("cn", company, install_demo=False)
        Warehouse = self.env["stock.warehouse"]
        warehouse = Warehouse.search([("company_id", "=", company.id)], limit=1)
        if warehouse:
            warehouse.write({"name": "批发仓", "code": "WS"})
        else:
            # outside tests Odoo makes a new company's warehouse when Inventory is first opened
            Warehouse.create({"name": "批发仓", "code": "WS", "company_id": company.id})
        self.env.ref("base.user_admin").write({"company_ids": [Command.link(company.id)]})
        return company

    def _demo_intercompany_products(self, retail, wholesale):
        """{code: product}: the demo's goods become the group's (shared by the
        two companies, as a group keeps one product list), with wholesale's
        sale tax, cost and stock."""
        Product = self.env["product.product"]
        products = {
            code: Product.search([("default_code", "=", code), ("company_id", "in", (retail.id, False))], limit=1)
            for code, _price, _cost, _qty in DEMO_TRANSFER
        }
        env = self._demo_env(wholesale)
        location = env["stock.warehouse"].search([("company_id", "=", wholesale.id)], limit=1).lot_stock_id
        for code, _price, cost, qty in DEMO_TRANSFER:
            product = products[code]
            product.write({"company_id": False, "taxes_id": [Command.link(wholesale.account_sale_tax_id.id)]})
            product.with_env(env).standard_price = cost
            env["stock.quant"]._update_available_quantity(product.with_env(env), location, qty)
        return products

    def _demo_intercompany_rule(self, retail, wholesale, products):
        env = self._demo_env(wholesale)
        pricelist = env["product.pricelist"].create(
            {
                "name": "批发调拨价",
                "company_id": wholesale.id,
                "currency_id": wholesale.currency_id.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": products[code].id,
                            "compute_price": "fixed",
                            "fixed_price": price,
                        }
                    )  # fmt: skip
                    for code, price, _cost, _qty in DEMO_TRANSFER
                ],
            }
        )
        Warehouse = self.env["stock.warehouse"]
        return self.env["omni.intercompany.rule"].create(
            {
                "supplier_company_id": wholesale.id,
                "customer_company_id": retail.id,
                "pricelist_id": pricelist.id,
                "supplier_warehouse_id": Warehouse.search([("company_id", "=", wholesale.id)], limit=1).id,
                "customer_warehouse_id": Warehouse.search([("company_id", "=", retail.id)], limit=1).id,
                "auto_confirm": True,
                "bill_auto_post": True,
            }
        )

    def _demo_goods_request(self, rule, products, lines):
        """Retail's purchase order to wholesale, confirmed: wholesale's sale order follows."""
        env = self._demo_env(rule.customer_company_id)
        order = env["purchase.order"].create(
            {
                "partner_id": rule.supplier_partner_id.id,
                "user_id": self.env.ref("base.user_admin").id,
                "order_line": [
                    Command.create({"product_id": products[code].id, "product_qty": qty}) for code, qty in lines
                ],
            }
        )
        order.button_confirm()
        return order

    def _demo_sale_of(self, order):
        return self.env["sale.order"].search([("omni_ic_purchase_order_id", "=", order.id)])

    def _demo_ship(self, order):
        """Wholesale picks and validates the delivery of the request's sale order."""
        env = self._demo_env(order.omni_ic_rule_id.supplier_company_id)
        delivery = self._demo_sale_of(order).picking_ids.with_env(env)
        for move in delivery.move_ids:
            move.quantity = move.product_uom_qty
        delivery.move_ids.picked = True
        delivery.button_validate()

    def _demo_receive(self, order):
        """Retail validates its receipt, filled in from wholesale's delivery."""
        receipt = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        receipt.with_env(self._demo_env(order.company_id)).button_validate()

    def _demo_invoice(self, order):
        """Wholesale invoices its sale order and posts it: retail's bill is posted with it."""
        wholesale = order.omni_ic_rule_id.supplier_company_id
        env = self._demo_env(wholesale)
        invoice = self._demo_sale_of(order).with_env(env)._create_invoices()
        # dated China's today, due the same day (no payment term): the due date
        # computed at creation may be the day before
        today = wholesale._omni_today()
        invoice.write({"invoice_date": today, "invoice_date_due": today})
        invoice.action_post()
