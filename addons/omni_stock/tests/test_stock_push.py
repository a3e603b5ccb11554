# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta
from unittest.mock import patch

import psycopg2
from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.omni_order.tests.common import JobsMixin, OmniOrderTestMixin
from odoo.addons.omni_platform.tests.platform_stub import PlatformStub

NOW = datetime(2026, 11, 11, 10, 0)


class TestStockPush(JobsMixin, OmniOrderTestMixin, TransactionCase):
    """A stock change queues one debounced incremental push per channel
    selling the product, at commit (cr.flush() runs the precommit hooks)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.channel.write({"stock_ratio": 0.8, "stock_safety_qty": 2})
        # a second channel selling cups only: a honey delivery is none of its business
        cls.cup_channel = cls.env["omni.channel"].create(
            {"name": "Cup shop", "code": "CUPSHOP", "warehouse_id": cls.warehouse.id}
        )
        cls.env["omni.product.mapping"].create(
            {"channel_id": cls.cup_channel.id, "platform_sku": "CS-CUP", "product_id": cls.cup.id, "quantity": 1}
        )
        # core stock rights only: no group of ours
        cls.stock_user = new_test_user(cls.env, "push_stock_user", groups="stock.group_stock_user")

    def _configure(self, stub):
        for channel in self.channel | self.cup_channel:
            channel.write({"adapter_kind": "generic_rest", "api_base_url": stub.url, "api_access_token": "tok"})
        self.env["omni.channel"].sync_stock("TMALL01", "full")
        self.env["omni.channel"].sync_stock("CUPSHOP", "full")
        self.env.cr.flush()  # the commit: the precommit hooks run
        self.env["queue.job"].search([("method_name", "=", "_sync_stock_job")]).unlink()

    def _deliver(self, product, quantity):
        """A delivery validated by a user with core stock rights only."""
        self._deliver_many({product: quantity})

    def _deliver_many(self, quantities):
        warehouse = self.warehouse.with_user(self.stock_user)
        picking = (
            self.env["stock.picking"]
            .with_user(self.stock_user)
            .create(
                {
                    "picking_type_id": warehouse.out_type_id.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": product.name,
                                "product_id": product.id,
                                "product_uom_qty": quantity,
                                "product_uom": product.uom_id.id,
                                "location_id": warehouse.lot_stock_id.id,
                                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                            }
                        )
                        for product, quantity in quantities.items()
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = quantities[move.product_id]
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.env.cr.flush()

    def _push_jobs(self):
        return self._jobs("_sync_stock_job")

    def test_delivery_queues_one_push_per_channel_then_pushes(self):
        with PlatformStub([], access_token="tok") as stub, freeze_time(NOW):
            self._configure(stub)
            self.assertEqual(stub.stock["TM-HONEY-500G"], 798)
            self._deliver(self.honey, 100)
            [job] = self._push_jobs()
            self.assertEqual(job.records, self.channel, "only the channel selling honey")
            self.assertEqual(job.args, ["incremental"])
            self.assertEqual(job.identity_key, f"omni_stock_sync_{self.channel.id}_incremental")
            self.assertEqual(job.eta, NOW + timedelta(seconds=20))
            self.assertEqual(job.user_id.id, 1, "run as the system, not as the stock user")
            # a second change in the window: it goes with the same push
            self._deliver(self.honey, 10)
            self.env["stock.quant"]._update_available_quantity(self.tea, self.stock_location, 5)
            self.env.cr.flush()
            self.assertEqual(self._push_jobs(), job)
            stub.requests.clear()
            self._perform_jobs("_sync_stock_job")
            self.assertEqual(stub.stock["TM-HONEY-500G"], 710)  # (890 - 2) * 0.8 = 710.4
            self.assertEqual(len(stub.requests_for(path="/stock")), 1, "one push for every change")
            # once that push ran, the next change queues the next one
            self._deliver(self.cup, 4)
            channels = {job.records.id for job in self._push_jobs()}
            self.assertEqual(channels, {self.channel.id, self.cup_channel.id})

    def test_one_lookup_per_transaction_whatever_the_moves(self):
        """The quants of a validation are only remembered; the channels are
        looked up once, at commit, for all its moves."""
        with PlatformStub([], access_token="tok") as stub:
            self._configure(stub)
            Channel = type(self.env["omni.channel"])
            with patch.object(
                Channel, "_channels_to_push", autospec=True, side_effect=Channel._channels_to_push
            ) as find:
                self._deliver_many({self.honey: 5, self.cup: 4, self.tea: 2})
            self.assertEqual(find.call_count, 1)
            self.assertEqual({job.records.id for job in self._push_jobs()}, {self.channel.id, self.cup_channel.id})

    def test_delay_is_per_channel_and_push_can_be_switched_off(self):
        with PlatformStub([], access_token="tok") as stub, freeze_time(NOW):
            self._configure(stub)
            self.channel.stock_push_delay = 45
            self.cup_channel.stock_push_on_change = False
            self._deliver(self.cup, 4)
            [job] = self._push_jobs()
            self.assertEqual(job.records, self.channel)
            self.assertEqual(job.eta, NOW + timedelta(seconds=45))

    def test_order_allocated_and_released_queue_a_push(self):
        with PlatformStub([], access_token="tok") as stub, freeze_time(NOW):
            self._configure(stub)
            self.channel.auto_confirm = False
            honey = [{"platform_sku": "TM-HONEY-500G", "quantity": "10", "unit_price": "29.6"}]
            [result] = self.env["omni.order"].import_orders(
                "TMALL01", [self._order("P1", paid_amount="296", shipping_fee="0", lines=honey)]
            )
            self.env.cr.flush()
            [job] = self._push_jobs()
            self.assertEqual(job.records, self.channel)
            self._perform_jobs("_sync_stock_job")
            self.assertEqual(stub.stock["TM-HONEY-500G"], 790)  # (990 - 2) * 0.8 = 790.4
            self.env["omni.order"].browse(result["order_id"]).action_cancel()
            self.env.cr.flush()
            self._perform_jobs("_sync_stock_job")
            self.assertEqual(stub.stock["TM-HONEY-500G"], 798, "released: offered again")

    def test_no_channel_concerned_no_job(self):
        with PlatformStub([], access_token="tok") as stub:
            self._configure(stub)
            other = self.env["product.product"].create({"name": "Unsold", "is_storable": True})
            self.env["stock.quant"]._update_available_quantity(other, self.stock_location, 5)
            self.env.cr.flush()
            self.assertFalse(self._push_jobs())

    def test_change_while_the_push_is_enqueued_or_running_queues_the_next(self):
        """An enqueued or started push may have read the stock already: a
        change then queues the next push instead of going with it."""
        with PlatformStub([], access_token="tok") as stub, freeze_time(NOW):
            self._configure(stub)
            key = f"omni_stock_sync_{self.channel.id}_incremental"
            self._deliver(self.honey, 1)
            [first] = self._push_jobs()
            for state in ("enqueued", "started"):
                self.env.cr.execute("UPDATE queue_job SET state = %s WHERE id = %s", [state, first.id])
                first.invalidate_recordset(["state"])
                self._deliver(self.honey, 1)
                [second] = self._push_jobs()
                self.assertNotEqual(second, first, f"a new push after a {state} one")
                self.assertEqual(second.identity_key, key, "the cron's key: its sync goes with the push")
                self.assertEqual(second.eta, NOW + timedelta(seconds=20))
                # while the new push waits, further changes go with it, and so does the cron's sync
                self._deliver(self.honey, 1)
                self.env["omni.channel"]._cron_sync_stock()
                self.env.cr.flush()
                self.assertEqual(self._push_jobs().filtered(lambda job: job.records == self.channel), second)
                self._push_jobs().unlink()

    def test_waiting_push_cannot_start_before_the_change_commits(self):
        """Two connections, as a stock user's transaction and the job runner.
        A change finding a push pending holds its row FOR SHARE until it
        commits: the runner cannot take the job (pending -> enqueued) before,
        so the push reads the change. A push enqueued since the change's
        transaction began (it still looks pending in its REPEATABLE READ
        snapshot) does not count: a new push is queued."""
        key = "omni_stock_sync_0_incremental"  # no channel needed: the job row holds its id, no foreign key
        registry = self.env.registry
        with registry.cursor() as runner, registry.cursor() as change:
            runner.execute(
                """INSERT INTO queue_job (uuid, state, identity_key, model_name, method_name, user_id,
                                          company_id, name, priority, max_retries, retry, date_created, eta)
                   VALUES (gen_random_uuid()::text, 'pending', %s, 'omni.channel', '_sync_stock_job', 1, %s,
                           'waiting push', 10, 5, 0, now(), now() + interval '1 day')
                   RETURNING uuid""",
                [key, self.env.company.id],
            )  # due tomorrow: the test server's own job runner leaves it alone
            [uuid] = runner.fetchone()
            runner.commit()
            Channel = api.Environment(change, SUPERUSER_ID, {})["omni.channel"]
            try:
                self.assertTrue(Channel._push_waiting(key), "pending: the change goes with it")
                runner.execute("SET LOCAL lock_timeout = '200ms'")
                with self.assertRaises(psycopg2.errors.LockNotAvailable):
                    runner.execute("UPDATE queue_job SET state = 'enqueued' WHERE uuid = %s", [uuid])
                runner.rollback()
                change.rollback()  # the change's transaction ends: the runner may take the job
                change.execute("SELECT 1")  # the next change's transaction: its snapshot is taken
                runner.execute("UPDATE queue_job SET state = 'enqueued' WHERE uuid = %s", [uuid])
                self.assertEqual(runner.rowcount, 1)
                runner.commit()
                self.assertFalse(Channel._push_waiting(key), "enqueued since the snapshot: a new push")
                change.execute("SELECT 1")  # the transaction is still usable
                change.rollback()
                self.assertFalse(Channel._push_waiting(key), "enqueued: a new push")
            finally:
                change.rollback()
                runner.rollback()
                runner.execute("DELETE FROM queue_job WHERE uuid = %s", [uuid])
                runner.commit()
