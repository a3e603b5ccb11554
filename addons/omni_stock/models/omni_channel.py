# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import csv
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import psycopg2
import pytz

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.omni_base.tools import guard
from odoo.addons.omni_order.models.omni_order_allocation import planner_settings, refresh_statistics
from odoo.addons.omni_platform.platforms import PlatformError
from odoo.addons.queue_job.exception import RetryableJobError

from .stock_change_log import KEEP_HOURS, VALID_HOURS

# the plan of a sync's statements, whatever the statistics say (they know neither the arrays passed
# nor, right after an import or a burst, the tables' new rows): every look-up into a large table is
# an index look-up per row (LATERAL ... OFFSET 0: not flattened into a join), every other join a hash
# join; no JIT compilation. Planned on the estimates, the statement of 8 channels ran 16.6 s (nested
# loops over aggregates it took for one row; 0.26 s of JIT compiling) where this plan takes 0.3 s
SYNC_PLANNER = {"enable_nestloop": "off", "jit": "off"}
# the tables a sync's statements read, analysed when a bulk write made their statistics stale (the SKU
# states: by the sync that added them, at its end; the updates of a sync change no plan)
STATISTICS_TABLES = ("omni_product_mapping", "omni_stock_change", "stock_quant")

_logger = logging.getLogger(__name__)

# first key of the advisory lock taken while a channel's stock is synced
SYNC_LOCK_KEY = 7_146_001
# key of the transaction's changed stock in cr.precommit.data
PUSH_DIRTY_KEY = "omni_stock.changed"
# channels whose pushes run at once in a sync of several channels (_sync_stock_channels)
PUSH_WORKERS = 8


def _push_with_adapter(adapter, to_send, label):
    """({sku: None | error}, result note, the platform's error text) of
    pushing ``to_send`` through ``adapter`` (closed after). Pure HTTP, no
    Odoo: it may run in a thread of its own."""
    try:
        with adapter:
            results = adapter.push_stock(to_send)
            return results, "error" if any(results.values()) else False, False
    except PlatformError as err:
        done = getattr(err, "partial_results", None) or {}
        results = {sku: done[sku] if sku in done else str(err) for sku in to_send}
        _logger.warning("Stock sync of %s failed: %s", label, err)
        return results, "error", str(err)


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    stock_ratio = fields.Float(
        string="Stock Share",
        default=1.0,
        digits=(4, 4),
        help="Share of the sellable stock offered on this channel, e.g. 0.8 for 80 %.",
    )
    stock_safety_qty = fields.Float(
        string="Safety Quantity",
        digits="Product Unit of Measure",
        help="Kept back from every product before the share is applied.",
    )
    stock_sync_interval = fields.Integer(string="Incremental Sync Every (minutes)", default=15)
    stock_full_sync_hour = fields.Float(string="Full Sync At", default=3.0, help="Local time, every night.")
    stock_push_on_change = fields.Boolean(
        string="Push on Stock Change",
        default=True,
        help="A stock change of a product sold here (delivery, receipt, order allocated or released) queues an "
        "incremental sync of this channel, run after the delay below: the changes of that delay go in one push.",
    )
    stock_push_delay = fields.Integer(
        string="Push Delay (seconds)",
        default=20,
        help="Seconds between the first stock change and its push; the changes made meanwhile wait for the "
        "same push.",
    )
    last_incremental_sync_at = fields.Datetime(readonly=True)
    last_full_sync_at = fields.Datetime(readonly=True)
    stock_change_snapshot = fields.Char(
        readonly=True,
        copy=False,
        help="Technical: the transactions the last stock sync saw (a PostgreSQL snapshot); the next incremental "
        "sync recomputes the SKUs that the others changed.",
    )
    stock_failed_sku_count = fields.Integer(compute="_compute_stock_failed_sku_count", string="SKUs Failing")
    last_stock_sync_id = fields.Many2one("omni.stock.sync", compute="_compute_last_stock_sync_id")
    last_stock_sync_state = fields.Selection(
        selection=lambda self: self.env["omni.stock.sync"]._fields["state"].selection,
        compute="_compute_last_stock_sync_id",
        string="Last Stock Sync Result",
    )

    _sql_constraints = [
        ("stock_ratio_range", "CHECK(stock_ratio >= 0 AND stock_ratio <= 1)", "The stock share is between 0 and 1."),
        ("stock_push_delay_positive", "CHECK(stock_push_delay >= 0)", "The push delay is not negative."),
    ]

    def _compute_stock_failed_sku_count(self):
        counts = dict(
            self.env["omni.stock.sku.state"]._read_group(
                [("channel_id", "in", self.ids), ("failed", "=", True)], ["channel_id"], ["__count"]
            )
        )
        for channel in self:
            channel.stock_failed_sku_count = counts.get(channel, 0)

    def _compute_last_stock_sync_id(self):
        last = dict(
            self.env["omni.stock.sync"]._read_group([("channel_id", "in", self.ids)], ["channel_id"], ["id:max"])
        )
        for channel in self:
            channel.last_stock_sync_id = last.get(channel, False)
            channel.last_stock_sync_state = channel.last_stock_sync_id.state

    def action_open_last_stock_sync(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "omni.stock.sync",
            "res_id": self.last_stock_sync_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # --- sellable stock ---------------------------------------------------------
    @api.model
    def get_sellable_stock(self, channel_code, platform_skus=None):
        """XML-RPC: {platform_sku: quantity} the channel may sell: free
        quantity (on hand minus reserved minus what platform orders of every
        channel allocated and is not reserved yet) in the channel's
        warehouse, minus the safety quantity, times the share, rounded down,
        never negative; a bundle gives what its scarcest component allows."""
        channel = self._get_by_code(channel_code)
        return channel._sellable_quantities(platform_skus)

    def _sellable_quantities(self, platform_skus=None):
        """{platform_sku: sellable quantity} of the channel's SKUs (all, or
        ``platform_skus``); the caller needs read access to the quants."""
        self.ensure_one()
        self.env["stock.quant"].check_access("read")
        return dict(self._compute_sellable(None if platform_skus is None else list(platform_skus)))

    def _compute_sellable(self, skus, compare=False):
        """[(platform_sku, quantity)] of the channel's SKUs (all, or the list
        ``skus``), computed by :meth:`_compute_sellable_channels`.
        ``compare``: [(platform_sku, quantity, to_send)], to_send when the
        platform has not accepted that quantity (never sent, failed or
        different)."""
        self.ensure_one()
        rows = self._compute_sellable_channels({self.id: skus}, compare=compare)
        if compare:
            return [(sku, quantity, send) for _channel, sku, quantity, send, *_previous in rows]
        return [(sku, quantity) for _channel, sku, quantity in rows]

    def _compute_sellable_channels(self, skus, compare=False):
        """[(channel id, platform_sku, quantity)] of the SKUs of the channels
        of ``self``, ``skus`` saying which ({channel id: list of SKUs, or None
        for all of them}), in one statement whatever the number of channels:
        free quantity (on hand minus reserved in the channel warehouse's
        stock location and below, minus what platform orders of every
        channel and company allocated there and is not reserved yet), minus
        the channel's safety quantity, times its share, floored, never
        negative; a bundle gives what its scarcest component allows; a SKU
        with an archived product is left out. In float8 like the Python
        formula it replaced (same IEEE operations in the same order: the
        same result to the unit).

        The SKUs are passed as arrays, never joined to the relation table,
        so that the plan stays linear when the statistics do not know the
        channels' rows yet, e.g. right after a relation table was imported
        (a self-join planned for one row ran for minutes).

        ``compare``: [(channel id, platform_sku, quantity, to_send, known,
        last_quantity, last_sent_at)]: to_send when the platform has not
        accepted that quantity (never sent, failed or different); known,
        last_quantity and last_sent_at: the SKU state before this sync (a
        failed push puts them back, _record_sync_failures)."""
        for channel in self:
            if not channel.warehouse_id:
                raise ValidationError(self.env._("Channel %(channel)s has no warehouse.", channel=channel.display_name))
        self.env.flush_all()
        listed = [(channel.id, sku) for channel in self if skus[channel.id] is not None for sku in skus[channel.id]]
        computed = SQL(
            """
            WITH ch AS (
                SELECT * FROM unnest(%(ids)s::int[], %(warehouses)s::int[], %(paths)s::varchar[],
                                     %(safety)s::float8[], %(ratio)s::float8[])
                           AS ch(id, warehouse_id, path, safety, ratio)
            ),
            parts AS MATERIALIZED (
                SELECT k.channel_id, mp.platform_sku, mp.product_id, mp.quantity::float8 AS quantity, p.active
                  FROM unnest(%(listed_channels)s::int[], %(listed_skus)s::varchar[]) AS k(channel_id, platform_sku)
                 CROSS JOIN LATERAL (
                       SELECT mp.platform_sku, mp.product_id, mp.quantity FROM omni_product_mapping mp
                        WHERE mp.channel_id = k.channel_id AND mp.platform_sku = k.platform_sku AND mp.active
                       OFFSET 0
                 ) mp
                 CROSS JOIN LATERAL (SELECT p.active FROM product_product p WHERE p.id = mp.product_id OFFSET 0) p
                 UNION ALL
                SELECT mp.channel_id, mp.platform_sku, mp.product_id, mp.quantity::float8 AS quantity, p.active
                  FROM omni_product_mapping mp
                  JOIN product_product p ON p.id = mp.product_id
                 WHERE mp.channel_id = ANY(%(everything)s::int[]) AND mp.active
            ),
            locations AS MATERIALIZED (
                SELECT w.warehouse_id, loc.id AS location_id
                  FROM (SELECT DISTINCT warehouse_id, path FROM ch) w
                  JOIN stock_location loc ON loc.parent_path LIKE w.path
            ),
            products AS MATERIALIZED (
                SELECT DISTINCT ch.warehouse_id, parts.product_id FROM parts JOIN ch ON ch.id = parts.channel_id
            ),
            quants AS (
                SELECT pr.warehouse_id, pr.product_id,
                       SUM(q.quantity)::float8 AS quantity, SUM(q.reserved_quantity)::float8 AS reserved
                  FROM products pr
                 CROSS JOIN LATERAL (
                       SELECT q.location_id, q.quantity, q.reserved_quantity FROM stock_quant q
                        WHERE q.product_id = pr.product_id
                       OFFSET 0
                 ) q
                  JOIN locations l ON l.warehouse_id = pr.warehouse_id AND l.location_id = q.location_id
                 GROUP BY pr.warehouse_id, pr.product_id
            ),
            allocated AS (
                SELECT pr.warehouse_id, pr.product_id, SUM(a.quantity)::float8 AS quantity
                  FROM products pr
                 CROSS JOIN LATERAL (
                       SELECT a.quantity FROM omni_order_allocation a
                        WHERE a.product_id = pr.product_id AND a.warehouse_id = pr.warehouse_id
                       OFFSET 0
                 ) a
                 GROUP BY pr.warehouse_id, pr.product_id
            ),
            free AS (
                SELECT pr.warehouse_id, pr.product_id,
                       COALESCE(quants.quantity, 0) - COALESCE(quants.reserved, 0)
                       - COALESCE(allocated.quantity, 0) AS free
                  FROM products pr
                  LEFT JOIN quants ON quants.warehouse_id = pr.warehouse_id AND quants.product_id = pr.product_id
                  LEFT JOIN allocated
                    ON allocated.warehouse_id = pr.warehouse_id AND allocated.product_id = pr.product_id
            ),
            computed AS (
                SELECT parts.channel_id, parts.platform_sku,
                       GREATEST(0, FLOOR(MIN(GREATEST(0::float8, (free.free - ch.safety) * ch.ratio) / parts.quantity)
                                         + 1e-6::float8))::int AS quantity
                  FROM parts
                  JOIN ch ON ch.id = parts.channel_id
                  JOIN free ON free.warehouse_id = ch.warehouse_id AND free.product_id = parts.product_id
                 GROUP BY parts.channel_id, parts.platform_sku
                HAVING bool_and(parts.active)
            )
            SELECT c.channel_id, c.platform_sku, c.quantity %(compared)s
              FROM computed c %(states)s
            """,
            ids=self.ids,
            warehouses=[channel.warehouse_id.id for channel in self],
            paths=[channel.warehouse_id.lot_stock_id.parent_path + "%" for channel in self],
            safety=[float(channel.stock_safety_qty) for channel in self],
            ratio=[float(channel.stock_ratio) for channel in self],
            listed_channels=[channel_id for channel_id, _sku in listed],
            listed_skus=[sku for _channel, sku in listed],
            everything=[channel.id for channel in self if skus[channel.id] is None],
            compared=SQL(
                """, st.id IS NULL OR st.failed OR st.last_quantity IS DISTINCT FROM c.quantity,
                     st.id IS NOT NULL, st.last_quantity, st.last_sent_at"""
            )
            if compare
            else SQL(),
            states=SQL(
                """LEFT JOIN LATERAL (
                       SELECT st.id, st.failed, st.last_quantity, st.last_sent_at FROM omni_stock_sku_state st
                        WHERE st.channel_id = c.channel_id AND st.platform_sku = c.platform_sku
                       OFFSET 0
                   ) st ON true"""
            )
            if compare
            else SQL(),
        )
        with planner_settings(self.env.cr, **SYNC_PLANNER):
            self.env.cr.execute(computed)
            return self.env.cr.fetchall()

    # --- write-back ---------------------------------------------------------------
    @api.model
    def sync_stock(self, channel_code, mode):
        """XML-RPC: push the channel's sellable stock ('incremental': only
        SKUs changed since the last successful push, and those still failing;
        'full': all). Returns the id of the omni.stock.sync log."""
        if mode not in ("incremental", "full"):
            raise ValidationError(self.env._("Mode must be 'incremental' or 'full', not %(mode)r.", mode=mode))
        return self._get_by_code(channel_code)._sync_stock(mode).id

    def action_sync_stock_full(self):
        self.ensure_one()
        sync = self._sync_stock("full")
        return {"type": "ir.actions.act_window", "res_model": "omni.stock.sync", "res_id": sync.id, "view_mode": "form"}

    def _lock_for_sync(self):
        """Two syncs of one channel never run at once: the second is refused
        (a transaction-level advisory lock, released at commit/rollback)."""
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [SYNC_LOCK_KEY, self.id])
        if not self.env.cr.fetchone()[0]:
            raise UserError(self.env._("A stock sync of %(channel)s is already running.", channel=self.display_name))

    def _sync_stock(self, mode):
        self.ensure_one()
        self._lock_for_sync()
        return self._sync_locked(mode, workers=1)

    def _sync_stock_channels(self, mode, workers=PUSH_WORKERS):
        """Sync the stock of the channels of ``self`` at once (the cron's
        incremental job): every channel computed in one statement, then the
        pushes of all channels at the same time (the platforms are separate
        servers: a channel's push waits on its platform, not on the others),
        at most ``workers`` at once, each channel's batches one after the
        other as its own sync sends them (:meth:`_sync_locked`). A channel
        another sync holds is left to it (warning in the log). Returns the
        omni.stock.sync logs.

        Why: the incremental syncs of 8 channels of 50,000 SKUs ran one after
        the other (one job each on root.omni_sync:1), 1.59 s of which 0.50 s
        waiting on the stand-in platform's answers one call at a time."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM unnest(%s::int[]) WITH ORDINALITY AS c(id, n)"
                " WHERE pg_try_advisory_xact_lock(%s, c.id) ORDER BY n",
                self.ids,
                SYNC_LOCK_KEY,
            )
        )
        locked = {channel_id for (channel_id,) in self.env.cr.fetchall()}
        for channel in self.filtered(lambda channel: channel.id not in locked):
            _logger.warning("Stock sync of %s skipped: another sync of it is running", channel.display_name)
        return self.filtered(lambda channel: channel.id in locked)._sync_locked(mode, workers=workers)

    def _sync_locked(self, mode, workers=PUSH_WORKERS):
        """Sync the channels of ``self`` (each locked by this transaction):
        what each must send, computed in one statement for all of them
        (:meth:`_sync_prepare`); the pushes to the platforms in threads (pure
        HTTP, at most ``workers`` at once) while this thread writes the log
        lines and SKU states as if every SKU was accepted, in one statement;
        once the platforms answered, the SKUs they refused are put back
        (:meth:`_record_sync_failures`: failed, with the state they had);
        then each log's totals. All in this transaction: a sync that fails
        after its pushes leaves the states as they were and its change-log
        rows unconsumed, and the next sync computes those SKUs again; it
        sends only those whose quantity differs from the state, so a push
        the platform accepted in a transaction that then rolled back is
        corrected by the next full sync at the latest. To keep that rare,
        the channels' rows (which the sync writes at its end, and order
        pulls and users write too) are locked before anything is computed:
        a write committed since this transaction's snapshot fails it here,
        before any push, and later writers wait for the sync instead of
        making it fail after its pushes.

        Why: 8 channels x 50,000 SKUs, 5 % of the products changed, ~18,500
        SKUs to send: one statement per channel, then the logs after the
        pushes took 1.35 CPU seconds (Odoo and PostgreSQL) and 2.13 s on the
        clock at a load of 4 to 8 on 2 cores; this way 0.96 CPU seconds and
        1.56 s, the writing of the logs hidden behind the pushes (the
        README's stock_sync section gives the runs)."""
        syncs = self.env["omni.stock.sync"]
        if not self:
            return syncs
        # what this transaction changed before the sync is part of what it sees;
        # a relation table just imported: the plans below are made on current
        # statistics (the full sync of 8 x 50,000 SKUs right after their 440,000
        # relation rows were imported took 437 s, 74 s once autovacuum had
        # analysed them)
        self.env.flush_all()
        # see above: a serialization failure now, before the pushes, not after them
        self.env.cr.execute(
            SQL("SELECT id FROM omni_channel WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE", self.ids)
        )
        refresh_statistics(self.env, dict.fromkeys(STATISTICS_TABLES, 1))
        prepared = self._sync_prepare(mode)
        # adapters are built here (they read the channels' credentials): the threads only talk HTTP
        pushes = {
            channel: channel._get_adapter()
            for channel, prep in prepared.items()
            if prep["to_send"] and channel.adapter_kind
        }
        outcomes = {}
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(pushes))), thread_name_prefix="omni-push") as pool:
            futures = {
                channel: pool.submit(_push_with_adapter, adapter, prepared[channel]["to_send"], channel.display_name)
                for channel, adapter in pushes.items()
            }
            for channel, prep in prepared.items():
                if channel not in pushes:  # nothing to send, or an export file
                    outcomes[channel] = channel._push_quantities(prep["to_send"], prep["sync"])
            self._record_syncs([(channel, prep["sync"], prep["to_send"]) for channel, prep in prepared.items()])
            for channel, future in futures.items():
                outcomes[channel] = future.result()
        self._record_sync_failures(
            [
                (channel, prep["sync"], {sku: error for sku, error in outcomes[channel][0].items() if error},
                 prep["previous"])
                for channel, prep in prepared.items()
            ]
        )  # fmt: skip
        for channel, prep in prepared.items():
            syncs |= channel._sync_finish(prep, *outcomes[channel])
        # the SKU states a sync adds (a channel's first sync): the next plans know
        # them; the updates of the known ones change no plan, and no statement of
        # a sync reads the lines (autovacuum keeps them), analysed with the states
        added = sum(len(prep["to_send"]) - len(prep["previous"]) for prep in prepared.values())
        refresh_statistics(self.env, {"omni_stock_sku_state": added, "omni_stock_sync_line": added})
        return syncs

    def _sync_prepare(self, mode):
        """{channel: what its sync sends}, for the channels of ``self``
        (locked): their logs, what the sync sees of the change log, the SKUs
        each sends ({sku: quantity}: all in a full sync, those the platform
        has not accepted in an incremental one) and the state those SKUs had
        ({sku: (last quantity, last sent at)}, for the known ones)."""
        now = fields.Datetime.now()
        # the sync logs are written by these methods only: their records carry the marker until they return
        logs = guard.internal(self.env["omni.stock.sync"]).create(
            [{"channel_id": channel.id, "mode": mode, "started_at": now} for channel in self]
        )
        self.env.flush_all()
        snapshot = self._stock_change_snapshot()
        skus = dict.fromkeys(self.ids) if mode == "full" else self._stock_skus_to_compute_channels()
        prepared = {
            channel: {"mode": mode, "now": now, "sync": sync, "snapshot": snapshot, "computed": 0, "to_send": {},
                      "previous": {}}
            for channel, sync in zip(self, logs, strict=True)
        }  # fmt: skip
        by_id = {channel.id: prep for channel, prep in prepared.items()}
        full = mode == "full"
        for channel_id, sku, quantity, send, known, last_quantity, last_sent_at in self._compute_sellable_channels(
            skus, compare=True
        ):
            prep = by_id[channel_id]
            prep["computed"] += 1
            if send or full:
                prep["to_send"][sku] = quantity
                if known:
                    prep["previous"][sku] = (last_quantity, last_sent_at)
        return prepared

    def _sync_finish(self, prepared, results, note, message):
        """The end of a sync: the log's totals and what the channel's next
        sync starts from (the log lines and SKU states are written by then)."""
        self.ensure_one()
        sync, to_send = prepared["sync"], prepared["to_send"]
        failed = [sku for sku, error in results.items() if error]
        sync.write(
            {
                "state": "failed" if to_send and len(failed) == len(to_send) else "partial" if failed else "done",
                "finished_at": fields.Datetime.now(),
                "sku_count": prepared["computed"],
                "sent_count": len(to_send) - len(failed),
                "failed_count": len(failed),
                "result_note": note,
                "message": message,
            }
        )
        guard.internal(self).write(
            {
                "last_full_sync_at" if prepared["mode"] == "full" else "last_incremental_sync_at": prepared["now"],
                "stock_change_snapshot": prepared["snapshot"],
            }
        )
        return sync.with_env(self.env)

    def _stock_change_snapshot(self):
        """What this sync sees of the change log: '<pg_snapshot>|<its
        transaction>|<last row number>' (stock_change_log.py)."""
        self.env.cr.execute(
            "SELECT pg_current_snapshot()::text, pg_current_xact_id()::text,"
            " (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM omni_stock_change_seq_seq)::text"
        )
        return "|".join(self.env.cr.fetchone())

    def _stock_skus_to_compute(self):
        """The channel's SKUs whose sellable quantity may have changed since
        the last sync, or None (:meth:`_stock_skus_to_compute_channels`)."""
        self.ensure_one()
        return self._stock_skus_to_compute_channels()[self.id]

    def _stock_skus_to_compute_channels(self):
        """{channel id: its SKUs whose sellable quantity may have changed
        since its last sync (stock_change_log.py) and those still failing},
        for the channels of ``self``, in one statement; None (all of them)
        without a usable snapshot of the last sync (none yet, or older than
        the log keeps), or after a change of the channel's settings or of
        the location tree."""
        skus, groups = {}, {}
        too_old = fields.Datetime.now() - timedelta(hours=VALID_HOURS)
        for channel in self:
            last_sync = max(filter(None, [channel.last_incremental_sync_at, channel.last_full_sync_at]), default=None)
            if not channel.stock_change_snapshot or not last_sync or last_sync < too_old:
                skus[channel.id] = None
            else:  # channels synced together share their snapshot: the log is read once for them
                groups.setdefault(channel.stock_change_snapshot, []).append(channel.id)
                skus[channel.id] = []
        if not groups:
            return skus
        # the rows written after the last sync read the log, and those of the
        # transactions its snapshot did not see (running then, or started since)
        # written before: index look-ups only, however old the oldest running
        # transaction of the server (its snapshot's xmin) is
        unseen = SQL(" UNION ALL ").join(
            SQL(
                """SELECT %(channels)s::int[] AS sync_channels, product_id, channel_id, platform_sku
                     FROM omni_stock_change
                    WHERE seq > %(seq)s
                       OR (xid != %(xid)s::xid8
                           AND (xid = ANY(%(running)s::xid8[])
                                OR xid >= pg_snapshot_xmax(%(snapshot)s::pg_snapshot)))""",
                channels=channel_ids,
                snapshot=stored.split("|")[0],
                # the snapshot's running transactions ('xmin:xmax:xip,...'), as a constant the planner counts
                running=[xid for xid in stored.split("|")[0].split(":")[2].split(",") if xid],
                xid=stored.split("|")[1],
                seq=int(stored.split("|")[2]),
            )
            for stored, channel_ids in groups.items()
        )
        query = SQL(
            """WITH unseen AS MATERIALIZED (%(unseen)s),
                   per_channel AS MATERIALIZED (
                       SELECT s.id AS sync_channel, u.product_id, u.channel_id, u.platform_sku
                         FROM unseen u CROSS JOIN LATERAL unnest(u.sync_channels) AS s(id)
                   )
                   -- a change of the channel's settings or of the location tree: every SKU (NULL)
                   SELECT DISTINCT sync_channel, NULL::varchar FROM per_channel
                    WHERE product_id IS NULL AND platform_sku IS NULL
                      AND (channel_id IS NULL OR channel_id = sync_channel)
                   UNION ALL
                   (SELECT u.sync_channel, mp.platform_sku
                      FROM (SELECT DISTINCT sync_channel, product_id FROM per_channel
                             WHERE product_id IS NOT NULL) u
                     CROSS JOIN LATERAL (
                           SELECT mp.platform_sku FROM omni_product_mapping mp
                            WHERE mp.product_id = u.product_id AND mp.channel_id = u.sync_channel AND mp.active
                           OFFSET 0
                     ) mp
                    UNION
                    SELECT sync_channel, platform_sku FROM per_channel
                     WHERE channel_id = sync_channel AND platform_sku IS NOT NULL
                    UNION
                    SELECT channel_id, platform_sku FROM omni_stock_sku_state
                     WHERE channel_id = ANY(%(channels)s) AND failed)""",
            unseen=unseen,
            channels=[channel_id for channel_ids in groups.values() for channel_id in channel_ids],
        )
        with planner_settings(self.env.cr, **SYNC_PLANNER):
            self.env.cr.execute(query)
            rows = self.env.cr.fetchall()
        everything = set()
        for channel_id, sku in rows:
            if sku is None:
                everything.add(channel_id)
            else:
                skus[channel_id].append(sku)
        skus.update(dict.fromkeys(everything))
        return skus

    def _push_quantities(self, to_send, sync):
        """({sku: None | error}, result note, the platform's error text).
        Channels without an API get an export file on the log instead. The
        note is a code shown in the reader's language, never a sentence
        stored in the language of whoever ran the sync."""
        if not to_send:
            return {}, "nothing", False
        if not self.adapter_kind:
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(["平台商家编码", "可售数量"])
            writer.writerows(sorted(to_send.items()))
            sync.write(
                {
                    "export_file": base64.b64encode(buffer.getvalue().encode("utf-8-sig")),
                    "export_filename": f"stock_{self.code}_{fields.Datetime.now():%Y%m%d_%H%M}.csv",
                }
            )
            return dict.fromkeys(to_send), "exported", False
        return _push_with_adapter(self._get_adapter(), to_send, self.display_name)

    @api.model
    def _record_syncs(self, entries):
        """Log lines and SKU states of the syncs ``entries`` ([(channel, sync,
        to_send)]) as if the platforms accepted every SKU (sent, or exported
        for a channel without an API), in one statement from arrays,
        whatever the number of channels; the refused SKUs are put back
        after (:meth:`_record_sync_failures`). Run while the pushes wait on
        the platforms (_sync_locked).

        Why one statement from arrays: a multi-row VALUES quoted row by row
        in Python took half of an incremental sync's time; the lines carry
        no create/write user (the sync log does): a foreign-key check per
        line and per column spared."""
        entries = [entry for entry in entries if entry[2]]
        if not entries:
            return
        self.env.flush_all()
        syncs, skus, quantities = [], [], []
        for _channel, sync, to_send in entries:
            syncs.extend([sync.id] * len(to_send))
            skus.extend(to_send)
            quantities.extend(to_send.values())
        uid, now = self.env.uid, fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """WITH s AS (
                       SELECT * FROM unnest(%(sync_ids)s::int[], %(channels)s::int[], %(companies)s::int[],
                                            %(line_states)s::varchar[])
                                  AS s(sync_id, channel_id, company_id, line_state)
                   ),
                   u AS (
                       SELECT s.*, u.platform_sku, u.quantity
                         FROM unnest(%(syncs)s::int[], %(skus)s::varchar[], %(quantities)s::int[])
                                AS u(sync_id, platform_sku, quantity)
                         JOIN s ON s.sync_id = u.sync_id
                   ),
                   lines AS (
                       INSERT INTO omni_stock_sync_line (sync_id, company_id, platform_sku, quantity, state,
                                                         create_date, write_date)
                       SELECT sync_id, company_id, platform_sku, quantity, line_state, %(now)s, %(now)s FROM u
                   )
                   INSERT INTO omni_stock_sku_state (channel_id, company_id, platform_sku, last_quantity,
                                                     last_sent_at, failed, create_uid, write_uid, create_date,
                                                     write_date)
                   SELECT channel_id, company_id, platform_sku, quantity, %(now)s, false,
                          %(uid)s, %(uid)s, %(now)s, %(now)s
                     FROM u
                   ON CONFLICT (channel_id, platform_sku) DO UPDATE SET
                      last_quantity = EXCLUDED.last_quantity, last_sent_at = EXCLUDED.last_sent_at,
                      failed = false, error = NULL, write_date = EXCLUDED.write_date,
                      write_uid = EXCLUDED.write_uid""",
                sync_ids=[sync.id for _channel, sync, _to_send in entries],
                channels=[channel.id for channel, _sync, _to_send in entries],
                companies=[channel.company_id.id for channel, _sync, _to_send in entries],
                line_states=["sent" if channel.adapter_kind else "exported" for channel, _sync, _to_send in entries],
                syncs=syncs,
                skus=skus,
                quantities=quantities,
                uid=uid,
                now=now,
            )
        )
        self.env.invalidate_all()

    @api.model
    def _record_sync_failures(self, entries):
        """The SKUs the platforms refused in the syncs ``entries`` ([(channel,
        sync, {sku: error}, {sku: (last quantity, last sent at)} before the
        sync)]), after :meth:`_record_syncs`: their lines failed with the
        platform's error; their states failed, keeping what the platform
        last accepted (none for a SKU it never accepted)."""
        rows = [
            (sync.id, channel.id, sku, error, sku in previous, *previous.get(sku, (None, None)))
            for channel, sync, failed, previous in entries
            for sku, error in failed.items()
        ]
        if not rows:
            return
        self.env.flush_all()
        columns = list(map(list, zip(*rows, strict=True)))
        # the lines of these syncs by hash: a nested loop would read every
        # line of a sync per refused SKU (a platform down in a full sync:
        # 50,000 x 50,000)
        with planner_settings(self.env.cr, enable_nestloop="off"):
            self.env.cr.execute(
                SQL(
                    """WITH f AS (
                           SELECT * FROM unnest(%s::int[], %s::varchar[], %s::varchar[])
                                      AS f(sync_id, platform_sku, error)
                       )
                       UPDATE omni_stock_sync_line line SET state = 'failed', error = f.error
                         FROM f
                        WHERE line.sync_id = ANY(%s) AND line.sync_id = f.sync_id
                          AND line.platform_sku = f.platform_sku""",
                    columns[0],
                    columns[2],
                    columns[3],
                    sorted(set(columns[0])),
                )
            )
        self.env.cr.execute(
            SQL(
                """WITH f AS (
                       SELECT * FROM unnest(%s::int[], %s::varchar[], %s::varchar[], %s::bool[], %s::int[],
                                            %s::timestamp[])
                                  AS f(channel_id, platform_sku, error, known, last_quantity, last_sent_at)
                   )
                   UPDATE omni_stock_sku_state st
                      SET failed = true, error = f.error,
                          last_quantity = CASE WHEN f.known THEN f.last_quantity END,
                          last_sent_at = CASE WHEN f.known THEN f.last_sent_at END
                     FROM f WHERE st.channel_id = f.channel_id AND st.platform_sku = f.platform_sku""",
                *columns[1:],
            )
        )
        self.env.invalidate_all()

    # --- debounced push on change --------------------------------------------------
    @api.model
    def _omni_stock_changed(self, locations=(), warehouses=()):
        """Stock changed in this transaction: (product, location) of quants,
        (product, warehouse) of allocations. Only kept in memory here; at
        commit, one query finds the channels selling these products from
        that warehouse and each gets one debounced push (_queue_stock_push)."""
        data = self.env.cr.precommit.data
        changed = data.get(PUSH_DIRTY_KEY)
        if changed is None:
            changed = data[PUSH_DIRTY_KEY] = {"locations": set(), "warehouses": set()}
            self.env.cr.precommit.add(self._queue_stock_push)
        changed["locations"].update(locations)
        changed["warehouses"].update(warehouses)

    def _channels_to_push(self, changed):
        """Channels with an API, pushing on change, that map one of the
        changed products and whose warehouse's stock holds the changed
        location (or is the changed allocation's warehouse)."""
        locations, warehouses = sorted(changed["locations"]), sorted(changed["warehouses"])
        if not locations and not warehouses:
            return self.browse()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT ch.id
                     FROM omni_channel ch
                     JOIN stock_warehouse wh ON wh.id = ch.warehouse_id
                     JOIN stock_location stock ON stock.id = wh.lot_stock_id
                    WHERE ch.active AND ch.adapter_kind IS NOT NULL AND ch.stock_push_on_change
                      AND (EXISTS (SELECT 1
                                     FROM unnest(%s::int[], %s::int[]) AS d(product_id, location_id)
                                     JOIN omni_product_mapping mp
                                       ON mp.product_id = d.product_id AND mp.channel_id = ch.id AND mp.active
                                     JOIN stock_location loc ON loc.id = d.location_id
                                    WHERE loc.parent_path LIKE stock.parent_path || %s)
                           OR EXISTS (SELECT 1
                                        FROM unnest(%s::int[], %s::int[]) AS a(product_id, warehouse_id)
                                        JOIN omni_product_mapping mp
                                          ON mp.product_id = a.product_id AND mp.channel_id = ch.id AND mp.active
                                       WHERE a.warehouse_id = ch.warehouse_id))
                 ORDER BY ch.id""",
                [product_id for product_id, _location in locations],
                [location_id for _product, location_id in locations],
                "%",
                [product_id for product_id, _warehouse in warehouses],
                [warehouse_id for _product, warehouse_id in warehouses],
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _queue_stock_push(self):
        """Precommit: one incremental sync job per affected channel, run
        stock_push_delay seconds later. It carries the cron's incremental
        identity key, and a further change while it waits adds no job: it goes
        with it (_push_waiting)."""
        changed = self.env.cr.precommit.data.get(PUSH_DIRTY_KEY)
        if not changed:
            return
        for channel in self._channels_to_push(changed):
            identity_key = f"omni_stock_sync_{channel.id}_incremental"
            if self._push_waiting(identity_key):
                continue
            # the push is the system's work, as the cron's sync is, whoever
            # changed the stock (a stock user without any channel group): the
            # job is created, and runs, as the superuser, on this channel only
            channel = channel.with_user(SUPERUSER_ID).with_company(channel.company_id)
            # no identity_key here: queue_job would fold this change into an
            # enqueued job, which may start and read the stock before this
            # transaction commits; the key is set once the job is stored
            job = channel.with_delay(
                eta=channel.stock_push_delay,
                description=self.env._("Stock push of %(channel)s", channel=channel.display_name),
            )._sync_stock_job("incremental")
            if job and job.db_record():  # not run at once (queue_job__no_delay)
                job.identity_key = identity_key
                job.store()
        # the jobs are created after the transaction's flush: flush them before the commit
        self.env.flush_all()

    def _push_waiting(self, identity_key):
        """Whether a push or incremental sync of the channel waits (state
        pending) and cannot start before this transaction commits, so that it
        reads this change: its row is locked FOR SHARE until the commit, and
        the job runner's update to 'enqueued' waits for it.

        Odoo's transactions are REPEATABLE READ: the job may look pending in
        this transaction's snapshot and have been enqueued, started, even run
        since; locking such a row raises a serialization failure, caught here:
        that job may have read the stock before this change, a new push is
        queued. So is one when the waiting job is enqueued or started.
        (queue_job's own identity check reads the same snapshot and counts
        enqueued jobs: it is not used for the push.)"""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT 1 FROM queue_job WHERE identity_key = %s AND state = 'pending' LIMIT 1 FOR SHARE",
                        identity_key,
                    ),
                    log_exceptions=False,
                )
                return bool(self.env.cr.fetchone())
        except psycopg2.errors.SerializationFailure:
            return False

    @api.model
    def _purge_stock_changes(self):
        """Forget the stock changes older than the log keeps them (a channel
        whose last sync is older than VALID_HOURS computes every SKU)."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM omni_stock_change"
                " WHERE created_at < (now() AT TIME ZONE 'UTC') - make_interval(hours => %s)",
                KEEP_HOURS,
            )
        )

    # --- schedule -------------------------------------------------------------------
    def _sync_stock_job(self, mode):
        if len(self) > 1:  # the cron's incremental syncs of every channel due, their pushes at once
            return self._sync_stock_channels(mode).ids
        try:
            return self._sync_stock(mode).id
        except UserError as err:  # another sync of this channel is running
            raise RetryableJobError(str(err)) from err  # when: the job function's retry pattern

    def _full_sync_due(self, now):
        tz = self.company_id._omni_tz()
        local_now = pytz.utc.localize(now).astimezone(tz)
        hour = self.stock_full_sync_hour
        due_local = tz.localize(
            datetime.combine(local_now.date(), datetime.min.time())
            + timedelta(hours=int(hour), minutes=round((hour % 1) * 60))
        )
        due = due_local.astimezone(pytz.utc).replace(tzinfo=None)
        return now >= due and (not self.last_full_sync_at or self.last_full_sync_at < due)

    @api.model
    def _cron_sync_stock(self):
        """Queue the syncs due: a full sync per channel at its night hour;
        the incremental syncs due, of every channel at once, in one job
        (their pushes at once: _sync_stock_channels)."""
        now = fields.Datetime.now()
        self._purge_stock_changes()
        incremental = self.browse()
        for channel in self.search([("adapter_kind", "!=", False)]):
            if channel._full_sync_due(now):
                channel.with_delay(
                    identity_key=f"omni_stock_sync_{channel.id}_full",
                    description=self.env._(
                        "%(mode)s stock sync of %(channel)s", mode="full", channel=channel.display_name
                    ),
                )._sync_stock_job("full")
            elif not channel.last_incremental_sync_at or now - channel.last_incremental_sync_at >= timedelta(
                minutes=max(channel.stock_sync_interval, 1)
            ):
                incremental |= channel
        if incremental:
            # one channel: the key of its push on change (_push_waiting), which then adds no job
            incremental.with_delay(
                identity_key=f"omni_stock_sync_{'_'.join(map(str, incremental.ids))}_incremental",
                description=self.env._(
                    "%(mode)s stock sync of %(channel)s",
                    mode="incremental",
                    channel=", ".join(incremental.mapped("display_name")),
                ),
            )._sync_stock_job("incremental")
