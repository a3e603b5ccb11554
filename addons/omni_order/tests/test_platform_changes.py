# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Orders that change on the platform after they were staged (issue 25),
pulled from the TOP stand-in with trades shaped as
``taobao.trades.sold.increment.get`` returns them (bububa/opentaobao:
Trade.status, Order.refund_status, Order.payment). The other platforms'
statuses are mapped to the same adapter states in their addons' tests."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.omni_base.tools import guard
from odoo.addons.omni_platform.tests.platform_stub import PlatformStub

from .common import OmniOrderTestMixin

NOW = datetime(2026, 11, 11, 8, 0, 0)  # naive UTC, as Odoo stores it
LINES = (("TM-HONEY-500G", "30.00"), ("TM-CUP-SET", "25.00"))


def trade(tid, modified, status="WAIT_SELLER_SEND_GOODS", refunds=("NO_REFUND", "NO_REFUND"), **values):
    """A TOP trade of two lines (honey 30.00, a cup set 25.00, paid 55.00)."""
    orders = [
        {"oid": int(f"{tid}{index}"), "num_iid": 1000 + index, "outer_sku_id": sku, "num": 1, "price": price,
         "payment": price, "title": sku, "status": status, "refund_status": refund}
        for index, ((sku, price), refund) in enumerate(zip(LINES, refunds, strict=True))
    ]  # fmt: skip
    result = {
        "tid": tid, "type": "fixed", "status": status, "created": "2026-11-11 15:00:00",
        "modified": (modified + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M:%S"),  # Beijing time
        "buyer_nick": "买家甲", "receiver_name": "李四", "receiver_mobile": "13900000000",
        "receiver_state": "广东省", "receiver_city": "深圳市", "receiver_district": "南山区",
        "receiver_address": "科技园 2 号", "payment": "55.00", "post_fee": "0.00", "orders": {"order": orders},
    }  # fmt: skip
    result.update(values)
    return result


class TestPlatformChanges(OmniOrderTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.Order = cls.env["omni.order"]
        cls.manager = new_test_user(
            cls.env, "omni_change_manager", groups="omni_channel.group_omni_channel_manager,stock.group_stock_user"
        )

    def setUp(self):
        super().setUp()
        self.stub = PlatformStub([], access_token="token-1")
        self.stub.start()
        self.addCleanup(self.stub.stop)
        guard.internal(self.channel).write(
            {
                "adapter_kind": "taobao_top",
                "api_base_url": self.stub.router_url,
                "api_access_token": "token-1",
                "api_app_key": "key-1",
                "api_app_secret": "secret-1",
                "last_pull_until": NOW - timedelta(hours=1),
            }
        )
        self.minutes = 0

    def _pull(self, *trades):
        """Put these trades (changed now) on the platform and pull 15 minutes later."""
        self.minutes += 15
        at = NOW + timedelta(minutes=self.minutes)
        for item in trades:
            self.stub.upsert_order(item)
        with freeze_time(at):
            return self.channel._pull_orders()

    def _at(self):
        return NOW + timedelta(minutes=self.minutes + 5)

    def _staged(self, tid="8001", **values):
        self._pull(trade(int(tid), self._at(), **values))
        order = self.Order.search([("channel_id", "=", self.channel.id), ("platform_order_no", "=", tid)])
        self.assertEqual(len(order), 1)
        return order

    def _delivery(self, order):
        return order.sale_order_id.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))

    def _ship(self, order):
        picking = self._delivery(order)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.button_validate()
        self.assertEqual(order.state, "shipped")

    def test_refund_asked_holds_then_refused_releases(self):
        order = self._staged()
        self.assertEqual(order.state, "confirmed")
        picking = self._delivery(order)
        self.assertEqual(picking.state, "assigned")
        # the buyer asks a refund of one line before shipping (退款拦截)
        results = self._pull(trade(8001, self._at(), refunds=("WAIT_SELLER_AGREE", "NO_REFUND")))
        self.assertEqual(results, [])
        self.assertEqual(order.hold_reason, "platform")
        self.assertIn("WAIT_SELLER_AGREE", order.platform_status)
        self.assertEqual(order.state, "confirmed")
        self.assertEqual(picking.state, "confirmed", "the reservation is given back")
        self.assertFalse(order.allocation_ids, "a held order allocates nothing")
        self.assertEqual(self.env["omni.order.allocation"].check_reconciliation(), [])
        self.assertFalse(self.channel.last_pull_not_staged)
        # nobody ships it, whatever the path
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        with self.assertRaisesRegex(UserError, "is held.*WAIT_SELLER_AGREE"):
            picking.button_validate()
        with self.assertRaisesRegex(UserError, "is held"):
            picking._action_done()
        with self.assertRaisesRegex(UserError, "held by the platform"):
            order.with_user(self.manager).action_release_hold()
        # the same news again changes nothing
        self._pull(trade(8001, self._at(), refunds=("WAIT_SELLER_AGREE", "NO_REFUND")))
        self.assertEqual(order.hold_reason, "platform")
        # the seller refuses the refund: the order ships again
        picking.move_ids.picked = False
        picking.do_unreserve()
        results = self._pull(trade(8001, self._at(), refunds=("SELLER_REFUSE_BUYER", "NO_REFUND")))
        self.assertEqual([r["result"] for r in results], ["updated"])
        self.assertFalse(order.hold_reason)
        self.assertEqual(picking.state, "assigned", "reserved again")
        self.assertEqual(self.env["omni.order.allocation"].check_reconciliation(), [])
        self._ship(order)

    def test_refund_asked_in_review_holds_and_blocks_confirmation(self):
        self.channel.auto_confirm = False
        order = self._staged()
        self.assertEqual(order.state, "to_review")
        self.assertTrue(order.allocation_ids)
        self._pull(trade(8001, self._at(), refunds=("WAIT_BUYER_RETURN_GOODS", "NO_REFUND")))
        self.assertEqual(order.hold_reason, "platform")
        self.assertFalse(order.allocation_ids)
        self.assertFalse(order._confirm_orders(), "a held order is not confirmed")
        with self.assertRaisesRegex(UserError, "is held"):
            order.action_confirm()
        self.channel.auto_confirm = True
        self._pull(trade(8001, self._at(), refunds=("CLOSED", "NO_REFUND")))  # the buyer withdrew it
        self.assertFalse(order.hold_reason)
        self.assertEqual(order.state, "confirmed", "the channel's rules confirm it once released")
        self.assertEqual(self.env["omni.order.allocation"].check_reconciliation(), [])

    def test_closed_or_refunded_before_shipping_cancels(self):
        order = self._staged()
        sale_order = order.sale_order_id
        self._pull(trade(8001, self._at(), status="TRADE_CLOSED", refunds=("SUCCESS", "SUCCESS")))
        self.assertEqual(order.state, "cancelled")
        self.assertEqual(order.platform_status, "TRADE_CLOSED")
        self.assertEqual(sale_order.state, "cancel")
        self.assertFalse(order.allocation_ids)
        # every line refunded while the trade still says waiting to ship: cancelled too
        other = self._staged("8002")
        self._pull(trade(8002, self._at(), refunds=("SUCCESS", "SUCCESS")))
        self.assertEqual(other.state, "cancelled")
        self.assertEqual(self.env["omni.order.allocation"].check_reconciliation(), [])

    def test_refund_after_shipping_is_an_after_sales_matter(self):
        order = self._staged()
        self._ship(order)
        shipped = trade(8001, self._at(), status="WAIT_BUYER_CONFIRM_GOODS", refunds=("WAIT_SELLER_AGREE", "NO_REFUND"))
        self._pull(shipped)
        self.assertEqual(order.state, "shipped")
        self.assertFalse(order.hold_reason)
        self.assertIn("WAIT_SELLER_AGREE", order.platform_status)
        self.assertIn("after shipping", " ".join(order.message_ids.mapped("body")))

    def test_address_changed_in_review_and_before_preparation(self):
        self.channel.auto_confirm = False
        order = self._staged()
        results = self._pull(trade(8001, self._at(), receiver_address="科技园 9 号 (新)"))
        self.assertEqual([r["result"] for r in results], ["updated"])
        self.assertEqual(order.address, "科技园 9 号 (新)")
        self.assertEqual(order.state, "to_review")
        order.action_confirm()
        sale_order = order.sale_order_id
        self.assertIn("9 号", sale_order.partner_shipping_id.street)
        # changed again before anyone touched the delivery: a new sale order to the new address
        self.channel.auto_confirm = True
        self._pull(trade(8001, self._at(), receiver_address="前海路 1 号"))
        self.assertEqual(sale_order.state, "cancel")
        self.assertEqual(order.state, "confirmed")
        self.assertNotEqual(order.sale_order_id, sale_order)
        self.assertEqual(order.sale_order_id.partner_shipping_id.street, "前海路 1 号")
        self.assertEqual(order.sale_order_id.amount_total, order.paid_amount)
        self.assertEqual(self.env["omni.order.allocation"].check_reconciliation(), [])
        # the same order again: a duplicate, nothing changes
        results = self._pull(trade(8001, self._at(), receiver_address="前海路 1 号"))
        self.assertEqual([r["result"] for r in results], ["duplicate"])

    def test_address_changed_after_packing_started_holds(self):
        order = self._staged()
        picking = self._delivery(order)
        picking.printed = True  # the picking list went to the warehouse
        self._pull(trade(8001, self._at(), receiver_address="前海路 1 号"))
        self.assertEqual(order.hold_reason, "address")
        self.assertEqual(order.address, "前海路 1 号", "the new address is kept for the person who looks")
        self.assertEqual(picking.state, "assigned", "the goods stay with the parcel being prepared")
        with self.assertRaisesRegex(UserError, "is held"):
            picking.button_validate()
        with self.assertRaisesRegex(UserError, "Channel Manager"):
            packer = new_test_user(self.env, "omni_change_user", groups="stock.group_stock_user")
            order.with_user(packer).action_release_hold()
        order.with_user(self.manager).action_release_hold()
        self.assertFalse(order.hold_reason)
        self._ship(order)

    def test_line_refunded_before_shipping_the_rest_ships(self):
        order = self._staged()
        sale_order = order.sale_order_id
        self.assertEqual(sale_order.amount_total, 55.0)
        results = self._pull(trade(8001, self._at(), refunds=("NO_REFUND", "SUCCESS")))
        self.assertEqual([r["result"] for r in results], ["updated"])
        self.assertEqual(order.line_ids.mapped("platform_sku"), ["TM-HONEY-500G"])
        self.assertEqual(order.paid_amount, 30.0)
        self.assertEqual(sale_order.state, "cancel")
        self.assertEqual(order.state, "confirmed")
        new_sale = order.sale_order_id
        self.assertEqual(new_sale.amount_total, 30.0, "order total = paid")
        self.assertEqual(new_sale.order_line.product_id, self.honey)
        self.assertEqual(self.env["omni.order.allocation"].check_reconciliation(), [])
        # the same refund again: nothing more is taken off
        self._pull(trade(8001, self._at(), refunds=("NO_REFUND", "SUCCESS")))
        self.assertEqual(order.paid_amount, 30.0)
        self._ship(order)

    def test_line_refunded_before_staging(self):
        order = self._staged("8003", refunds=("SUCCESS", "NO_REFUND"))
        self.assertEqual(order.line_ids.mapped("platform_sku"), ["TM-CUP-SET"])
        self.assertEqual(order.paid_amount, 25.0)
        self.assertEqual(order.state, "confirmed")
        self.assertEqual(order.sale_order_id.amount_total, 25.0)

    def test_line_refunded_after_packing_started_holds(self):
        order = self._staged()
        self._delivery(order).printed = True
        self._pull(trade(8001, self._at(), refunds=("NO_REFUND", "SUCCESS")))
        self.assertEqual(order.hold_reason, "refund_packed")
        self.assertEqual(len(order.line_ids), 2, "a person takes the line out of the parcel")
        self.assertIn(
            "Refunded on the platform before shipping: TM-CUP-SET", " ".join(order.message_ids.mapped("body"))
        )

    def test_refund_for_an_order_never_staged(self):
        self._pull(trade(8009, self._at(), refunds=("WAIT_SELLER_AGREE", "NO_REFUND")))
        self.assertFalse(self.Order.search([("platform_order_no", "=", "8009")]))
        self.assertIn(
            "8009: WAIT_SELLER_SEND_GOODS, refund_status WAIT_SELLER_AGREE", self.channel.last_pull_not_staged
        )
        self.assertIn("never staged", self.channel.last_pull_message)

    def test_merged_order_refund_holds_its_primary(self):
        self.channel.write({"auto_confirm": False, "auto_merge": True})
        first = self._staged("8001")
        second = self._staged("8002")
        self.assertEqual(second.merged_into_id, first)
        self._pull(trade(8002, self._at(), refunds=("WAIT_SELLER_AGREE", "NO_REFUND")))
        self.assertEqual(first.hold_reason, "platform")
        self.assertFalse(first.allocation_ids)
        self.assertEqual(self.env["omni.order.allocation"].check_reconciliation(), [])

    def test_held_order_is_not_merged(self):
        self.channel.write({"auto_confirm": False, "auto_merge": True})
        first = self._staged("8001")
        self._pull(trade(8001, self._at(), refunds=("WAIT_SELLER_AGREE", "NO_REFUND")))
        self.assertEqual(first.hold_reason, "platform")
        second = self._staged("8002")
        self.assertFalse(second.merged_into_id, "the new order does not join a held one")
        self.assertFalse(first.merge_candidate_ids)
        with self.assertRaisesRegex(UserError, "is held"):
            (first | second).action_merge()

    def test_hold_applied_when_the_pull_fails_midway(self):
        """The session expires after the first day window: the refund asked
        in that day still holds the order (the window moves past it)."""
        order = self._staged()
        at = NOW + timedelta(minutes=self.minutes + 15)
        guard.internal(self.channel).write({"last_pull_until": at - timedelta(hours=36)})
        self.stub.upsert_order(trade(8001, at - timedelta(hours=30), refunds=("WAIT_SELLER_AGREE", "NO_REFUND")))

        def expire(stub, request):
            if request.api_method == "taobao.trades.sold.increment.get":
                stub.access_token = "renewed-elsewhere"

        self.stub.after_request = expire
        with freeze_time(at):
            self.channel._pull_orders()
        self.assertEqual(self.channel.last_pull_state, "failed")
        self.assertGreater(self.channel.last_pull_until, at - timedelta(hours=36), "the window moved past that day")
        self.assertEqual(order.hold_reason, "platform")
        self.assertFalse(order.allocation_ids)
