# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A channel's stock written back to its platform: the sync (full or
incremental, one channel or several at once), its pushes and its log."""

import base64
import csv
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.omni_base.tools import guard
from odoo.addons.omni_order.models.omni_order_allocation import planner_settings, refresh_statistics
from odoo.addons.omni_platform.platforms import PlatformError

from .omni_channel import PUSH_WORKERS, STATISTICS_TABLES, SYNC_LOCK_KEY, SYNC_PLANNER
from .stock_change_log import VALID_HOURS

_logger = logging.getLogger(__name__)


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
                    outcomes[channel] = channel._push_without_adapter(prep["to_send"], prep["sync"])
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

    def _push_without_adapter(self, to_send, sync):
        """({sku: None | error}, result note, the platform's error text) of a
        sync that calls no platform: nothing to send, or a channel without
        an API, which gets an export file on the log instead (the channels
        with an API are pushed by :func:`_push_with_adapter`, in threads).
        The note is a code shown in the reader's language, never a sentence
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
        raise AssertionError(f"{self.display_name} has an API: its quantities go through _push_with_adapter")

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
