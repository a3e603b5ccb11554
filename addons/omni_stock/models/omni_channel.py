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
from odoo.addons.omni_order.models.omni_order_allocation import refresh_statistics
from odoo.addons.omni_platform.platforms import PlatformError
from odoo.addons.queue_job.exception import RetryableJobError

from .stock_change_log import KEEP_HOURS, VALID_HOURS

# the tables a sync's statements read, analysed when a bulk write made their statistics stale
STATISTICS_TABLES = ("omni_product_mapping", "omni_stock_sku_state", "omni_stock_change", "stock_quant")

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
        ``skus``: passed as an array, never joined to the relation table,
        so that the plan stays linear when the statistics do not know the
        channel's rows yet, e.g. right after its relation table was
        imported: a self-join planned for one row ran for minutes), in one
        statement: free
        quantity (on hand minus reserved in the warehouse's stock location
        and below, minus what platform orders of every channel and company
        allocated there and is not reserved yet), minus the safety quantity,
        times the share, floored, never negative; a bundle gives what its
        scarcest component allows; a SKU with an archived product is left
        out. In float8 like the Python formula it replaced (same IEEE
        operations in the same order: the same result to the unit).
        ``compare``: [(platform_sku, quantity, to_send)], to_send when the
        platform has not accepted that quantity (never sent, failed or
        different)."""
        self.ensure_one()
        if not self.warehouse_id:
            raise ValidationError(self.env._("Channel %(channel)s has no warehouse.", channel=self.display_name))
        self.env.flush_all()
        stock = self.warehouse_id.lot_stock_id
        computed = SQL(
            """
            WITH parts AS (
                SELECT mp.platform_sku, mp.product_id, mp.quantity::float8 AS quantity, p.active
                  FROM omni_product_mapping mp
                  JOIN product_product p ON p.id = mp.product_id
                 WHERE mp.channel_id = %(channel)s AND mp.active %(skus)s
            ),
            products AS (SELECT DISTINCT product_id FROM parts),
            quants AS (
                SELECT q.product_id, SUM(q.quantity)::float8 AS quantity, SUM(q.reserved_quantity)::float8 AS reserved
                  FROM stock_quant q
                  JOIN stock_location loc ON loc.id = q.location_id
                 WHERE q.product_id IN (SELECT product_id FROM products) AND loc.parent_path LIKE %(path)s
                 GROUP BY q.product_id
            ),
            allocated AS (
                SELECT product_id, SUM(quantity)::float8 AS quantity
                  FROM omni_order_allocation
                 WHERE warehouse_id = %(warehouse)s AND product_id IN (SELECT product_id FROM products)
                 GROUP BY product_id
            ),
            free AS (
                SELECT products.product_id,
                       COALESCE(quants.quantity, 0) - COALESCE(quants.reserved, 0)
                       - COALESCE(allocated.quantity, 0) AS free
                  FROM products
                  LEFT JOIN quants ON quants.product_id = products.product_id
                  LEFT JOIN allocated ON allocated.product_id = products.product_id
            )
            SELECT parts.platform_sku,
                   GREATEST(0, FLOOR(MIN(GREATEST(0::float8, (free.free - %(safety)s) * %(ratio)s) / parts.quantity)
                                     + 1e-6::float8))::int AS quantity
              FROM parts JOIN free ON free.product_id = parts.product_id
             GROUP BY parts.platform_sku
            HAVING bool_and(parts.active)
            """,
            skus=SQL("AND mp.platform_sku = ANY(%s)", skus) if skus is not None else SQL(),
            channel=self.id,
            path=stock.parent_path + "%",
            warehouse=self.warehouse_id.id,
            safety=SQL("%s::float8", float(self.stock_safety_qty)),
            ratio=SQL("%s::float8", float(self.stock_ratio)),
        )
        if compare:
            computed = SQL(
                """SELECT c.platform_sku, c.quantity,
                          st.id IS NULL OR st.failed OR st.last_quantity IS DISTINCT FROM c.quantity
                     FROM (%s) c
                     LEFT JOIN omni_stock_sku_state st
                       ON st.channel_id = %s AND st.platform_sku = c.platform_sku""",
                computed,
                self.id,
            )
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
        prepared = self._sync_prepare(mode)
        results, note, message = self._push_quantities(prepared["to_send"], prepared["sync"])
        return self._sync_finish(prepared, results, note, message)

    def _sync_prepare(self, mode, refresh=True):
        """The first half of a sync (the channel is locked): its log, what it
        sees of the change log and the SKUs to send. Returns a dict for
        :meth:`_sync_finish`. ``refresh``: analyse the tables whose
        statistics are stale first (a sync of several channels does it once:
        within one transaction the statistics' counters do not move, each
        channel would analyse the same tables again)."""
        self.ensure_one()
        now = fields.Datetime.now()
        # the sync log is written by this method only: its records carry the marker until it returns
        sync = guard.internal(self.env["omni.stock.sync"]).create(
            {"channel_id": self.id, "mode": mode, "started_at": now}
        )
        # what this transaction changed before the sync is part of what it sees
        self.env.flush_all()
        # a relation table just imported, a full sync just logged: the plans
        # below are made on current statistics (the full sync of 8 x 50,000
        # SKUs right after their 440,000 relation rows were imported took
        # 437 s, where it took 74 s once autovacuum had analysed them)
        if refresh:
            refresh_statistics(self.env, dict.fromkeys(STATISTICS_TABLES, 1))
        snapshot = self._stock_change_snapshot()
        if mode == "full":
            computed = self._compute_sellable(None)
            to_send = dict(computed)
        else:
            computed = self._compute_sellable(self._stock_skus_to_compute(), compare=True)
            to_send = {sku: qty for sku, qty, send in computed if send}
        return {"mode": mode, "now": now, "sync": sync, "snapshot": snapshot, "computed": len(computed),
                "to_send": to_send}  # fmt: skip

    def _sync_finish(self, prepared, results, note, message, refresh=True, record=True):
        """The second half of a sync: the log lines, the SKU states, the
        log's totals and what the channel's next sync starts from."""
        self.ensure_one()
        sync, to_send = prepared["sync"], prepared["to_send"]
        failed = {sku: error for sku, error in results.items() if error}
        if record:  # a sync of several channels records them all in one statement first
            self._record_sync(sync, to_send, results)
        if refresh:
            refresh_statistics(self.env, {"omni_stock_sku_state": len(to_send), "omni_stock_sync_line": len(to_send)})
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

    def _sync_stock_channels(self, mode, workers=PUSH_WORKERS):
        """Sync the stock of the channels of ``self`` at once: each channel
        computed as :meth:`_sync_stock` does, in this transaction, then the
        pushes of all channels at the same time (the platforms are separate
        servers: a channel's push waits on its platform, not on the others),
        at most ``workers`` at once, each channel's batches one after the
        other as its own sync sends them; then each channel's log and SKU
        states. A channel another sync holds is left to it (warning in the
        log). Returns the omni.stock.sync logs.

        Why: the incremental syncs of 8 channels of 50,000 SKUs ran one after
        the other (one job each on root.omni_sync:1), 1.59 s of which 0.50 s
        waiting on the stand-in platform's answers one call at a time."""
        channels = self.browse()
        for channel in self:
            self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [SYNC_LOCK_KEY, channel.id])
            if self.env.cr.fetchone()[0]:
                channels |= channel
            else:
                _logger.warning("Stock sync of %s skipped: another sync of it is running", channel.display_name)
        self.env.flush_all()
        refresh_statistics(self.env, dict.fromkeys(STATISTICS_TABLES, 1))
        prepared = {channel: channel._sync_prepare(mode, refresh=False) for channel in channels}
        # adapters are built here (they read the channels' credentials): the threads only talk HTTP
        pushes = {}
        outcomes = {}
        for channel, prep in prepared.items():
            if prep["to_send"] and channel.adapter_kind:
                pushes[channel] = channel._get_adapter()
            else:
                outcomes[channel] = channel._push_quantities(prep["to_send"], prep["sync"])
        if pushes:
            with ThreadPoolExecutor(
                max_workers=max(1, min(workers, len(pushes))), thread_name_prefix="omni-push"
            ) as pool:
                futures = {
                    channel: pool.submit(
                        _push_with_adapter, adapter, prepared[channel]["to_send"], channel.display_name
                    )
                    for channel, adapter in pushes.items()
                }
                for channel, future in futures.items():
                    outcomes[channel] = future.result()
        syncs = self.env["omni.stock.sync"]
        self._record_syncs(
            [(channel, prep["sync"], prep["to_send"], outcomes[channel][0]) for channel, prep in prepared.items()]
        )
        for channel, prep in prepared.items():
            syncs |= channel._sync_finish(prep, *outcomes[channel], refresh=False, record=False)
        sent = sum(len(prep["to_send"]) for prep in prepared.values())
        refresh_statistics(self.env, {"omni_stock_sku_state": sent, "omni_stock_sync_line": sent})
        return syncs

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
        the last sync (stock_change_log.py) and those still failing; None
        (all of them) without a usable snapshot of the last sync (none yet,
        or older than the log keeps), or after a change of the channel's
        settings or of the location tree."""
        last_sync = max(filter(None, [self.last_incremental_sync_at, self.last_full_sync_at]), default=None)
        if (
            not self.stock_change_snapshot
            or not last_sync
            or last_sync < fields.Datetime.now() - timedelta(hours=VALID_HOURS)
        ):
            return None
        snapshot, xid, seq = self.stock_change_snapshot.split("|")
        # the rows written after the last sync read the log, and those of the
        # transactions its snapshot did not see (running then, or started since)
        # written before: index look-ups only, however old the oldest running
        # transaction of the server (its snapshot's xmin) is
        unseen = SQL(
            """SELECT * FROM omni_stock_change
                WHERE seq > %(seq)s
                   OR (xid != %(xid)s::xid8
                       AND (xid = ANY(ARRAY(SELECT pg_snapshot_xip(%(snapshot)s::pg_snapshot)))
                            OR xid >= pg_snapshot_xmax(%(snapshot)s::pg_snapshot)))""",
            snapshot=snapshot,
            xid=xid,
            seq=int(seq),
        )
        self.env.cr.execute(
            SQL(
                """WITH unseen AS MATERIALIZED (%s)
                   SELECT EXISTS(SELECT FROM unseen WHERE product_id IS NULL AND platform_sku IS NULL
                                                      AND (channel_id IS NULL OR channel_id = %s))""",
                unseen,
                self.id,
            )
        )
        if self.env.cr.fetchone()[0]:
            return None
        query = SQL(
            """WITH unseen AS MATERIALIZED (%(unseen)s)
               SELECT mp.platform_sku FROM omni_product_mapping mp
                WHERE mp.channel_id = %(channel)s AND mp.active
                  AND mp.product_id IN (SELECT product_id FROM unseen WHERE product_id IS NOT NULL)
               UNION
               SELECT platform_sku FROM unseen WHERE channel_id = %(channel)s AND platform_sku IS NOT NULL
               UNION
               SELECT platform_sku FROM omni_stock_sku_state WHERE channel_id = %(channel)s AND failed""",
            unseen=unseen,
            channel=self.id,
        )
        self.env.cr.execute(query)
        return [sku for (sku,) in self.env.cr.fetchall()]

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

    def _record_sync(self, sync, to_send, results):
        self.ensure_one()
        self._record_syncs([(self, sync, to_send, results)])

    @api.model
    def _record_syncs(self, entries):
        """Log lines and SKU states of the syncs ``entries`` ([(channel, sync,
        to_send, results)]), one INSERT each from arrays, whatever the
        number of channels (50,000 SKUs on a full sync; a multi-row VALUES
        quoted row by row in Python took half of an incremental sync's
        time)."""
        entries = [entry for entry in entries if entry[2]]
        if not entries:
            return
        self.env.flush_all()
        rows = {key: [] for key in ("syncs", "channels", "companies", "states", "skus", "quantities", "errors")}
        for channel, sync, to_send, results in entries:
            line_state = "sent" if channel.adapter_kind else "exported"
            for sku, quantity in to_send.items():
                rows["syncs"].append(sync.id)
                rows["channels"].append(channel.id)
                rows["companies"].append(channel.company_id.id)
                rows["states"].append(line_state)
                rows["skus"].append(sku)
                rows["quantities"].append(quantity)
                rows["errors"].append(results.get(sku) or None)
        arrays = SQL(
            """unnest(%(syncs)s::int[], %(channels)s::int[], %(companies)s::int[], %(states)s::varchar[],
                      %(skus)s::varchar[], %(quantities)s::int[], %(errors)s::varchar[])
                 AS u(sync_id, channel_id, company_id, line_state, sku, quantity, error)""",
            **rows,
        )
        uid, now = self.env.uid, fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """INSERT INTO omni_stock_sync_line (sync_id, company_id, platform_sku, quantity, state, error,
                                                     create_uid, write_uid, create_date, write_date)
                   SELECT u.sync_id, u.company_id, u.sku, u.quantity,
                          CASE WHEN u.error IS NULL THEN u.line_state ELSE 'failed' END, u.error,
                          %(uid)s, %(uid)s, %(now)s, %(now)s
                     FROM %(arrays)s""",
                arrays=arrays,
                uid=uid,
                now=now,
            )
        )
        self.env.cr.execute(
            SQL(
                """INSERT INTO omni_stock_sku_state (channel_id, company_id, platform_sku, last_quantity, last_sent_at,
                                                     failed, error, create_uid, write_uid, create_date, write_date)
                   SELECT u.channel_id, u.company_id, u.sku, u.quantity, %(now)s, u.error IS NOT NULL, u.error,
                          %(uid)s, %(uid)s, %(now)s, %(now)s
                     FROM %(arrays)s
                   -- a failure keeps what the platform last accepted
                   ON CONFLICT (channel_id, platform_sku) DO UPDATE SET
                      last_quantity = CASE WHEN EXCLUDED.failed THEN omni_stock_sku_state.last_quantity
                                           ELSE EXCLUDED.last_quantity END,
                      last_sent_at = CASE WHEN EXCLUDED.failed THEN omni_stock_sku_state.last_sent_at
                                          ELSE EXCLUDED.last_sent_at END,
                      failed = EXCLUDED.failed, error = EXCLUDED.error, write_date = EXCLUDED.write_date,
                      write_uid = EXCLUDED.write_uid""",
                arrays=arrays,
                uid=uid,
                now=now,
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
