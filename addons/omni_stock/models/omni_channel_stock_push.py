# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The debounced push queued when stock changes, and the sync's schedule."""

import logging
from datetime import datetime, timedelta

import psycopg2
import pytz

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.queue_job.exception import RetryableJobError

from .omni_channel import PUSH_DIRTY_KEY
from .stock_change_log import KEEP_HOURS

_logger = logging.getLogger(__name__)


class OmniChannel(models.Model):
    _inherit = "omni.channel"

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
