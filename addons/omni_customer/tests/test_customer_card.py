# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, TransactionCase, tagged

from ..hooks import post_init_hook
from .common import OmniCustomerTestMixin


@tagged("post_install", "-at_install")
class TestCustomerCard(OmniCustomerTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_customer()

    def test_phone_order_goes_through_the_pipeline_for_the_customer(self):
        order = self._phone_order(self.wang, user=self.agent)
        self.assertEqual(order.channel_id, self.cc_channel)
        self.assertEqual(order.unit_code, "CC01")
        self.assertTrue(order.platform_order_no.startswith("CC"))
        self.assertEqual((order.receiver_name, order.city, order.address), ("王芳", "南京市", "中山路88号"))
        self.assertEqual(order.phone, "138 0013 8000")
        self.assertEqual(order.state, "confirmed", order.exception_reasons)
        self.assertEqual(order.sale_order_id.partner_id, self.wang, "the chosen customer, not a new one")
        self.assertEqual(order.sale_order_id.omni_channel_id, self.cc_channel)
        self.assertEqual(self.wang.omni_open_order_count, 1)

    def test_card_figures_refreshed_when_the_order_ships(self):
        order = self._phone_order(self.wang, quantity=3, price=30.0)
        self.assertEqual(self.wang.omni_total_spend, 0.0)
        self._ship(order)
        self.assertEqual(order.state, "shipped")
        self.assertEqual(self.wang.omni_order_count, 1)
        self.assertEqual(self.wang.omni_open_order_count, 0)
        self.assertAlmostEqual(self.wang.omni_total_spend, order.sale_order_id.amount_total, places=2)
        self.assertEqual(self.wang.omni_last_products, self.honey.display_name)
        self.assertTrue(self.wang.omni_card_refreshed_at)
        card = self.env["res.partner"].omni_lookup_caller("13800138000")["customers"][0]
        self.assertEqual(card["order_count"], 1)
        self.assertEqual(card["last_products"], self.honey.display_name)

    def test_last_products_are_goods_not_shipping_or_services(self):
        order = self._phone_order(self.wang, quantity=1, price=30.0, shipping_fee=8.0)
        self.assertIn(self.cc_channel.shipping_product_id, order.sale_order_id.order_line.product_id)
        self._ship(order)
        self.assertEqual(self.wang.omni_last_products, self.honey.display_name)
        card = self.env["res.partner"].omni_lookup_caller("13800138000")["customers"][0]
        self.assertEqual(card["last_products"], self.honey.display_name)

    def test_imported_address_keeps_the_province(self):
        jiangsu = self.env.ref("base.state_cn_JS")
        [result] = self.env["omni.order"].import_orders("TMALL01", [self._order("P-PROV-1", province="江苏")])
        buyer = self.env["omni.order"].browse(result["order_id"]).sale_order_id.partner_id
        self.assertEqual(
            (buyer.state_id, buyer.city, buyer.street2, buyer.street), (jiangsu, "南京市", "鼓楼区", "建国路685号")
        )
        # no province given: the one the address starts with
        Partner = self.env["res.partner"]
        self.assertEqual(
            Partner._omni_split_province("", "", "上海市浦东新区张杨路500号"),
            (self.env.ref("base.state_cn_SH"), "", "浦东新区张杨路500号"),
        )
        # a province that is no state of China stays where it was
        self.assertEqual(
            Partner._omni_split_province("Bavaria", "Mitte", "Hauptstr. 1")[0], self.env["res.country.state"]
        )
        # a customer imported before (province in 详细地址): the phone order pre-fills the province
        self.wang.write({"state_id": False, "street2": "江苏省 鼓楼区"})
        Wizard = self.env["omni.phone.order.wizard"].with_context(default_partner_id=self.wang.id)
        values = Wizard.default_get(["partner_id", "province", "district", "address"])
        self.assertEqual(
            (values["province"], values["district"], values["address"]), ("江苏省", "鼓楼区", "中山路88号")
        )

    def test_platform_order_numbers_and_nicknames_reach_the_customer(self):
        [result] = self.env["omni.order"].import_orders("TMALL01", [self._order("P-NICK-1")])
        order = self.env["omni.order"].browse(result["order_id"])
        self.assertEqual(order.state, "confirmed", order.exception_reasons)
        buyer = order.sale_order_id.partner_id
        found = self.env["res.partner"].omni_lookup_caller("+86 190-3887-9107")
        self.assertEqual([c["id"] for c in found["customers"]], [buyer.id])
        self.assertIn("nick:tmall:buyer_p-nick-1", buyer.omni_number_ids.mapped("key"))
        # the same order confirmed again adds nothing (no duplicate row)
        before = len(buyer.omni_number_ids)
        self.env["res.partner"]._omni_add_lookup_for_orders(order)
        self.assertEqual(len(buyer.omni_number_ids), before)

    def test_search_screen(self):
        order = self._phone_order(self.wang)
        picking = order.sale_order_id.picking_ids
        picking.carrier_tracking_ref = "SF1234567890"
        Search = self.env["omni.caller.search"].with_user(self.agent)
        for query in ("138-0013-8000", "王芳", order.platform_order_no, "SF1234567890"):
            search = Search.create({"query": query})
            search.action_search()
            self.assertEqual(search.partner_ids, self.wang, query)
        unknown = Search.create({"query": "13912345678"})
        unknown.action_search()
        self.assertFalse(unknown.partner_ids)
        self.assertTrue(unknown.can_create, "an unknown number offers to create the customer")
        action = unknown.action_create_customer()
        created = self.env["res.partner"].browse(action["res_id"])
        self.assertEqual(self.env["res.partner"].omni_lookup_caller("13912345678")["customers"][0]["id"], created.id)

    def test_search_screen_searches_on_enter_on_one_screen(self):
        """Enter commits the query, which searches (an onchange: no click, no
        save); the Search button reloads the same screen, so the breadcrumb
        does not grow, and its title is the screen's, not the record's id."""
        with Form(self.env["omni.caller.search"].with_user(self.agent)) as search:
            search.query = "王芳"
            self.assertEqual(search.partner_ids[:], self.wang)
            search.query = "13912345678"
            self.assertFalse(search.partner_ids[:])
            self.assertTrue(search.can_create)
        record = search.record
        self.assertFalse(isinstance(record.action_search(), dict), "no new action, hence no new breadcrumb")
        self.assertEqual(record.display_name, "Find a Customer")
        fresh = self.env["omni.caller.search"].onchange({}, [], {"query": {}, "display_name": {}})
        self.assertEqual(fresh["value"]["display_name"], "Find a Customer", "not 'New' before the first search")

    def test_each_company_has_a_call_centre_channel(self):
        company = self.env["res.company"].create({"name": "Fresh Co"})
        channel = self.env["omni.channel"].search([("company_id", "=", company.id)])
        self.assertEqual((channel.platform, channel.code, channel.active), ("call_center", "CALL01", True))
        post_init_hook(self.env)  # installing again makes no second one
        self.assertEqual(self.env["omni.channel"].search([("company_id", "=", company.id)]), channel)
        # a manager archived it: the agent is told who must do what
        channel.active = False
        post_init_hook(self.env)
        self.assertFalse(self.env["omni.channel"].search([("company_id", "=", company.id)]))
        partner = self.env["res.partner"].create({"name": "Caller", "company_id": company.id})
        with self.assertRaisesRegex(UserError, "Fresh Co has no active call-centre channel: a Channel Manager"):
            partner.with_company(company).action_omni_phone_order()

    def test_phone_order_needs_products_and_a_call_centre_channel(self):
        wizard = (
            self.env["omni.phone.order.wizard"]
            .with_context(default_partner_id=self.wang.id)
            .create({"channel_id": self.cc_channel.id, "province": "江苏省"})
        )
        with self.assertRaisesRegex(UserError, "Add the products"):
            wizard.action_confirm()

    def test_phone_order_time_is_the_instant_it_was_entered(self):
        """Deadlines follow the real instant: 07:59 UTC is 15:59 in Shanghai
        (ships today), 08:01 UTC is 16:01 (after the cut-off: tomorrow)."""
        for instant, target in (
            (datetime(2026, 12, 7, 7, 59), date(2026, 12, 7)),
            (datetime(2026, 12, 7, 8, 1), date(2026, 12, 8)),
        ):
            with freeze_time(instant):
                order = self._phone_order(self.wang)
            self.assertEqual(order.order_time, instant)
            self.assertEqual(order.ship_deadline, instant + timedelta(hours=48))
            self.assertEqual(order.ship_target_date, target, instant)
