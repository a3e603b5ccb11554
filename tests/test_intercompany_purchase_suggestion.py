# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command
from odoo.tests import TransactionCase, tagged
from odoo.tools import float_compare

from odoo.addons.omni_intercompany.tests.common import IntercompanyMixin
from odoo.addons.omni_purchase.tests.common import NOW, OmniPurchaseTestMixin


# a project test: it needs omni_intercompany and omni_purchase, which do not depend on each other
@freeze_time(NOW)
@tagged("post_install", "-at_install")
class TestIntercompanyPurchaseSuggestion(IntercompanyMixin, OmniPurchaseTestMixin, TransactionCase):
    """Retail requests goods (请货) from purchase suggestions: the wholesale
    company is the products' vendor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(NOW):
            cls._setup_intercompany(3)
            # omni_purchase's helpers (_ship, _refresh) on the retail company
            cls.company = cls.retail
            cls.company.partner_id.tz = "Asia/Shanghai"
            cls.warehouse = cls.wh_retail
            cls.stock_location = cls.warehouse.lot_stock_id
            cls.customers = cls.env.ref("stock.stock_location_customers")
            cls.Suggestion = cls.env["omni.purchase.suggestion"].with_company(cls.retail)
            for product in cls.products:
                product.write(
                    {
                        "purchase_ok": True,
                        "seller_ids": [
                            Command.create(
                                {
                                    "partner_id": cls.wholesale.partner_id.id,
                                    "company_id": cls.retail.id,
                                    "delay": 2,
                                    "price": 99.0,  # not the transfer price: confirming sets it
                                }
                            )
                        ],
                    }
                )

    def test_rfq_from_suggestions_becomes_wholesale_sale_order(self):
        tea, cup = self.products
        self._ship(tea, {d: 3 for d in range(1, 91)})
        self._ship(cup, {d: 1 for d in range(1, 91)})
        lines = self._refresh(self.products, user=self.buyer)
        selected = (lines[tea] | lines[cup]).with_user(self.buyer)
        self.assertEqual(selected.partner_id, self.wholesale.partner_id)
        self.assertEqual(selected.warehouse_id, self.rule.customer_warehouse_id)
        quantities = {line.product_id: line.order_qty for line in selected}
        self.assertTrue(all(qty > 0 for qty in quantities.values()), quantities)

        action = selected.action_create_rfqs()
        order = self.env["purchase.order"].search(action["domain"])
        self.assertEqual(len(order), 1, "one RFQ to the wholesale company")
        self.assertEqual(
            (order.company_id, order.partner_id, order.state), (self.retail, self.wholesale.partner_id, "draft")
        )
        self.assertEqual(order.picking_type_id, self.rule.customer_warehouse_id.in_type_id)
        self.assertEqual({line.product_id: line.product_qty for line in order.order_line}, quantities)

        order.with_user(self.buyer).with_company(self.retail).button_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertEqual(order.omni_ic_rule_id, self.rule)
        sale = self._sale_of(order)
        self.assertEqual(len(sale), 1)
        self.assertEqual(
            (sale.company_id, sale.partner_id, sale.warehouse_id),
            (self.wholesale, self.retail.partner_id, self.wh_wholesale),
        )
        self.assertEqual({line.product_id: line.product_uom_qty for line in sale.order_line}, quantities)
        for i, product in enumerate(self.products):
            transfer_price = 10 + i * 0.37
            for line in [*order.order_line, *sale.order_line]:
                if line.product_id != product:
                    continue
                self.assertFalse(
                    float_compare(line.price_unit, transfer_price, precision_digits=2),
                    f"{line._name} {product.name}: {line.price_unit} is not the transfer price",
                )
        # the next refresh counts the request as an open purchase: nothing more to order
        line = self._refresh(tea, user=self.buyer)[tea]
        self.assertEqual((line.open_po_qty, line.suggested_qty), (quantities[tea], 0))
