# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, TransactionCase

from .common import NOW, OmniPurchaseTestMixin


@freeze_time(NOW)
class TestReceipts(OmniPurchaseTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(NOW):
            cls._setup_omni_purchase()

    def _po(self, vendor, lines):
        order = (
            self.env["purchase.order"]
            .with_company(self.company)
            .create(
                {
                    "partner_id": vendor.id,
                    "company_id": self.company.id,
                    "picking_type_id": self.warehouse.in_type_id.id,
                    "order_line": [Command.create({"product_id": p.id, "product_qty": q}) for p, q in lines],
                }
            )
        )
        order.button_confirm()
        return order

    def _receive(self, picking, quantities):
        for move in picking.move_ids:
            move.quantity = quantities.get(move.purchase_line_id, 0.0)
            move.picked = True

    def test_two_orders_of_one_vendor_in_one_partial_receipt(self):
        po1 = self._po(self.vendor, [(self.tea, 10)])
        po2 = self._po(self.vendor, [(self.tea, 5), (self.lonely, 4)])
        (po1 | po2).with_user(self.buyer).action_omni_receive_together()
        receipt = po1.picking_ids
        self.assertEqual(len(receipt), 1)
        self.assertEqual(po2.picking_ids, receipt, "both orders point at the one receipt")
        self.assertEqual(len(receipt.move_ids), 3)
        self.assertIn(po1.name, receipt.origin)
        self.assertIn(po2.name, receipt.origin)
        line1, line2, line3 = po1.order_line, po2.order_line[0], po2.order_line[1]
        self._receive(receipt, {line1: 10, line2: 2, line3: 4})
        receipt.with_context(cancel_backorder=False)._action_done()
        self.assertEqual((line1.qty_received, line2.qty_received, line3.qty_received), (10, 2, 4))
        self.assertEqual((line1.omni_expected_qty, line2.omni_expected_qty), (0, 3))
        backorder = po2.picking_ids - receipt
        self.assertEqual(backorder.backorder_id, receipt)
        self.assertEqual(backorder.move_ids.purchase_line_id, line2)
        self.assertEqual(backorder.move_ids.product_uom_qty, 3)
        # the rest will not come: stop waiting, with a reason
        with self.assertRaisesRegex(UserError, "why"):
            line2.with_user(self.buyer)._omni_give_up(" ")
        wizard = Form(self.env["omni.purchase.give.up"].with_context(default_purchase_line_id=line2.id))
        wizard.reason = "Vendor out of stock"
        wizard.save().action_confirm()
        self.assertEqual((line2.omni_given_up_qty, line2.omni_expected_qty), (3, 0))
        self.assertEqual(line2.omni_given_up_reason, "Vendor out of stock")
        self.assertEqual(backorder.state, "cancel")
        with self.assertRaisesRegex(UserError, "nothing is expected"):
            line2._omni_give_up("again")
        with self.assertRaisesRegex(UserError, "actions"):
            line2.with_user(self.buyer).write({"omni_given_up_qty": 0})
        # the suggestion no longer waits for it
        self.assertEqual(self._refresh()[self.tea].open_po_qty, 0)

    def test_over_receipt_and_return_to_vendor(self):
        po = self._po(self.vendor, [(self.tea, 10)])
        line = po.order_line
        receipt = po.picking_ids
        self._receive(receipt, {line: 12})
        receipt.button_validate()
        self.assertEqual((line.qty_received, line.omni_over_received_qty, line.omni_expected_qty), (12, 2, 0))
        self.assertEqual(self._refresh()[self.tea].open_po_qty, 0, "over-received is never negative")
        # return 5 to the vendor
        wizard = Form(
            self.env["stock.return.picking"].with_context(active_id=receipt.id, active_model="stock.picking")
        ).save()
        wizard.product_return_moves.quantity = 5
        action = wizard.action_create_returns()
        returned = self.env["stock.picking"].browse(action["res_id"])
        returned.move_ids.picked = True
        returned.button_validate()
        self.assertEqual(returned.location_dest_id.usage, "supplier")
        self.assertEqual((line.qty_received, line.omni_over_received_qty, line.omni_expected_qty), (7, 0, 3))

    def test_receive_together_refuses_mixed_orders(self):
        po1 = self._po(self.vendor, [(self.tea, 10)])
        po2 = self._po(self.vendor_2, [(self.cup, 10)])
        with self.assertRaisesRegex(UserError, "one vendor"):
            (po1 | po2).action_omni_receive_together()
        with self.assertRaisesRegex(UserError, "two or more"):
            po1.action_omni_receive_together()
        draft = self.env["purchase.order"].create(
            {"partner_id": self.vendor.id, "company_id": self.company.id, "order_line": []}
        )
        with self.assertRaisesRegex(UserError, "two or more"):
            (po1 | draft).action_omni_receive_together()
        self.assertEqual(len(po1.picking_ids), 1, "nothing changed")

    def test_over_receipt_held_for_a_purchase_manager(self):
        """With the company setting, a receipt above what was ordered is
        validated by a purchase manager only; without it, as Odoo does."""
        self.company.omni_purchase_hold_over_receipt = True
        storekeeper, manager = (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": login,
                    "login": login,
                    "email": f"{login}@example.com",
                    "company_id": self.company.id,
                    "company_ids": [Command.set(self.company.ids)],
                    "groups_id": [Command.set([self.env.ref(group).id])],
                }
            )
            for login, group in (
                ("omni_purchase_storekeeper", "stock.group_stock_user"),
                ("omni_purchase_manager", "purchase.group_purchase_manager"),
            )
        )
        po = self._po(self.vendor, [(self.tea, 10)])
        line = po.order_line
        receipt = po.picking_ids
        self._receive(receipt, {line: 12})
        with self.assertRaises(UserError) as refused:
            receipt.with_user(storekeeper).button_validate()
        for part in (receipt.name, self.tea.display_name, po.name, "ordered 10.0", "this receipt 12.0"):
            self.assertIn(part, str(refused.exception))
        self.assertEqual((receipt.state, line.qty_received), ("assigned", 0))
        # the ordered quantity passes
        self._receive(receipt, {line: 10})
        receipt.with_user(storekeeper).button_validate()
        self.assertEqual(line.qty_received, 10)
        # one more later is above ordered again: the purchase manager validates it
        po_2 = self._po(self.vendor, [(self.tea, 3)])
        self._receive(po_2.picking_ids, {po_2.order_line: 4})
        with self.assertRaises(UserError):
            po_2.picking_ids.with_user(storekeeper).button_validate()
        po_2.picking_ids.with_user(manager).button_validate()
        self.assertEqual(po_2.order_line.qty_received, 4)
        self.assertIn("validated by", po_2.picking_ids.message_ids[0].body)
        # without the setting, as Odoo does
        self.company.omni_purchase_hold_over_receipt = False
        po_3 = self._po(self.vendor, [(self.tea, 1)])
        self._receive(po_3.picking_ids, {po_3.order_line: 2})
        po_3.picking_ids.with_user(storekeeper).button_validate()
        self.assertEqual(po_3.order_line.qty_received, 2)

    def test_received_quantity_of_a_receipt_line_is_the_receipts(self):
        po = self._po(self.vendor, [(self.tea, 10)])
        line = po.order_line
        for vals in ({"qty_received": 99}, {"omni_expected_qty": 0}, {"omni_over_received_qty": 5}):
            with self.assertRaises(UserError, msg=vals):
                line.with_user(self.buyer).write(vals)
        self.assertEqual((line.qty_received, line.omni_expected_qty), (0, 10))
        # a purchase manager may correct it (Odoo's own correction); a service line stays as in Odoo
        manager = self.buyer.copy({"login": "omni_purchase_receipt_manager", "email": "pm@example.com"})
        manager.groups_id = [Command.link(self.env.ref("purchase.group_purchase_manager").id)]
        line.with_user(manager).write({"qty_received": 4})
        self.assertEqual(line.qty_received, 4)
        service = self.env["product.product"].create({"name": "Freight", "type": "service", "purchase_ok": True})
        service_po = self._po(self.vendor, [(service, 1)])
        service_po.order_line.with_user(self.buyer).write({"qty_received": 1})
        self.assertEqual(service_po.order_line.qty_received, 1)

    def test_stop_waiting_is_offered_on_lines_the_user_may_change_only(self):
        po = self._po(self.vendor, [(self.tea, 10)])
        other_company = self.env["res.company"].create({"name": "Other Purchase Co"})
        stranger = self.buyer.copy(
            {
                "login": "omni_purchase_stranger",
                "company_id": other_company.id,
                "company_ids": [Command.set(other_company.ids)],
            }
        )
        Wizard = self.env["omni.purchase.give.up"].with_user(stranger).with_company(other_company)
        missing = self.env["purchase.order.line"].search([], order="id desc", limit=1).id + 1000
        messages = []
        for line_id in (po.order_line.id, missing):
            with self.assertRaises(UserError) as refused:
                Wizard.create({"purchase_line_id": line_id, "reason": "x"})
            messages.append(str(refused.exception).replace(str(line_id), "N"))
        self.assertEqual(messages[0], messages[1], "the same answer whether the line exists elsewhere or not")
        self.assertNotIn(self.tea.name, messages[0])
        wizard = (
            self.env["omni.purchase.give.up"]
            .with_user(self.buyer)
            .create({"purchase_line_id": po.order_line.id, "reason": "vendor out of stock"})
        )
        self.assertEqual(wizard.expected_qty, 10)

    def test_receipts_above_ordered_are_held_by_default(self):
        self.assertTrue(self.env["res.company"].create({"name": "New Co"}).omni_purchase_hold_over_receipt)

    def test_how_much_was_received_is_not_switched_to_typing(self):
        po = self._po(self.vendor, [(self.tea, 10)])
        for vals in ({"qty_received_method": "manual"}, {"qty_received_manual": 50}):
            with self.assertRaises(UserError, msg=vals):
                po.order_line.with_user(self.buyer).write(vals)
        self.assertEqual((po.order_line.qty_received_method, po.order_line.qty_received), ("stock_moves", 0))

    def test_receipts_of_one_line_validated_together_count_together(self):
        storekeeper = self.buyer.copy(
            {
                "login": "omni_purchase_storekeeper_2",
                "groups_id": [Command.set([self.env.ref("stock.group_stock_user").id])],
            }
        )
        po = self._po(self.vendor, [(self.tea, 10)])
        line = po.order_line
        first = po.picking_ids
        self._receive(first, {line: 6})
        Form.from_action(self.env, first.button_validate()).save().process()  # backorder of 4
        backorder = po.picking_ids - first
        # the 6 go back to the vendor and come again: a second receipt of the line
        return_wizard = Form(
            self.env["stock.return.picking"].with_context(active_id=first.id, active_model="stock.picking")
        )
        returned = return_wizard.save()
        returned.product_return_moves.quantity = 6
        back = self.env["stock.picking"].browse(returned.action_create_returns()["res_id"])
        back.move_ids.quantity = 6
        back.move_ids.picked = True
        back.button_validate()
        again_wizard = Form(
            self.env["stock.return.picking"].with_context(active_id=back.id, active_model="stock.picking")
        )
        again = again_wizard.save()
        again.product_return_moves.quantity = 6
        second = self.env["stock.picking"].browse(again.action_create_returns()["res_id"])
        self.assertEqual(second.move_ids.purchase_line_id, line)
        self.assertEqual(line.qty_received, 0)
        # 7 + 6 of 10 ordered, in one call: above ordered, held
        backorder.move_ids.quantity = 7
        backorder.move_ids.picked = True
        second.move_ids.quantity = 6
        second.move_ids.picked = True
        with self.assertRaisesRegex(UserError, "purchase manager"):
            (backorder | second).with_user(storekeeper).button_validate()
        self.assertEqual(line.qty_received, 0)

    def test_stop_waiting_form_does_not_open_on_another_companys_line(self):
        po = self._po(self.vendor, [(self.tea, 10)])
        other_company = self.env["res.company"].create({"name": "Other Purchase Co 2"})
        stranger = self.buyer.copy(
            {
                "login": "omni_purchase_stranger_2",
                "company_id": other_company.id,
                "company_ids": [Command.set(other_company.ids)],
            }
        )
        Wizard = self.env["omni.purchase.give.up"].with_user(stranger).with_company(other_company)
        with self.assertRaisesRegex(UserError, "Unknown purchase order line"):
            Wizard.with_context(default_purchase_line_id=po.order_line.id).default_get(
                ["purchase_line_id", "product_id"]
            )
