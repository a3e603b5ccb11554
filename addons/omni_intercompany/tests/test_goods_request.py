# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged
from odoo.tools import float_compare, mute_logger

from odoo.addons.omni_base.tools import guard

from .common import IntercompanyMixin

LINES = 200


@tagged("post_install", "-at_install")
class TestGoodsRequest(IntercompanyMixin, TransactionCase):
    """The goods request (请货) and its delivery between the two companies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_intercompany(LINES)

    def test_round_trip_of_200_lines_with_partial_delivery_and_lot(self):
        order = self._request(self.all_products)
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        sale = self._sale_of(order)
        self.assertEqual(len(sale), 1)
        self.assertEqual(order.omni_ic_sale_order_ref, sale.name)
        self.assertEqual(
            (sale.company_id, sale.partner_id, sale.state), (self.wholesale, self.retail.partner_id, "sale")
        )
        self.assertEqual(sale.warehouse_id, self.wh_wholesale)
        self.assertEqual(len(sale.order_line), LINES)
        by_product = {line.product_id: line for line in sale.order_line}
        for i, product in enumerate(self.all_products):
            line = by_product[product]
            self.assertEqual(line.product_uom_qty, 10)
            self.assertFalse(float_compare(line.price_unit, 10 + i * 0.37, precision_digits=2), product.name)
            self.assertEqual(line.tax_id, self.tax_wholesale, "the wholesale company's own tax")
        # both sides agree to the cent on the goods' value
        self.assertEqual(round(sum(order.order_line.mapped("price_subtotal")) * 100), round(sale.amount_untaxed * 100))
        # confirming again makes nothing more
        order.button_confirm()
        order._omni_ic_create_sale_order(self.rule)
        self.assertEqual(len(self._sale_of(order)), 1)

        # wholesale ships everything but 4 of the first 50 products (partial), the lot included
        delivery = sale.picking_ids
        self.assertEqual(len(delivery), 1)
        delivery = delivery.with_user(self.shipper).with_company(self.wholesale)
        short = self.products[:50]
        for move in delivery.move_ids:
            move.quantity = 6 if move.product_id in short else 10
        delivery.move_ids.picked = True
        self._validate(delivery, self.shipper, self.wholesale)
        self.assertEqual(delivery.state, "done")

        receipt = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        self.assertEqual(len(receipt), 1)
        receipt = receipt.with_user(self.buyer).with_company(self.retail)
        for move in receipt.move_ids:
            self.assertTrue(move.picked)
            self.assertEqual(move.quantity, 6 if move.product_id in short else 10, move.product_id.name)
        honey_line = receipt.move_line_ids.filtered(lambda ml: ml.product_id == self.tracked)
        self.assertEqual(honey_line.lot_id, self.lot)
        self._validate(receipt, self.buyer, self.retail)
        self.assertEqual(receipt.state, "done")
        Quant = self.env["stock.quant"]
        for warehouse, qty in ((self.wh_retail, 10), (self.wh_wholesale, 90)):
            self.assertEqual(
                Quant._get_available_quantity(self.tracked, warehouse.lot_stock_id, lot_id=self.lot, strict=True),
                qty,
                f"lot {self.lot.name} in {warehouse.name}",
            )
        for line in order.order_line:
            self.assertEqual(line.qty_received, 6 if line.product_id in short else 10)

        # wholesale's backorder ships the rest: retail's backorder gets it
        back_delivery = sale.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        back_receipt = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        self.assertEqual(back_delivery.move_ids.product_id, short)
        self.assertEqual(back_receipt.move_ids.product_id, short)
        back_delivery = back_delivery.with_user(self.shipper).with_company(self.wholesale)
        for move in back_delivery.move_ids:
            move.quantity = 4
        back_delivery.move_ids.picked = True
        self._validate(back_delivery, self.shipper, self.wholesale)
        self.assertTrue(all(m.quantity == 4 and m.picked for m in back_receipt.move_ids))
        self._validate(back_receipt, self.buyer, self.retail)
        self.assertEqual(order.order_line.mapped("qty_received"), [10.0] * LINES)
        self.assertEqual(sale.order_line.mapped("qty_delivered"), [10.0] * LINES)

        # wholesale invoices the 200 lines, retail's bill follows: both books agree to the cent
        invoice = self._invoice(sale)
        bill = self._bill_of(invoice)
        self.assertEqual((len(bill.invoice_line_ids), bill.state), (LINES, "posted"))
        for field in ("amount_untaxed", "amount_tax", "amount_total"):
            self.assertEqual(round(bill[field] * 100), round(invoice[field] * 100), field)
        self.assertEqual(order.order_line.mapped("qty_invoiced"), [10.0] * LINES)
        result = self.rule.with_user(self.auditor).action_check(date="2026-11-30")
        self.assertTrue(result["agree"], result["mismatches"])
        self.assertEqual((result["transit"], result["balances"][0]["receivable"]), ([], invoice.amount_total))

    def test_a_product_wholesale_does_not_sell_is_refused(self):
        self.products[3].sale_ok = False
        order = self._request(self.products[:5])
        with self.assertRaisesRegex(UserError, f"{order.name}.*IC Wholesale Co does not sell.*IC003"):
            order.button_confirm()
        self.assertEqual(order.state, "draft")
        self.assertFalse(self._sale_of(order))

    def test_a_product_without_transfer_price_is_refused(self):
        no_price = self.env["product.product"].create({"name": "IC no price", "is_storable": True})
        order = self._request(self.products[:3] | no_price)
        with self.assertRaisesRegex(UserError, f"{order.name}.*IC no price has no transfer price"):
            order.button_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.order_line.mapped("price_unit"), [1.0] * 4, "nothing half-applied")
        self.assertFalse(self._sale_of(order))

    def test_one_sale_order_per_request_even_written_twice(self):
        order = self._request(self.products[:2])
        order.button_confirm()
        sale = self._sale_of(order)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            guard.internal(self.env["sale.order"]).create(
                {
                    "company_id": self.wholesale.id,
                    "partner_id": sale.partner_id.id,
                    "omni_ic_purchase_order_id": order.id,
                }
            )
        self.assertEqual(len(self._sale_of(order)), 1)

    def test_manual_confirmation_leaves_a_quotation(self):
        self.rule.auto_confirm = False
        order = self._request(self.products[:2])
        order.button_confirm()
        self.assertEqual(self._sale_of(order).state, "draft")

    def test_a_user_of_one_company_never_reads_the_other_companys_documents(self):
        order = self._request(self.products[:2])
        order.button_confirm()
        sale = self._sale_of(order)
        self.assertFalse(self.env["sale.order"].with_user(self.buyer).search([("id", "=", sale.id)]))
        with self.assertRaises(AccessError):
            sale.with_user(self.buyer).read(["name"])
        self.assertFalse(self.env["purchase.order"].with_user(self.shipper).search([("id", "=", order.id)]))
        with self.assertRaises(AccessError):
            order.with_user(self.shipper).read(["name"])
        # the rule: seen by its two companies' users, nobody else's
        outsider_company = self.env["res.company"].create({"name": "IC Outsider"})
        outsider = self.env["res.users"].create(
            {"name": "Outsider", "login": "ic_outsider", "company_id": outsider_company.id,
             "company_ids": [Command.set(outsider_company.ids)]}
        )  # fmt: skip
        Rule = self.env["omni.intercompany.rule"]
        self.assertEqual(Rule.with_user(self.buyer).search([]), self.rule)
        self.assertFalse(Rule.with_user(outsider).search([]))

    def test_the_links_between_the_two_sides_are_read_only_for_every_user(self):
        """The mirrored documents' links (request <-> sale order, rule, lines)
        are written by the automation only: neither side's users write them,
        whatever client they use."""
        order = self._request(self.products[:2])
        order.button_confirm()
        sale = self._sale_of(order)
        other = self._request(self.products[2:3])
        for records, values in (
            (order.with_user(self.buyer), {"omni_ic_sale_order_ref": "S99999"}),
            (order.with_user(self.buyer), {"omni_ic_rule_id": False}),
            (other.with_user(self.buyer), {"omni_ic_rule_id": self.rule.id}),
            (sale.with_user(self.shipper), {"omni_ic_purchase_order_id": other.id}),
            (sale.order_line[:1].with_user(self.shipper), {"omni_ic_purchase_line_id": False}),
        ):
            with self.subTest(model=records._name, values=values), self.assertRaises(UserError):
                records.write(values)
        self.assertEqual(sale.omni_ic_purchase_order_id, order)
        self.assertEqual(order.omni_ic_sale_order_ref, sale.name)
        self.assertEqual(order.omni_ic_rule_id, self.rule)

    def test_a_sent_request_changes_on_neither_side_alone(self):
        order = self._request(self.products[:2])
        order.button_confirm()
        sale = self._sale_of(order)
        line = order.order_line[0].with_user(self.buyer)
        with self.assertRaisesRegex(UserError, f"{order.name} was sent to IC Wholesale Co as sale order {sale.name}"):
            line.product_qty = 20
        with self.assertRaisesRegex(UserError, f"{order.name} was sent"):
            line.price_unit = 1.0
        with self.assertRaisesRegex(UserError, f"{order.name} was sent"):
            order.with_user(self.buyer).order_line = [
                Command.create({"product_id": self.products[5].id, "product_qty": 1})
            ]
        with self.assertRaisesRegex(UserError, f"{order.name} was sent"):
            line.discount = 10
        with self.assertRaisesRegex(UserError, f"{order.name} was sent"):
            order.with_user(self.buyer).partner_id = self.buyer.partner_id
        with self.assertRaisesRegex(UserError, f"{order.name} was sent"):
            order.with_user(self.buyer).currency_id = self.env.ref("base.USD")
        line.name = "a note is fine"
        order.with_user(self.buyer).partner_ref = "a reference is fine"
        self.assertEqual(
            (line.product_qty, line.discount, sale.order_line[:1].product_uom_qty, order.partner_id),
            (10, 0, 10, self.wholesale.partner_id),
        )
        # confirmed by wholesale: the request is not cancelled behind its back
        with self.assertRaisesRegex(UserError, f"{order.name}: IC Wholesale Co already confirmed .*{sale.name}"):
            order.with_user(self.buyer).button_cancel()
        self.assertEqual((order.state, sale.state), ("purchase", "sale"))

    def test_a_discount_on_the_request_gives_way_to_the_transfer_price(self):
        order = self._request(self.products[:2])
        order.order_line[0].discount = 15
        order.button_confirm()
        sale = self._sale_of(order)
        self.assertEqual(order.order_line.mapped("discount"), [0.0, 0.0])
        self.assertEqual(sale.order_line.mapped("discount"), [0.0, 0.0])
        self.assertEqual(round(order.amount_untaxed * 100), round(sale.amount_untaxed * 100))

    def test_wholesale_changes_its_quotation_alone_never(self):
        """Before wholesale confirms, its quotation is the request's mirror too:
        no line deleted, no discount, no other customer."""
        self.rule.auto_confirm = False
        order = self._request(self.products[:2])
        order.button_confirm()
        sale = self._sale_of(order).with_user(self.shipper).with_company(self.wholesale)
        self.assertEqual(sale.state, "draft")
        msg = f"{sale.name} was made from the goods request {order.name} of IC Retail Co"
        with self.assertRaisesRegex(UserError, msg):
            sale.order_line[0].unlink()
        with self.assertRaisesRegex(UserError, msg):
            sale.order_line[0].discount = 5
        other_customer = self.env["res.partner"].create({"name": "IC someone else", "company_id": self.wholesale.id})
        with self.assertRaisesRegex(UserError, msg):
            sale.partner_id = other_customer
        sale.note = "a note is fine"
        sale.action_confirm()
        self.assertEqual((len(sale.order_line), sale.state), (2, "sale"))
        # the request, confirmed by wholesale now, no longer changes either
        with self.assertRaisesRegex(UserError, f"{order.name} was sent"):
            order.order_line[0].with_user(self.buyer).product_qty = 3

    def test_the_request_is_received_in_the_rules_warehouse(self):
        other_wh = self.env["stock.warehouse"].create(
            {"name": "IC Retail Annex", "code": "ICRA", "company_id": self.retail.id}
        )
        # made by hand, by RPC or in the form: the rule's receiving warehouse
        order = self._request(self.products[:1])
        self.assertEqual(order.picking_type_id, self.wh_retail.in_type_id)
        with Form(self.env["purchase.order"].with_user(self.buyer).with_company(self.retail)) as form:
            form.picking_type_id = other_wh.in_type_id
            form.partner_id = self.wholesale.partner_id
            self.assertEqual(form.picking_type_id, self.wh_retail.in_type_id)
            with form.order_line.new() as line:
                line.product_id = self.products[0]
        # another warehouse's operation type is refused, named
        msg = f"operation type {other_wh.in_type_id.display_name} is not a receipt of {self.wh_retail.name}"
        Order = self.env["purchase.order"].with_user(self.buyer).with_company(self.retail)
        with self.assertRaisesRegex(ValidationError, msg):
            Order.create({"partner_id": self.wholesale.partner_id.id, "picking_type_id": other_wh.in_type_id.id})
        with self.assertRaisesRegex(ValidationError, msg), self.cr.savepoint():
            order.with_user(self.buyer).picking_type_id = other_wh.in_type_id
        order.invalidate_recordset()
        self.assertEqual(order.picking_type_id, self.wh_retail.in_type_id)
        # other vendors are received anywhere
        vendor = self.env["res.partner"].create({"name": "IC other vendor"})
        Order.create({"partner_id": vendor.id, "picking_type_id": other_wh.in_type_id.id})
        # the rule moved to the annex after the request was drafted: approving it is refused
        self.rule.customer_warehouse_id = other_wh
        msg = f"{order.name} to IC Wholesale Co: its operation type {self.wh_retail.in_type_id.display_name}"
        with self.assertRaisesRegex(ValidationError, msg):
            order.with_user(self.buyer).button_confirm()
        self.assertEqual((order.state, self._sale_of(order)), ("draft", self.env["sale.order"]))
        order.with_user(self.buyer).picking_type_id = other_wh.in_type_id
        order.with_user(self.buyer).button_confirm()
        self.assertEqual(order.picking_ids.location_dest_id, other_wh.lot_stock_id)

    def test_cancelling_a_request_cancels_its_quotation(self):
        self.rule.auto_confirm = False
        order = self._request(self.products[:2])
        order.button_confirm()
        sale = self._sale_of(order)
        order.with_user(self.buyer).button_cancel()
        self.assertEqual((order.state, sale.state), ("cancel", "cancel"))

    def test_wholesale_changes_its_sale_order_alone_never(self):
        order = self._request(self.products[:2])
        order.button_confirm()
        sale = self._sale_of(order).with_user(self.shipper).with_company(self.wholesale)
        msg = f"{sale.name} was made from the goods request {order.name} of IC Retail Co"
        with self.assertRaisesRegex(UserError, msg):
            sale.order_line[0].product_uom_qty = 3
        with self.assertRaisesRegex(UserError, msg):
            sale.order_line = [Command.create({"product_id": self.products[7].id, "product_uom_qty": 1})]
        # cancelled by wholesale before anything arrived: the request is cancelled too
        sale.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual((sale.state, order.state), ("cancel", "cancel"))
        self.assertIn(f"IC Wholesale Co cancelled its sale order {sale.name}", order.message_ids[:1].body)

    def test_wholesale_cannot_cancel_what_retail_received(self):
        order = self._request(self.products[:1])
        order.button_confirm()
        sale = self._sale_of(order)
        delivery = sale.picking_ids.with_user(self.shipper).with_company(self.wholesale)
        delivery.move_ids.quantity = 10
        delivery.move_ids.picked = True
        self._validate(delivery, self.shipper, self.wholesale)
        self._validate(order.picking_ids, self.buyer, self.retail)
        with self.assertRaisesRegex(UserError, f"{sale.name}: IC Retail Co already received goods of .*{order.name}"):
            sale.with_user(self.shipper).with_company(self.wholesale)._action_cancel()
