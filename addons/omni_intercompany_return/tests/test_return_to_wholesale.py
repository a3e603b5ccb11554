# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged

from odoo.addons.omni_intercompany.tests.common import IntercompanyMixin


@tagged("post_install", "-at_install")
class TestReturnToWholesale(IntercompanyMixin, TransactionCase):
    """Retail's customer returns go back to wholesale (申请退货): locked
    until wholesale decides, then returned with credit notes or unlocked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_intercompany(3)
        env = cls.env
        cls.jam, cls.tea = cls.products[0], cls.products[1]
        cls.stock = cls.wh_retail.lot_stock_id
        cls.defective = cls.wh_retail._omni_get_defective_location()
        Quant = env["stock.quant"].with_company(cls.retail)
        for product in cls.jam | cls.tea:
            Quant._update_available_quantity(product, cls.stock, 50)
        cls.channel = env["omni.channel"].create(
            {"name": "Retail Tmall", "code": "ICRTM01", "platform": "tmall", "company_id": cls.retail.id,
             "warehouse_id": cls.wh_retail.id}
        )  # fmt: skip
        if "ships_without_courier" in cls.channel._fields:
            cls.channel.ships_without_courier = True
        env["omni.product.mapping"].create(
            [
                {"channel_id": cls.channel.id, "platform_sku": "ICR-JAM", "product_id": cls.jam.id, "quantity": 1},
                {"channel_id": cls.channel.id, "platform_sku": "ICR-TEA", "product_id": cls.tea.id, "quantity": 1},
            ]
        )
        # customers sent back 4 jars of jam (3 sellable, 1 defective) and 2 boxes of tea
        cls._customer_return("ICR1", "ICR-JAM", cls.jam, [(3, "sellable"), (1, "defective")])
        cls._customer_return("ICR2", "ICR-TEA", cls.tea, [(2, "sellable")])
        # wholesale's salesperson decides; accepting makes a receipt and a credit note (stock and billing rights)
        cls.shipper.groups_id = [Command.link(env.ref("account.group_account_invoice").id)]
        cls.Request = env["omni.intercompany.return"]

    @classmethod
    def _customer_return(cls, number, sku, product, lines):
        """A platform order of 5 ``product`` shipped from retail's warehouse,
        then an after-sales order received back with ``lines``."""
        env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.retail.id]))
        [result] = env["omni.order"].import_orders(
            cls.channel.code,
            [{"platform_order_no": number, "order_time": "2026-11-11 10:30:00", "buyer_nick": "b" + number,
              "receiver_name": "刘洋", "phone": "19038879107", "province": "江苏省", "city": "南京市",
              "district": "鼓楼区", "address": "建国路685号", "payment_method": "prepaid", "paid_amount": "150.00",
              "shipping_fee": "0", "buyer_note": "",
              "lines": [{"platform_sku": sku, "quantity": "5", "unit_price": "30"}]}],
        )  # fmt: skip
        order = env["omni.order"].browse(result["order_id"])
        picking = order.sale_order_id.picking_ids
        picking.move_ids.picked = True
        picking.button_validate()
        aftersale = env["omni.aftersale"].create(
            {
                "omni_order_id": order.id,
                "refund_amount": 0.0,
                "line_ids": [
                    Command.create({"product_id": product.id, "quantity": qty, "destination": destination})
                    for qty, destination in lines
                ],
            }
        )
        aftersale.action_submit()
        aftersale.action_approve()
        aftersale.action_receive()
        assert aftersale.state == "received"
        return aftersale

    def _retail(self):
        return self.Request.with_user(self.buyer).with_company(self.retail)

    def _wholesale(self):
        return self.Request.with_user(self.shipper).with_company(self.wholesale)

    def _new_request(self, lines=None):
        Request = self._retail()
        if lines is None:
            request = Request.create({"rule_id": self.rule.id, "reason": "customer returns of November"})
            request.action_fill_from_returns()
            return request
        return Request.create(
            {
                "rule_id": self.rule.id,
                "line_ids": [
                    Command.create({"product_id": p.id, "quantity": qty, "condition": condition})
                    for p, qty, condition in lines
                ],
            }
        )

    def _copy_of(self, request):
        return self._wholesale().search([("name", "=", request.name), ("side", "=", "supplier")])

    def _qty(self, product, location):
        return self.env["stock.quant"]._get_available_quantity(product, location)

    def _sellable(self):
        return (
            self.env["omni.channel"]
            .with_company(self.retail)
            .get_sellable_stock(self.channel.code, ["ICR-JAM", "ICR-TEA"])
        )

    def test_return_round_trip_locks_then_credits_both_sides(self):
        locked_location = self.wh_retail._omni_get_return_locked_location()
        self.assertTrue(locked_location.omni_ic_return_locked)
        self.assertFalse(locked_location._child_of(self.stock), "a stock state beside the stock, never inside it")
        sellable_before = self._sellable()
        request = self._new_request()
        self.assertEqual(
            sorted((line.product_id, line.quantity, line.condition) for line in request.line_ids),
            sorted([(self.jam, 3.0, "sellable"), (self.jam, 1.0, "defective"), (self.tea, 2.0, "sellable")]),
        )
        request.action_submit()
        self.assertEqual(request.state, "submitted")
        self.assertEqual(request.lock_picking_id.state, "done")
        self.assertEqual(request.locked_qty, 6)
        self.assertEqual(self._qty(self.jam, locked_location), 4)
        self.assertEqual(self._qty(self.jam, self.defective), 0, "the defective jar is locked too")
        # no channel sells the locked goods: the sellable jam drops by the 3 sellable jars
        sellable_after = self._sellable()
        self.assertEqual(sellable_after["ICR-JAM"], sellable_before["ICR-JAM"] - 3)
        self.assertEqual(sellable_after["ICR-TEA"], sellable_before["ICR-TEA"] - 2)
        report = self.env["omni.stock.state.report"].search(
            [("product_id", "=", self.jam.id), ("company_id", "=", self.retail.id)]
        )
        self.assertEqual(report.locked_for_wholesale, 4, "shown as a stock state")

        # wholesale sees its copy and accepts it
        copy = self._copy_of(request)
        self.assertEqual(copy.state, "submitted")
        self.assertEqual(copy.company_id, self.wholesale)
        copy.action_accept()
        self.assertEqual((copy.state, request.state), ("accepted", "accepted"))
        receipt = copy.return_picking_id
        self.assertEqual(receipt.company_id, self.wholesale)
        self.assertEqual(receipt.picking_type_code, "incoming")
        credit_note = copy.credit_note_id
        self.assertEqual((credit_note.move_type, credit_note.state), ("out_refund", "draft"))
        self.assertEqual(credit_note.partner_id, self.retail.partner_id)
        # transfer prices: jam 10.00, tea 10.37
        self.assertEqual(credit_note.currency_id.compare_amounts(credit_note.amount_untaxed, 60.74), 0)
        delivery = request.return_picking_id
        self.assertEqual((delivery.company_id, delivery.picking_type_code), (self.retail, "outgoing"))
        self.assertEqual(delivery.location_id, locked_location)
        self.assertEqual(request.locked_qty, 6, "locked until the goods leave")

        # retail ships them back: wholesale's receipt is ready with the same quantities
        delivery = delivery.with_user(self.buyer).with_company(self.retail)
        for move in delivery.move_ids:
            move.quantity = move.product_uom_qty
        delivery.move_ids.picked = True
        self._validate(delivery, self.buyer, self.retail)
        self.assertEqual(delivery.state, "done")
        self.assertEqual(request.state, "done")
        self.assertEqual(request.locked_qty, 0, "released")
        self.assertEqual(self._qty(self.jam, locked_location), 0)
        self.assertEqual(
            sorted((ml.product_id.id, ml.quantity) for ml in receipt.move_line_ids),
            sorted((ml.product_id.id, ml.quantity) for ml in delivery.move_line_ids),
        )
        wholesale_before = self._qty(self.jam, self.wh_wholesale.lot_stock_id)
        wholesale_defective = self.wh_wholesale._omni_get_defective_location()
        self._validate(receipt, self.shipper, self.wholesale)
        self.assertEqual(receipt.state, "done")
        self.assertEqual(copy.state, "done")
        self.assertEqual(
            self._qty(self.jam, self.wh_wholesale.lot_stock_id) - wholesale_before, 3, "the sellable jars are sellable"
        )
        self.assertEqual(self._qty(self.jam, wholesale_defective), 1, "the defective jar is defective at wholesale")

        # wholesale's accountant posts the credit note: retail's vendor credit note follows
        credit_note = credit_note.with_user(self.seller_accountant).with_company(self.wholesale)
        credit_note.invoice_date = "2026-11-25"
        credit_note.action_post()
        vendor_credit_note = request.credit_note_id
        self.assertEqual(vendor_credit_note.move_type, "in_refund")
        self.assertEqual(vendor_credit_note.company_id, self.retail)
        self.assertEqual(vendor_credit_note.state, "posted")
        self.assertEqual(vendor_credit_note.partner_id, self.wholesale.partner_id)
        self.assertEqual(vendor_credit_note.omni_ic_invoice_id, credit_note)
        self.assertEqual(vendor_credit_note.currency_id.compare_amounts(vendor_credit_note.amount_total,
                                                                        credit_note.amount_total), 0)  # fmt: skip
        # both books agree: wholesale's receivable from retail = retail's payable to wholesale
        self.rule.with_user(self.auditor).action_check(date="2026-11-30")
        balances = self.env["omni.intercompany.check.line"].search(
            [("rule_id", "=", self.rule.id), ("kind", "=", "balance")]
        )
        self.assertTrue(balances)
        self.assertFalse(balances.filtered("problem"), "the credit notes agree to the cent")
        self.assertEqual(balances.currency_id.compare_amounts(balances.supplier_amount, -credit_note.amount_total), 0)
        # posting again (reset by nobody, posted twice at once) makes no second one
        credit_note._omni_ic_return_mirror_credit_notes()
        self.assertEqual(self.env["account.move"].search_count([("omni_ic_invoice_id", "=", credit_note.id)]), 1)

    def test_request_larger_than_received_back_is_refused(self):
        with self.assertRaises(ValidationError) as err:
            self._new_request([(self.jam, 5, "sellable")])
        message = str(err.exception)
        self.assertIn(self.jam.display_name, message)
        self.assertIn("only 4.0 came back", message)
        first = self._new_request([(self.jam, 3, "sellable")])
        first.action_submit()
        with self.assertRaises(ValidationError) as err:
            self._new_request([(self.jam, 2, "defective")])
        self.assertIn("only 1.0 came back", str(err.exception))
        self.assertIn("3.0 in earlier returns", str(err.exception))
        # a product nobody sent back
        with self.assertRaises(ValidationError):
            self._new_request([(self.tracked, 1, "sellable")])
        # drafts over the quantity are refused when submitted
        second = self._new_request([(self.jam, 1, "sellable")])
        third = self._new_request([(self.jam, 1, "defective")])
        second.action_submit()
        with self.assertRaises(ValidationError):
            third.action_submit()
        self.assertEqual(third.state, "draft")

    def test_refusal_unlocks_the_goods_where_they_came_from(self):
        request = self._new_request()
        stock_before = self._qty(self.jam, self.stock)
        request.action_submit()
        self.assertEqual(self._qty(self.jam, self.stock), stock_before - 3)
        copy = self._copy_of(request)
        with self.assertRaises(UserError):
            copy.action_refuse()
        copy.refusal_reason = "Jam past its date: not ours to take back"
        copy.action_refuse()
        self.assertEqual((copy.state, request.state), ("refused", "refused"))
        self.assertEqual(request.refusal_reason, "Jam past its date: not ours to take back")
        self.assertEqual(request.unlock_picking_id.state, "done")
        self.assertEqual(request.locked_qty, 0)
        self.assertEqual(self._qty(self.jam, self.stock), stock_before)
        self.assertEqual(self._qty(self.jam, self.defective), 1, "the defective jar is defective again")
        self.assertFalse(copy.return_picking_id or copy.credit_note_id)
        # refused quantities can be applied for again
        again = self._new_request([(self.jam, 4, "sellable")])
        self.assertEqual(again.quantity, 4)

    def test_decided_once(self):
        request = self._new_request([(self.tea, 2, "sellable")])
        request.action_submit()
        copy = self._copy_of(request)
        copy.action_accept()
        with self.assertRaises(UserError):
            copy.action_accept()
        with self.assertRaises(UserError):
            copy.action_refuse(reason="too late")
        self.assertEqual(
            self.env["stock.picking"].search_count(
                [("omni_ic_return_id", "in", (request | copy).ids), ("picking_type_code", "!=", "internal")]
            ),
            2,
            "one return delivery and one return receipt",
        )
        with self.assertRaises(UserError):
            request.action_cancel()

    def test_cancel_before_the_decision_unlocks(self):
        request = self._new_request([(self.tea, 2, "sellable")])
        request.action_submit()
        request.action_cancel()
        self.assertEqual(request.state, "cancelled")
        self.assertEqual(request.locked_qty, 0)
        copy = self._copy_of(request)
        self.assertEqual(copy.state, "cancelled")
        with self.assertRaises(UserError):
            copy.action_accept()

    def test_each_company_sees_its_own_side_only(self):
        request = self._new_request([(self.tea, 1, "sellable")])
        request.action_submit()
        copy = self._copy_of(request)
        self.assertTrue(copy)
        self.assertFalse(self._retail().search([("side", "=", "supplier")]), "retail never reads wholesale's copy")
        self.assertFalse(self._wholesale().search([("side", "=", "customer")]), "nor wholesale retail's request")
        with self.assertRaises(AccessError):
            self._retail().browse(copy.id).read(["name"])
        # retail cannot decide for wholesale, nor write the state
        with self.assertRaises(UserError):
            request.action_accept()
        with self.assertRaises(UserError):
            request.write({"state": "accepted"})
        with self.assertRaises(UserError):
            request.line_ids.quantity = 0.5
        with self.assertRaises(UserError):
            request.refusal_reason = "we refuse ourselves"
        # a wholesale user without sales or stock rights does not decide, a salesperson
        # without billing rights does not accept (a credit note), both told so
        with self.assertRaises(UserError):
            copy.with_user(self.seller_accountant).action_accept()
        salesperson = self.env["res.users"].with_context(no_reset_password=True).create(
            {"name": "Wholesale salesperson", "login": "ic_wholesale_salesperson", "company_id": self.wholesale.id,
             "company_ids": [Command.set(self.wholesale.ids)],
             "groups_id": [Command.set(self.env.ref("sales_team.group_sale_salesman").ids)]}
        )  # fmt: skip
        with self.assertRaises(UserError) as err:
            copy.with_user(salesperson).with_company(self.wholesale).action_accept()
        self.assertIn("Invoicing (Billing)", str(err.exception))
        # messages of the retail side name wholesale's documents only
        copy.action_accept()
        body = " ".join(request.message_ids.mapped("body"))
        self.assertNotIn(copy.return_picking_id.name, body)
        self.assertIn(request.return_picking_id.name, body)

    def test_locked_location_is_a_stock_state_outside_the_stock(self):
        Location = self.env["stock.location"]
        with self.assertRaises(ValidationError):
            Location.create(
                {"name": "Locked inside", "location_id": self.stock.id, "usage": "internal",
                 "omni_ic_return_locked": True, "company_id": self.retail.id}
            )  # fmt: skip
        with self.assertRaises(ValidationError):
            self.defective.omni_ic_return_locked = True

    def test_manual_request_from_the_form(self):
        form = Form(self._retail())
        self.assertEqual(form.rule_id, self.rule, "the company's rule by default")
        with form.line_ids.new() as line:
            line.product_id = self.tea
            line.quantity = 2
        request = form.save()
        request.action_submit()
        self.assertEqual(request.locked_qty, 2)

    def test_partial_return_delivery_keeps_the_rest_locked(self):
        request = self._new_request([(self.tea, 2, "sellable")])
        request.action_submit()
        copy = self._copy_of(request)
        copy.action_accept()
        delivery = request.return_picking_id.with_user(self.buyer).with_company(self.retail)
        delivery.move_ids.quantity = 1
        delivery.move_ids.picked = True
        self._validate(delivery, self.buyer, self.retail)
        self.assertEqual(request.state, "accepted", "one box is still to return")
        self.assertEqual(request.locked_qty, 1)
        self.assertEqual(sum(copy.return_picking_id.move_line_ids.mapped("quantity")), 1, "receipt ready with 1")
        backorder = self.env["stock.picking"].search([("backorder_id", "=", delivery.id)])
        self.assertEqual(backorder.omni_ic_return_id, request, "the backorder stays the request's")
        self._validate(copy.return_picking_id, self.shipper, self.wholesale)
        backorder = backorder.with_user(self.buyer).with_company(self.retail)
        backorder.move_ids.quantity = 1
        backorder.move_ids.picked = True
        self._validate(backorder, self.buyer, self.retail)
        self.assertEqual(request.state, "done")
        self.assertEqual(request.locked_qty, 0)
        receipt_backorder = self.env["stock.picking"].search([("backorder_id", "=", copy.return_picking_id.id)])
        self.assertEqual(sum(receipt_backorder.move_line_ids.mapped("quantity")), 1, "the rest mirrored too")

    def test_a_line_raised_on_its_own_is_checked_too(self):
        request = self._new_request([(self.tea, 1, "sellable")])
        with self.assertRaises(ValidationError) as err:
            request.line_ids.quantity = 3
        self.assertIn("only 2.0 came back", str(err.exception))

    def test_a_decision_taken_meanwhile_is_seen_after_the_lock(self):
        """Two decisions at once: the second waits on the rows' lock, then
        reads the state again. Emulated here: another transaction refused
        (in the database) while this one still holds the request as
        submitted in its cache."""
        request = self._new_request([(self.tea, 2, "sellable")])
        request.action_submit()
        copy = self._copy_of(request)
        self.assertEqual(copy.state, "submitted")
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE omni_intercompany_return SET state = 'refused' WHERE id IN %s", [(copy.id, request.id)]
        )
        self.assertEqual(copy.state, "submitted", "this transaction's cache has not seen it yet")
        with self.assertRaises(UserError) as err:
            copy.action_accept()
        self.assertIn("Refused", str(err.exception))
        self.assertFalse(self.env["stock.picking"].search([("omni_ic_return_id", "=", copy.id)]), "nothing made for it")

    def _accepted(self, lines):
        request = self._new_request(lines)
        request.action_submit()
        copy = self._copy_of(request)
        copy.action_accept()
        return request, copy

    def test_the_rest_of_a_return_delivery_is_never_dropped(self):
        request, copy = self._accepted([(self.tea, 2, "sellable")])
        delivery = request.return_picking_id.with_user(self.buyer).with_company(self.retail)
        delivery.move_ids.quantity = 1
        delivery.move_ids.picked = True
        # validated without backorder: the second box would stay locked for ever, credited
        with self.assertRaises(UserError) as err:
            delivery.with_context(cancel_backorder=True)._action_done()
        message = str(err.exception)
        for part in (delivery.name, self.tea.display_name, request.name, "1.0"):
            self.assertIn(part, message)
        with self.assertRaises(UserError) as err:
            delivery.action_cancel()
        self.assertIn("2.0", str(err.exception))
        self.assertEqual(delivery.state, "assigned")
        self.assertEqual((request.state, request.locked_qty), ("accepted", 2))
        # shipped in full, it is returned
        delivery.move_ids.quantity = 2
        delivery.with_context(cancel_backorder=True)._action_done()
        self.assertEqual(request.state, "done")

    def test_each_line_keeps_its_own_moves(self):
        """Two lines of one product (sellable and defective) are not merged
        into one move, and the rest of a split move stays its line's."""
        request, copy = self._accepted([(self.jam, 3, "sellable"), (self.jam, 1, "defective")])
        delivery = request.return_picking_id.with_user(self.buyer).with_company(self.retail)
        self.assertEqual(
            sorted((m.omni_ic_return_line_id.condition, m.product_uom_qty) for m in delivery.move_ids),
            [("defective", 1.0), ("sellable", 3.0)],
        )
        self.assertEqual(len(copy.return_picking_id.move_ids), 2)
        sellable = delivery.move_ids.filtered(lambda m: m.omni_ic_return_line_id.condition == "sellable")
        sellable.quantity = 1
        delivery.move_ids.picked = True
        self._validate(delivery, self.buyer, self.retail)
        backorder = self.env["stock.picking"].search([("backorder_id", "=", delivery.id)])
        self.assertEqual(backorder.move_ids.omni_ic_return_line_id, sellable.omni_ic_return_line_id)
        self.assertEqual(
            sorted(request.line_ids.mapped(lambda line: (line.condition, line.locked_qty))),
            [("defective", 0.0), ("sellable", 2.0)],
        )

    def test_credit_note_in_the_transfer_pricelists_currency(self):
        """Transfer prices in HKD while both companies keep their books in
        CNY: the credit notes are in HKD for the pricelist's prices, and the
        check report agrees to the cent."""
        hkd = self.env.ref("base.HKD")
        hkd.active = True
        self.env["res.currency.rate"].create(
            [
                {"currency_id": hkd.id, "company_id": company.id, "name": "2026-01-01", "rate": 1.1}
                for company in (self.retail, self.wholesale)
            ]
        )
        self.rule.pricelist_id.currency_id = hkd
        request, copy = self._accepted([(self.tea, 2, "sellable")])
        credit_note = copy.credit_note_id
        self.assertEqual(credit_note.currency_id, hkd)
        self.assertEqual(hkd.compare_amounts(credit_note.amount_untaxed, 20.74), 0, "2 x 10.37 HKD")
        credit_note = credit_note.with_user(self.seller_accountant).with_company(self.wholesale)
        credit_note.invoice_date = "2026-11-25"
        credit_note.action_post()
        vendor_credit_note = request.credit_note_id
        self.assertEqual((vendor_credit_note.currency_id, vendor_credit_note.state), (hkd, "posted"))
        self.assertEqual(hkd.compare_amounts(vendor_credit_note.amount_total, credit_note.amount_total), 0)
        self.rule.with_user(self.auditor).action_check(date="2026-11-30")
        balances = self.env["omni.intercompany.check.line"].search(
            [("rule_id", "=", self.rule.id), ("kind", "=", "balance")]
        )
        self.assertEqual(balances.currency_id, hkd)
        self.assertFalse(balances.filtered("problem"), "the credit notes agree to the cent")
        self.assertEqual(hkd.compare_amounts(balances.supplier_amount, -credit_note.amount_total), 0)
        self.assertEqual(hkd.compare_amounts(balances.customer_amount, -vendor_credit_note.amount_total), 0)

    def test_locking_leaves_the_stock_allocated_to_platform_orders(self):
        """Sellable stock is free less allocated: goods sold on a channel and
        not yet reserved are not locked for wholesale."""
        env = self.env(context=dict(self.env.context, allowed_company_ids=[self.retail.id]))
        free = self._qty(self.tea, self.stock)
        [result] = env["omni.order"].import_orders(
            self.channel.code,
            [{"platform_order_no": "ICR9", "order_time": "2026-11-20 10:30:00", "buyer_nick": "bICR9",
              "receiver_name": "刘洋", "phone": "19038879107", "province": "江苏省", "city": "南京市",
              "district": "鼓楼区", "address": "建国路685号", "payment_method": "prepaid", "paid_amount": "10.00",
              "shipping_fee": "0", "buyer_note": "",
              "lines": [{"platform_sku": "ICR-TEA", "quantity": str(int(free) - 1), "unit_price": "10"}]}],
        )  # fmt: skip
        order = env["omni.order"].browse(result["order_id"])
        # its delivery unreserved: the order's tea is allocated, not reserved
        order.sale_order_id.picking_ids.do_unreserve()
        self.assertEqual(self._qty(self.tea, self.stock), free)
        request = self._new_request([(self.tea, 2, "sellable")])
        with self.assertRaises(UserError) as err:
            request.action_submit()
        message = str(err.exception)
        self.assertIn(self.tea.display_name, message)
        self.assertIn("only 1.0 is sellable", message)
        self.assertIn(f"{free - 1} allocated", message)
        self.assertEqual(request.state, "draft")
        self.assertFalse(request.lock_picking_id)
        # what is left sellable can be locked
        request = self._new_request([(self.tea, 1, "sellable")])
        request.action_submit()
        self.assertEqual(request.locked_qty, 1)

    def test_submitting_writes_the_rules_row(self):
        """Two submissions at once are serialised: under REPEATABLE READ a
        row lock alone leaves the second its old snapshot, so the submission
        writes the rule's row, and the second one fails to serialise and is
        retried with a fresh snapshot. Emulated: the row is written."""
        request = self._new_request([(self.tea, 1, "sellable")])
        self.env.flush_all()
        self.env.cr.execute("UPDATE omni_intercompany_rule SET write_date = '2000-01-01' WHERE id = %s", [self.rule.id])
        request.action_submit()
        self.env.cr.execute(
            "SELECT write_date > '2000-01-02' FROM omni_intercompany_rule WHERE id = %s", [self.rule.id]
        )
        self.assertTrue(self.env.cr.fetchone()[0], "the submission wrote the rule's row")

    def test_refusing_several_keeps_each_ones_reason(self):
        first = self._new_request([(self.tea, 1, "sellable")])
        second = self._new_request([(self.tea, 1, "sellable")])
        (first | second).action_submit()
        copies = self._copy_of(first) | self._copy_of(second)
        self._copy_of(first).refusal_reason = "Tea past its date"
        self._copy_of(second).refusal_reason = "Box damaged in transit"
        copies.action_refuse()
        self.assertEqual(first.refusal_reason, "Tea past its date")
        self.assertEqual(second.refusal_reason, "Box damaged in transit")
        self.assertEqual(self._copy_of(second).refusal_reason, "Box damaged in transit")
        # one reason given for all is everyone's; a missing one is refused
        third = self._new_request([(self.tea, 1, "sellable")])
        fourth = self._new_request([(self.tea, 1, "sellable")])
        (third | fourth).action_submit()
        self._copy_of(third).refusal_reason = "Own reason"
        with self.assertRaises(UserError) as err:
            (self._copy_of(third) | self._copy_of(fourth)).action_refuse()
        self.assertIn(fourth.name, str(err.exception))
        self.assertEqual((third.state, fourth.state), ("submitted", "submitted"), "none refused")

    def test_locked_goods_leave_only_by_their_returns_transfers(self):
        request = self._new_request([(self.tea, 2, "sellable")])
        request.action_submit()
        locked = self.wh_retail._omni_get_return_locked_location()
        picking = self.env["stock.picking"].with_company(self.retail).create(
            {"picking_type_id": self.wh_retail.int_type_id.id, "location_id": locked.id,
             "location_dest_id": self.stock.id,
             "move_ids": [Command.create({"name": "take back", "product_id": self.tea.id, "product_uom_qty": 2,
                                          "product_uom": self.tea.uom_id.id, "location_id": locked.id,
                                          "location_dest_id": self.stock.id})]}
        )  # fmt: skip
        picking.action_confirm()
        picking.move_ids.quantity = 2
        picking.move_ids.picked = True
        with self.assertRaises(UserError) as err:
            picking.button_validate()
        message = str(err.exception)
        self.assertIn(locked.display_name, message)
        self.assertIn(request.name, message)
        self.assertEqual(self.tea.with_context(location=locked.id).qty_available, 2, "still locked")
        self.assertEqual(request.locked_qty, 2)

    def test_unlocking_moves_every_locked_unit(self):
        request = self._new_request([(self.tea, 2, "sellable")])
        request.action_submit()
        locked = self.wh_retail._omni_get_return_locked_location()
        # a box went missing from the locked location (emulated on the quant)
        self.env["stock.quant"]._update_available_quantity(self.tea, locked, -1)
        with self.assertRaises(UserError) as err:
            request.action_cancel()
        self.assertIn("but 1.0 could be moved", str(err.exception))

    def test_wholesale_receives_back_at_most_what_retail_shipped(self):
        request, copy = self._accepted([(self.tea, 2, "sellable")])
        delivery = request.return_picking_id.with_user(self.buyer).with_company(self.retail)
        delivery.move_ids.quantity = 1
        delivery.move_ids.picked = True
        self._validate(delivery, self.buyer, self.retail)
        receipt = copy.return_picking_id.with_user(self.shipper).with_company(self.wholesale)
        receipt.move_ids.quantity = 2
        receipt.move_ids.picked = True
        with self.assertRaises(UserError) as err:
            self._validate(receipt, self.shipper, self.wholesale)
        message = str(err.exception)
        for part in (receipt.name, self.tea.display_name, copy.name, "only 1.0"):
            self.assertIn(part, message)
        receipt.move_ids.quantity = 1
        self._validate(receipt, self.shipper, self.wholesale)
        self.assertEqual(receipt.state, "done")
