# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
from datetime import datetime, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase
from odoo.tools import mute_logger

from odoo.addons.omni_base.tools import guard
from odoo.addons.omni_order.tests.common import JobsMixin, OmniOrderTestMixin
from odoo.addons.omni_platform.tests.platform_stub import PlatformStub

from ..models.omni_channel import SYNC_LOCK_KEY


class TestStockSync(JobsMixin, OmniOrderTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.channel.write({"stock_ratio": 0.8, "stock_safety_qty": 2})
        cls.Channel = cls.env["omni.channel"]

    def _sellable(self, skus=None):
        return self.Channel.get_sellable_stock("TMALL01", skus)

    def test_formula_ratio_safety_and_bundles(self):
        # tea 100 kg, cups 1000, honey 1000; (free - 2) * 0.8, rounded down
        self.assertEqual(
            self._sellable(),
            {
                "TM-HONEY-500G": 798,  # 998 * 0.8 = 798.4
                "TM-TEA-250G": 313,  # 98 * 0.8 = 78.4 kg / 0.25
                "TM-CUP-SET": 199,  # 798.4 / 4
                "TM-GIFT-BOX": 156,  # scarcest: tea 78.4 / 0.5 = 156.8 (cups would allow 399)
            },
        )
        self.assertEqual(self._sellable(["TM-GIFT-BOX"]), {"TM-GIFT-BOX": 156})

    def test_reserved_stock_is_not_sellable(self):
        [result] = self.env["omni.order"].import_orders(
            "TMALL01",
            [self._order("R1", paid_amount="296", shipping_fee="0",
                         lines=[{"platform_sku": "TM-HONEY-500G", "quantity": "10", "unit_price": "29.6"}])],
        )  # fmt: skip
        self.assertEqual(result["result"], "created", result)
        self.assertEqual(self._sellable(["TM-HONEY-500G"]), {"TM-HONEY-500G": 790})  # (990 - 2) * 0.8

    def test_sold_stock_is_not_sellable_before_it_is_reserved(self):
        """Orders in review, in exception, waiting for their confirmation
        job or confirmed and not reserved are sold: never offered again."""
        self.channel.auto_confirm = False
        honey = [{"platform_sku": "TM-HONEY-500G", "quantity": "10", "unit_price": "29.6"}]
        results = self.env["omni.order"].import_orders(
            "TMALL01",
            [
                self._order("R2", paid_amount="296", shipping_fee="0", lines=honey),
                self._order("R3", paid_amount="296", shipping_fee="0", lines=honey, phone="123"),
            ],
        )
        self.assertEqual([r["result"] for r in results], ["created", "exception"])
        self.assertEqual(self._sellable(["TM-HONEY-500G"]), {"TM-HONEY-500G": 782})  # (980 - 2) * 0.8
        orders = self.env["omni.order"].browse([r["order_id"] for r in results])
        # confirmed without reservation, then reserved: still 20 sold, never 40
        orders.with_context(omni_defer_reservation=True)._confirm_orders(defer_reservation=True)
        self.assertEqual(self._sellable(["TM-HONEY-500G"]), {"TM-HONEY-500G": 782})
        orders._reserve_stock_job()
        self.assertEqual(orders.sale_order_id.picking_ids.mapped("state"), ["assigned"] * 2)
        self.assertEqual(self._sellable(["TM-HONEY-500G"]), {"TM-HONEY-500G": 782})
        orders.action_cancel()
        self.assertEqual(self._sellable(["TM-HONEY-500G"]), {"TM-HONEY-500G": 798})

    def test_negative_and_empty_stock_give_zero(self):
        self.env["stock.quant"]._update_available_quantity(self.honey, self.stock_location, -1005)
        self.assertEqual(self._sellable(["TM-HONEY-500G"]), {"TM-HONEY-500G": 0})
        self.channel.stock_ratio = 1.0
        self.channel.stock_safety_qty = 0
        self.env["stock.quant"]._update_available_quantity(self.cup, self.stock_location, -999)
        self.assertEqual(self._sellable(["TM-CUP-SET"]), {"TM-CUP-SET": 0})  # 1 cup < 4 per set

    def test_other_warehouses_do_not_count(self):
        defective = self.env["stock.warehouse"].create({"name": "Other warehouse", "code": "OTH1"})
        self.env["stock.quant"]._update_available_quantity(self.honey, defective.lot_stock_id, 500)
        self.assertEqual(self._sellable(["TM-HONEY-500G"]), {"TM-HONEY-500G": 798})

    def test_archived_product_is_not_offered(self):
        self.honey.active = False
        self.assertNotIn("TM-HONEY-500G", self._sellable())

    def test_bundle_with_an_archived_component_is_not_offered(self):
        self.cup.active = False
        sellable = self._sellable()
        self.assertNotIn("TM-GIFT-BOX", sellable, "the tea alone would allow 156 gift boxes")
        self.assertNotIn("TM-CUP-SET", sellable)
        self.assertEqual(sellable["TM-TEA-250G"], 313)

    def test_ratio_out_of_range_refused(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.channel.stock_ratio = 1.5
            self.channel.flush_recordset()

    def _configure(self, stub):
        self.channel.write({"adapter_kind": "generic_rest", "api_base_url": stub.url, "api_access_token": "tok"})

    def test_full_then_incremental_sends_only_changes(self):
        with PlatformStub([], access_token="tok") as stub:
            self._configure(stub)
            sync = self.env["omni.stock.sync"].browse(self.Channel.sync_stock("TMALL01", "full"))
            self.assertEqual((sync.state, sync.sku_count, sync.sent_count), ("done", 4, 4))
            self.assertEqual(stub.stock["TM-GIFT-BOX"], 156)
            self.assertEqual(len(sync.line_ids), 4)
            stub.requests.clear()
            again = self.env["omni.stock.sync"].browse(self.Channel.sync_stock("TMALL01", "incremental"))
            self.assertEqual((again.state, again.sent_count), ("done", 0))
            self.assertFalse(stub.requests_for(path="/stock"), "nothing changed, nothing sent")
            self.env["stock.quant"]._update_available_quantity(self.honey, self.stock_location, -100)
            third = self.env["omni.stock.sync"].browse(self.Channel.sync_stock("TMALL01", "incremental"))
            self.assertEqual(third.line_ids.mapped("platform_sku"), ["TM-HONEY-500G"])
            self.assertEqual(stub.stock["TM-HONEY-500G"], 718)  # (900 - 2) * 0.8 = 718.4
        self.assertEqual(third.line_ids.quantity, 718)

    def test_refused_sku_stays_queued_until_it_succeeds(self):
        with PlatformStub([], access_token="tok", stock_refuse={"TM-CUP-SET": "unknown sku"}) as stub:
            self._configure(stub)
            sync = self.env["omni.stock.sync"].browse(self.Channel.sync_stock("TMALL01", "full"))
            self.assertEqual((sync.state, sync.sent_count, sync.failed_count), ("partial", 3, 1))
            failed_line = sync.line_ids.filtered(lambda line: line.state == "failed")
            self.assertEqual((failed_line.platform_sku, failed_line.error), ("TM-CUP-SET", "unknown sku"))
            self.assertEqual(self.channel.stock_failed_sku_count, 1)
            stub.stock_refuse.clear()
            retry = self.env["omni.stock.sync"].browse(self.Channel.sync_stock("TMALL01", "incremental"))
            self.assertEqual(retry.line_ids.mapped("platform_sku"), ["TM-CUP-SET"], "only the failed SKU again")
            self.assertEqual(retry.state, "done")
            self.assertEqual(stub.stock["TM-CUP-SET"], 199)
        self.channel.invalidate_recordset()
        self.assertEqual(self.channel.stock_failed_sku_count, 0)

    def test_platform_down_fails_everything_and_keeps_it_queued(self):
        with PlatformStub([], access_token="tok") as stub:
            self._configure(stub)
            stub.fail_next(3, status=500)  # the 3 attempts of one sync
            sync = self.env["omni.stock.sync"].browse(self.Channel.sync_stock("TMALL01", "incremental"))
            self.assertEqual((sync.state, sync.failed_count), ("failed", 4))
            self.assertIn("500", sync.message)
            retry = self.env["omni.stock.sync"].browse(self.Channel.sync_stock("TMALL01", "incremental"))
            self.assertEqual((retry.state, retry.sent_count), ("done", 4))

    def test_channel_without_api_gets_an_export_file(self):
        sync = self.env["omni.stock.sync"].browse(self.Channel.sync_stock("TMALL01", "full"))
        self.assertEqual(sync.state, "done")
        content = base64.b64decode(sync.with_context(bin_size=False).export_file).decode("utf-8-sig")
        self.assertIn("TM-GIFT-BOX,156", content)
        self.assertEqual(set(sync.line_ids.mapped("state")), {"exported"})

    def test_sync_log_reads_in_the_readers_language(self):
        # the sync runs in English (a job, a cron); a Chinese user reads it in Chinese
        sync = self.env["omni.stock.sync"].browse(self.Channel.sync_stock("TMALL01", "full"))
        self.assertEqual(sync.result_note, "exported")
        self.assertFalse(sync.message)
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["omni_stock"], ["zh_CN"], overwrite=True)
        sync_zh = sync.with_context(lang="zh_CN")
        notes = dict(sync_zh._fields["result_note"]._description_selection(sync_zh.env))
        self.assertEqual(notes["exported"], "无平台接口：已生成导出文件，请手动上传。")
        sync_zh.invalidate_recordset(["name"])
        self.assertIn("全量", sync_zh.name)

    def test_two_syncs_of_one_channel_never_run_at_once(self):
        with self.env.registry.cursor() as other:
            other.execute("SELECT pg_advisory_xact_lock(%s, %s)", [SYNC_LOCK_KEY, self.channel.id])
            with self.assertRaises(UserError) as err:
                self.Channel.sync_stock("TMALL01", "incremental")
            self.assertIn("already running", str(err.exception))
            other.rollback()
        self.Channel.sync_stock("TMALL01", "incremental")  # free again

    def test_bad_mode_refused(self):
        with self.assertRaises(ValidationError):
            self.Channel.sync_stock("TMALL01", "sometimes")

    def test_cron_incremental_and_nightly_full(self):
        with PlatformStub([], access_token="tok") as stub:
            self._configure(stub)
            # 02:00 Shanghai: incremental only
            with freeze_time(datetime(2026, 11, 11, 18, 0)):
                self.Channel._cron_sync_stock()
            [job] = self._jobs("_sync_stock_job")
            self.assertEqual(job.args, ["incremental"])
            with freeze_time(datetime(2026, 11, 11, 18, 0)):
                self._perform_jobs("_sync_stock_job")
            with freeze_time(datetime(2026, 11, 11, 18, 5)):
                self.Channel._cron_sync_stock()
            self.assertFalse(self._jobs("_sync_stock_job"), "not due yet")
            # 03:01 Shanghai: the nightly full sync
            with freeze_time(datetime(2026, 11, 11, 19, 1)):
                self.Channel._cron_sync_stock()
                self.Channel._cron_sync_stock()  # queued once
            [job] = self._jobs("_sync_stock_job")
            self.assertEqual(job.args, ["full"])
            with freeze_time(datetime(2026, 11, 11, 19, 1)):
                self._perform_jobs("_sync_stock_job")
            with freeze_time(datetime(2026, 11, 11, 19, 2) + timedelta(minutes=20)):
                self.Channel._cron_sync_stock()
            self.assertEqual(self._jobs("_sync_stock_job").args, ["incremental"], "full done for tonight")


class TestIncrementalSyncChangeLog(OmniOrderTestMixin, TransactionCase):
    """An incremental sync recomputes only the SKUs whose sellable stock may
    have changed since the last sync (stock_change_log.py), whoever wrote the
    change: the ORM or SQL."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.channel.write({"stock_ratio": 0.8, "stock_safety_qty": 2})
        cls.Channel = cls.env["omni.channel"]

    def setUp(self):
        super().setUp()
        self.stub = self.enterContext(PlatformStub([], access_token="tok"))
        self.channel.write({"adapter_kind": "generic_rest", "api_base_url": self.stub.url, "api_access_token": "tok"})
        self._sync("full")
        self.stub.reset()

    def _sync(self, mode="incremental"):
        return self.env["omni.stock.sync"].browse(self.Channel.sync_stock("TMALL01", mode))

    def test_nothing_changed_nothing_computed(self):
        sync = self._sync()
        self.assertEqual((sync.sku_count, sync.sent_count), (0, 0))

    def test_only_the_skus_of_the_changed_product_are_computed(self):
        self.env["stock.quant"]._update_available_quantity(self.cup, self.stock_location, -500)
        sync = self._sync()
        # the cup set and the gift box (two cups a box); not the tea nor the honey
        self.assertEqual(sync.sku_count, 2)
        self.assertEqual(sorted(sync.line_ids.mapped("platform_sku")), ["TM-CUP-SET"])  # the tea decides the box
        self.assertEqual(self.stub.stock, {"TM-CUP-SET": 99})  # (500 - 2) * 0.8 / 4 = 99.6
        self.assertEqual(self._sync().sku_count, 0, "seen by the last sync")

    def test_quants_and_allocations_written_by_sql_are_seen(self):
        self.channel.auto_confirm = False  # the order stays in review: its stock is allocated, not reserved
        [result] = self.env["omni.order"].import_orders(
            "TMALL01",
            [self._order("SQL1", paid_amount="296", shipping_fee="0",
                         lines=[{"platform_sku": "TM-HONEY-500G", "quantity": "10", "unit_price": "29.6"}])],
        )  # fmt: skip
        self._sync()
        self.assertEqual(self.stub.stock, {"TM-HONEY-500G": 790})
        self.stub.reset()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE stock_quant SET quantity = quantity - 50 WHERE product_id = %s AND location_id = %s",
            [self.tea.id, self.stock_location.id],
        )
        self.env.cr.execute("DELETE FROM omni_order_allocation WHERE order_id = %s", [result["order_id"]])
        self.env.invalidate_all()
        sync = self._sync()
        # tea 50 kg: (50 - 2) * 0.8 = 38.4 kg, 153 bags of 250 g, 76 boxes of 500 g; honey released
        self.assertEqual(self.stub.stock, {"TM-TEA-250G": 153, "TM-GIFT-BOX": 76, "TM-HONEY-500G": 798})
        self.assertEqual(sync.sku_count, 3)

    def test_released_stock_is_pushed(self):
        """An order cancelled: its allocation rows are deleted, no row is
        left to carry a date, the released stock is pushed all the same."""
        [result] = self.env["omni.order"].import_orders(
            "TMALL01",
            [self._order("CL1", paid_amount="296", shipping_fee="0",
                         lines=[{"platform_sku": "TM-HONEY-500G", "quantity": "10", "unit_price": "29.6"}])],
        )  # fmt: skip
        self._sync()
        self.assertEqual(self.stub.stock, {"TM-HONEY-500G": 790})
        self.stub.reset()
        self.env["omni.order"].browse(result["order_id"]).action_cancel()
        sync = self._sync()
        self.assertEqual(self.stub.stock, {"TM-HONEY-500G": 798})
        self.assertEqual(sync.sku_count, 1)

    def test_relation_table_changes_are_seen(self):
        mapping = self.env["omni.product.mapping"].search(
            [("platform_sku", "=", "TM-CUP-SET"), ("channel_id", "=", self.channel.id)]
        )
        mapping.quantity = 2
        self.env["omni.product.mapping"].create(
            {"channel_id": self.channel.id, "platform_sku": "TM-CUP-SINGLE", "product_id": self.cup.id, "quantity": 1}
        )
        self._sync()
        self.assertEqual(self.stub.stock, {"TM-CUP-SET": 399, "TM-CUP-SINGLE": 798})

    def test_archived_product_stops_its_skus_and_restored_sends_them(self):
        self.honey.active = False
        sync = self._sync()
        self.assertEqual((sync.sku_count, self.stub.stock), (0, {}), "not offered, nothing sent")
        self.env["stock.quant"]._update_available_quantity(self.honey, self.stock_location, -100)
        self.honey.active = True
        self._sync()
        self.assertEqual(self.stub.stock, {"TM-HONEY-500G": 718})

    def test_new_share_recomputes_every_sku(self):
        self.channel.stock_ratio = 0.5
        sync = self._sync()
        self.assertEqual(sync.sku_count, 4)
        self.assertEqual(self.stub.stock["TM-HONEY-500G"], 499)

    def test_stale_snapshot_recomputes_every_sku(self):
        guard.internal(self.channel).write(
            {
                "last_incremental_sync_at": fields.Datetime.now() - timedelta(hours=13),
                "last_full_sync_at": fields.Datetime.now() - timedelta(hours=13),
            }
        )
        self.assertEqual(self._sync().sku_count, 4)

    def test_failed_sku_is_recomputed_until_accepted(self):
        self.env["stock.quant"]._update_available_quantity(self.honey, self.stock_location, -100)
        self.stub.stock_refuse["TM-HONEY-500G"] = "busy"
        self.assertEqual(self._sync().failed_count, 1)
        self.stub.stock_refuse.clear()
        sync = self._sync()
        self.assertEqual((sync.sku_count, sync.sent_count), (1, 1))
        self.assertEqual(self.stub.stock["TM-HONEY-500G"], 718)

    def test_cron_forgets_changes_older_than_the_log_keeps(self):
        self.env["stock.quant"]._update_available_quantity(self.honey, self.stock_location, -1)
        self.env.flush_all()
        self.env.cr.execute(
            "INSERT INTO omni_stock_change (product_id, created_at)"
            " VALUES (%s, (now() AT TIME ZONE 'UTC') - interval '25 hours') RETURNING seq",
            [self.cup.id],
        )
        [old] = self.env.cr.fetchone()
        self.Channel._cron_sync_stock()
        self.env.cr.execute("SELECT seq FROM omni_stock_change WHERE seq = %s", [old])
        self.assertFalse(self.env.cr.fetchall(), "older than 24 hours: forgotten")
        self.env.cr.execute("SELECT 1 FROM omni_stock_change WHERE product_id = %s", [self.honey.id])
        self.assertTrue(self.env.cr.fetchall(), "the change of this transaction is kept")

    def _seen_by_last_sync(self, snapshot):
        """Make the last sync's snapshot ``snapshot`` ('xmin:xmax:xip'), as
        if another transaction had run it, having read the whole log."""
        self.env.flush_all()
        self.env.cr.execute("SELECT last_value FROM omni_stock_change_seq_seq")
        [seq] = self.env.cr.fetchone()
        guard.internal(self.channel).write({"stock_change_snapshot": f"{snapshot}|1|{seq}"})

    def test_changes_of_transactions_the_last_sync_did_not_see_are_computed(self):
        """A transaction still running when the last sync read the log, or
        started after it, commits later: its changes are computed next time,
        whatever the row numbers say (here: this test's transaction plays
        that other transaction)."""
        self.env["stock.quant"]._update_available_quantity(self.honey, self.stock_location, -100)
        self.env.flush_all()
        self.env.cr.execute("SELECT pg_current_xact_id()::text::bigint")
        [xid] = self.env.cr.fetchone()
        for snapshot in (f"{xid}:{xid + 1}:{xid}", f"{xid}:{xid}:"):  # running then / started after
            with self.subTest(snapshot=snapshot):
                self.stub.reset()
                self.env["omni.stock.sku.state"].search([("platform_sku", "=", "TM-HONEY-500G")]).unlink()
                self._seen_by_last_sync(snapshot)
                sync = self._sync()
                self.assertIn("TM-HONEY-500G", sync.line_ids.mapped("platform_sku"))
                self.assertEqual(self.stub.stock["TM-HONEY-500G"], 718)
        # committed before the last sync's snapshot: seen, nothing computed
        self._seen_by_last_sync(f"{xid + 1}:{xid + 1}:")
        self.assertEqual(self._sync().sku_count, 0)
