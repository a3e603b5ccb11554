# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Several channels synced at once (_sync_stock_channels, the cron's
incremental job): each computed as its own sync, their pushes at the same
time, each to its own platform."""

import threading
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import TransactionCase

from odoo.addons.omni_order.tests.common import JobsMixin, OmniOrderTestMixin
from odoo.addons.omni_platform.tests.platform_stub import PlatformStub

from ..models.omni_channel import SYNC_LOCK_KEY


class TestSyncStockChannels(JobsMixin, OmniOrderTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.channel.write({"stock_ratio": 0.8, "stock_safety_qty": 2})
        cls.shop = cls.env["omni.channel"].create(
            {"name": "JD shop", "code": "JD01", "platform": "jd", "company_id": cls.company.id,
             "warehouse_id": cls.warehouse.id}
        )  # fmt: skip
        cls.env["omni.product.mapping"].create(
            [
                {"channel_id": cls.shop.id, "platform_sku": "JD-HONEY", "product_id": cls.honey.id, "quantity": 1},
                {"channel_id": cls.shop.id, "platform_sku": "JD-CUP", "product_id": cls.cup.id, "quantity": 1},
            ]
        )

    def setUp(self):
        super().setUp()
        self.tmall_stub = self.enterContext(PlatformStub([], access_token="tok"))
        self.jd_stub = self.enterContext(PlatformStub([], access_token="tok"))
        for channel, stub in ((self.channel, self.tmall_stub), (self.shop, self.jd_stub)):
            channel.write({"adapter_kind": "generic_rest", "api_base_url": stub.url, "api_access_token": "tok"})
        self.channels = self.channel | self.shop

    def test_each_channel_gets_its_changes_and_the_pushes_run_at_once(self):
        full = self.channels._sync_stock_channels("full")
        self.assertEqual(full.mapped("state"), ["done", "done"])
        self.assertEqual((len(self.tmall_stub.stock), len(self.jd_stub.stock)), (4, 2))
        self.tmall_stub.reset()
        self.jd_stub.reset()

        # each platform's answer waits until the other platform received its push: pushed one after the
        # other, the first would wait in vain
        both = {stub: threading.Event() for stub in (self.tmall_stub, self.jd_stub)}
        overlapped = []

        def wait_for_the_other(stub, _request):
            both[stub].set()
            other = self.jd_stub if stub is self.tmall_stub else self.tmall_stub
            overlapped.append(both[other].wait(5))

        self.tmall_stub.after_request = self.jd_stub.after_request = wait_for_the_other
        self.env["stock.quant"]._update_available_quantity(self.honey, self.stock_location, -100)
        syncs = self.channels._sync_stock_channels("incremental")
        self.assertEqual(overlapped, [True, True], "both platforms were pushed to at the same time")
        self.assertEqual(self.tmall_stub.stock, {"TM-HONEY-500G": 718})  # (900 - 2) * 0.8
        self.assertEqual(self.jd_stub.stock, {"JD-HONEY": 900})  # its share 1, no safety quantity
        by_channel = {sync.channel_id: sync for sync in syncs}
        self.assertEqual(by_channel[self.channel].line_ids.mapped("platform_sku"), ["TM-HONEY-500G"])
        self.assertEqual((by_channel[self.shop].mode, by_channel[self.shop].sent_count), ("incremental", 1))

        # nothing changed since: nothing computed, nothing sent
        self.tmall_stub.after_request = self.jd_stub.after_request = None
        self.tmall_stub.reset()
        self.jd_stub.reset()
        again = self.channels._sync_stock_channels("incremental")
        self.assertEqual(again.mapped("sku_count"), [0, 0])
        self.assertFalse(self.tmall_stub.requests_for(path="/stock") or self.jd_stub.requests_for(path="/stock"))

    def test_log_lines_and_states_are_written_while_the_platforms_answer(self):
        self.channels._sync_stock_channels("full")
        Channel = type(self.env["omni.channel"])
        record = Channel._record_syncs
        recorded = threading.Event()
        written = []

        def record_then_signal(model, entries):
            record(model, entries)
            recorded.set()

        # the platform answers once the log lines and SKU states are written: written after the pushes, it
        # would wait in vain
        self.tmall_stub.after_request = lambda _stub, _request: written.append(recorded.wait(5))
        self.env["stock.quant"]._update_available_quantity(self.honey, self.stock_location, -100)
        with patch.object(Channel, "_record_syncs", record_then_signal):
            syncs = self.channels._sync_stock_channels("incremental")
        self.assertEqual(written, [True])
        self.assertEqual(syncs.mapped("state"), ["done", "done"])
        by_channel = {sync.channel_id: sync for sync in syncs}
        line = by_channel[self.channel].line_ids
        self.assertEqual((line.platform_sku, line.quantity, line.state), ("TM-HONEY-500G", 718, "sent"))
        state = self.env["omni.stock.sku.state"].search(
            [("channel_id", "=", self.channel.id), ("platform_sku", "=", "TM-HONEY-500G")]
        )
        self.assertEqual((state.last_quantity, state.failed), (718, False))

    def test_a_refused_sku_keeps_what_the_platform_last_accepted(self):
        """The states are written as if every SKU was accepted while the
        platforms answer: a refused one gets back what it had."""
        self.channels._sync_stock_channels("full")
        State = self.env["omni.stock.sku.state"]
        honey = State.search([("channel_id", "=", self.channel.id), ("platform_sku", "=", "TM-HONEY-500G")])
        accepted_at = honey.last_sent_at
        self.env["stock.quant"]._update_available_quantity(self.honey, self.stock_location, -100)
        self.tmall_stub.stock_refuse["TM-HONEY-500G"] = "busy"
        syncs = self.channels._sync_stock_channels("incremental")
        by_channel = {sync.channel_id: sync for sync in syncs}
        self.assertEqual((by_channel[self.channel].state, by_channel[self.shop].state), ("failed", "done"))
        line = by_channel[self.channel].line_ids
        self.assertEqual((line.platform_sku, line.quantity, line.state, line.error), ("TM-HONEY-500G", 718, "failed",
                                                                                     "busy"))  # fmt: skip
        honey.invalidate_recordset()
        self.assertEqual((honey.last_quantity, honey.last_sent_at, honey.failed, honey.error),
                         (798, accepted_at, True, "busy"))  # fmt: skip
        jd_honey = State.search([("channel_id", "=", self.shop.id), ("platform_sku", "=", "JD-HONEY")])
        self.assertEqual((jd_honey.last_quantity, jd_honey.failed), (900, False))
        self.assertEqual(self.channel.stock_failed_sku_count, 1)
        # sent again by the next sync, accepted this time
        self.tmall_stub.stock_refuse.clear()
        retry = self.channels._sync_stock_channels("incremental").filtered(lambda s: s.channel_id == self.channel)
        self.assertEqual((retry.state, retry.line_ids.platform_sku, retry.line_ids.state), ("done", "TM-HONEY-500G",
                                                                                          "sent"))  # fmt: skip
        honey.invalidate_recordset()
        self.assertEqual((honey.last_quantity, honey.failed, honey.error), (718, False, False))

    def test_channels_synced_at_other_times_are_computed_in_one_statement(self):
        """Each channel computes what changed since its own last sync, all
        channels in one statement."""
        self.channels._sync_stock_channels("full")
        self.env["stock.quant"]._update_available_quantity(self.honey, self.stock_location, -100)
        self.channel._sync_stock("incremental")  # the honey, for Tmall only
        self.env["stock.quant"]._update_available_quantity(self.cup, self.stock_location, -500)
        self.tmall_stub.reset()
        self.jd_stub.reset()
        Channel = type(self.env["omni.channel"])
        with patch.object(
            Channel, "_compute_sellable_channels", autospec=True, side_effect=Channel._compute_sellable_channels
        ) as compute:
            syncs = self.channels._sync_stock_channels("incremental")
        self.assertEqual(compute.call_count, 1)
        by_channel = {sync.channel_id: sync for sync in syncs}
        # Tmall: the cups (the cup set, the gift box, which the tea decides); JD: the honey and the cups
        self.assertEqual((by_channel[self.channel].sku_count, by_channel[self.shop].sku_count), (2, 2))
        self.assertEqual(self.tmall_stub.stock, {"TM-CUP-SET": 99})
        self.assertEqual(self.jd_stub.stock, {"JD-HONEY": 900, "JD-CUP": 500})

    def test_one_platform_down_does_not_stop_the_other(self):
        self.channels._sync_stock_channels("full")
        self.env["stock.quant"]._update_available_quantity(self.honey, self.stock_location, -100)
        self.jd_stub.fail_next(3, status=500)  # the 3 attempts of one call
        syncs = self.channels._sync_stock_channels("incremental")
        states = {sync.channel_id: sync.state for sync in syncs}
        self.assertEqual(states, {self.channel: "done", self.shop: "failed"})
        self.assertEqual(self.tmall_stub.stock["TM-HONEY-500G"], 718)
        # the failed SKU is sent again by the next sync
        retry = self.channels._sync_stock_channels("incremental").filtered(lambda sync: sync.channel_id == self.shop)
        self.assertEqual((retry.state, retry.line_ids.platform_sku), ("done", "JD-HONEY"))

    def test_a_channel_another_sync_holds_is_left_to_it(self):
        with self.env.registry.cursor() as other:
            other.execute("SELECT pg_advisory_xact_lock(%s, %s)", [SYNC_LOCK_KEY, self.channel.id])
            syncs = self.channels._sync_stock_channels("full")
            other.rollback()
        self.assertEqual(syncs.channel_id, self.shop)
        self.assertFalse(self.tmall_stub.requests)

    def test_cron_queues_one_incremental_job_for_the_channels_due(self):
        with freeze_time(datetime(2026, 11, 11, 18, 0)):  # 02:00 Shanghai: incremental only
            self.env["omni.channel"]._cron_sync_stock()
            self.env["omni.channel"]._cron_sync_stock()  # queued once
        [job] = self._jobs("_sync_stock_job")
        self.assertEqual((job.records, job.args), (self.channels, ["incremental"]))
        with freeze_time(datetime(2026, 11, 11, 18, 0)):
            self._perform_jobs("_sync_stock_job")
        self.assertEqual((len(self.tmall_stub.stock), len(self.jd_stub.stock)), (4, 2))
        self.assertTrue(self.channel.last_incremental_sync_at and self.shop.last_incremental_sync_at)

    def test_a_refused_sku_never_accepted_has_no_last_quantity(self):
        """A SKU the platform refused at its first push keeps no quantity
        as 'last accepted': the platform never accepted one."""
        self.tmall_stub.stock_refuse["TM-HONEY-500G"] = "busy"
        self.channels._sync_stock_channels("full")
        honey = self.env["omni.stock.sku.state"].search(
            [("channel_id", "=", self.channel.id), ("platform_sku", "=", "TM-HONEY-500G")]
        )
        self.assertEqual((honey.last_quantity, honey.last_sent_at, honey.failed, honey.error), (0, False, True, "busy"))
        self.env.cr.execute("SELECT last_quantity FROM omni_stock_sku_state WHERE id = %s", [honey.id])
        self.assertIsNone(self.env.cr.fetchone()[0])

    def test_the_channels_are_locked_before_anything_is_pushed(self):
        """The channels' rows are locked before the computation and the
        pushes: a write committed meanwhile fails the sync before it pushes
        anything, not after (the platform would keep a quantity our states
        never recorded)."""
        from ..models import omni_channel_stock_sync as channel_module

        events = []
        execute = type(self.env.cr).execute

        def spy(cr, query, params=None, log_exceptions=True):
            text = str(query.code if hasattr(query, "code") else query)
            if "FOR NO KEY UPDATE" in text and "omni_channel" in text:
                events.append("lock")
            return execute(cr, query, params, log_exceptions)

        push = channel_module._push_with_adapter

        def pushed(*args, **kwargs):
            events.append("push")
            return push(*args, **kwargs)

        with (
            patch.object(type(self.env.cr), "execute", spy),
            patch.object(channel_module, "_push_with_adapter", pushed),
        ):
            self.channels._sync_stock_channels("full")
        self.assertEqual(events[0], "lock")
        self.assertEqual(events.count("push"), 2)
