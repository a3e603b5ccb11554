# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from .common import IntercompanyMixin


@tagged("post_install", "-at_install")
class TestIntercompanyTour(IntercompanyMixin, HttpCase):
    """The retail buyer's screen in the browser: a purchase order to the
    wholesale company, confirmed, shows wholesale's sale order and its status."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_intercompany(3)
        cls.buyer.password = "ic_retail_buyer"

    def test_buyer_requests_goods_and_sees_wholesales_order(self):
        self.start_tour("/odoo", "omni_intercompany_request_tour", login="ic_retail_buyer")
        order = self.env["purchase.order"].search([("partner_id", "=", self.wholesale.partner_id.id)])
        self.assertEqual(len(order), 1)
        self.assertEqual((order.company_id, order.state, order.user_id), (self.retail, "purchase", self.buyer))
        self.assertEqual(order.order_line.product_id, self.products[1])
        self.assertEqual(order.order_line.product_qty, 12)
        # the wholesale user sees the sale order in their own company, confirmed, at the transfer price
        sale = self.env["sale.order"].with_user(self.shipper).search([("client_order_ref", "=", order.name)])
        self.assertEqual(len(sale), 1)
        self.assertEqual(
            (sale.company_id, sale.state, sale.name), (self.wholesale, "sale", order.omni_ic_sale_order_ref)
        )
        self.assertEqual(order.omni_ic_sale_state, "sale")
        self.assertEqual(sale.order_line.product_uom_qty, 12)
        self.assertEqual(round(sale.order_line.price_unit * 100), 1037, "the transfer price (10 + 0.37)")
        self.assertEqual(round(order.amount_total * 100), round(sale.amount_total * 100))
        # and the buyer does not
        self.assertFalse(self.env["sale.order"].with_user(self.buyer).search([("id", "=", sale.id)]))


@tagged("post_install", "-at_install")
class TestIntercompanySaleState(IntercompanyMixin, TransactionCase):
    """The status of wholesale's sale order, shown on the buyer's request."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_intercompany(3)

    def test_the_request_shows_the_status_of_wholesales_order(self):
        self.rule.auto_confirm = False
        order = self._request(self.products[:2])
        self.assertFalse(order.omni_ic_sale_state, "not sent yet")
        order.button_confirm()
        order.invalidate_recordset()
        self.assertEqual(order.omni_ic_sale_state, "draft", "a quotation waiting for wholesale")
        sale = self._sale_of(order).with_user(self.shipper).with_company(self.wholesale)
        sale.action_confirm()
        order.invalidate_recordset()
        self.assertEqual(order.omni_ic_sale_state, "sale")
        # read by the buyer, who cannot read the sale order itself
        self.assertEqual(order.with_user(self.buyer).read(["omni_ic_sale_state"])[0]["omni_ic_sale_state"], "sale")
        # wholesale ships one of the two products: partly shipped, then the rest: shipped
        delivery = sale.picking_ids.with_user(self.shipper).with_company(self.wholesale)
        first = delivery.move_ids.filtered(lambda m: m.product_id == self.products[0])
        first.quantity = first.product_uom_qty
        first.picked = True
        self._validate(delivery, self.shipper, self.wholesale)
        order.invalidate_recordset()
        self.assertEqual(order.omni_ic_sale_state, "partial")
        self._deliver_all(order)
        order.invalidate_recordset()
        self.assertEqual(order.omni_ic_sale_state, "shipped")
        other = self.env["purchase.order"].create(
            {"partner_id": self.env["res.partner"].create({"name": "IC other vendor"}).id}
        )
        self.assertFalse(other.omni_ic_sale_state)

    def test_the_rule_opens_its_goods_requests(self):
        order = self._request(self.products[:1])
        order.button_confirm()
        other = self.env["purchase.order"].create(
            {"partner_id": self.env["res.partner"].create({"name": "IC other vendor"}).id}
        )
        action = self.env.ref("omni_intercompany.omni_intercompany_rule_purchase_action")
        domain = safe_eval(action.domain, {"active_id": self.rule.id})
        found = self.env["purchase.order"].with_user(self.buyer).search(domain)
        self.assertEqual(found, order)
        self.assertNotIn(other, found)
