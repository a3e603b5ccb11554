# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Platform orders after review: stock allocation at intake and the
background confirmation waves (sale orders, deliveries, reservation)."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL, config

from .omni_order_allocation import refresh_statistics

# orders up to this many are confirmed in the caller's transaction; more go to jobs
SYNC_CONFIRM_LIMIT = 20
CONFIRM_CHUNK = 200
# job priorities (queue_job: lower runs first): due today before the cut-off first
PRIORITY_DUE = 5
PRIORITY_LATER = 10
# a confirmation job leaves the orders whose new buyer another job is creating
# to a job this many seconds later (about one chunk's confirmation)
BUYER_WAIT_SECONDS = 10
# jobs still to run (or running) for the orders they carry
LIVE_JOB_STATES = ("wait_dependencies", "pending", "enqueued", "started")


class OmniOrder(models.Model):
    _inherit = "omni.order"

    allocation_ids = fields.One2many("omni.order.allocation", "order_id", string="Allocated Stock", readonly=True)

    # --- allocation ---------------------------------------------------------
    def _omni_allocate(self):
        """Allocate (or release) the stock of these orders to their open
        demand, set-based: the orders they are merged into are recomputed
        with them. The one entry point of the allocation: the hooks that call
        it, and why, are listed in ``omni_order_allocation.py``."""
        if not self:
            return
        # what is allocated follows the orders whoever acts (a warehouse user
        # reserving a delivery has no rights on platform orders): only the
        # ids of these orders and their roots are read and rewritten
        orders = self.sudo().exists()
        self.env["omni.order.allocation"].sudo()._allocate(set(orders.ids) | set(orders.merged_into_id.ids))

    # --- confirmation waves -------------------------------------------------
    def _schedule_confirmation(self):
        """Confirm these clean orders: a few now, in the caller's transaction;
        more in background waves of CONFIRM_CHUNK orders, the earliest ship
        date and deadline first (those to ship today before the cut-off at a
        higher job priority). The orders of one receiver stay in one chunk, so
        that two jobs running side by side seldom meet the same new buyer
        (when they do, the buyer's key claim makes one of them retry)."""
        if not self:
            return
        if len(self) <= SYNC_CONFIRM_LIMIT:
            self._confirm_orders()
            return
        far = fields.Datetime.to_datetime("9999-12-31")
        ordered = self.sorted(lambda o: (o.ship_target_date or far.date(), o.ship_deadline or far, o.id))
        # one wave per ship date; in a wave, the orders of one receiver together
        groups = defaultdict(list)
        for order in ordered:
            groups[(order.ship_target_date, order.receiver_key)].append(order.id)  # first order's place kept
        chunks, chunk, chunk_date = [], [], None
        for (ship_date, _key), ids in groups.items():
            if chunk and (len(chunk) + len(ids) > CONFIRM_CHUNK or ship_date != chunk_date):
                chunks.append(chunk)
                chunk = []
            chunk, chunk_date = chunk + ids, ship_date
        if chunk:
            chunks.append(chunk)
        for ids in chunks:
            chunk = self.browse(ids)
            chunk.with_delay(
                priority=chunk._omni_wave_priority(),
                description=self.env._("Confirm %(count)s platform orders", count=len(chunk)),
            )._confirm_orders_job()

    def _omni_wave_priority(self):
        """Job priority of a wave of these orders: higher (a lower number)
        when one of them is to ship today or earlier."""
        today = {company: company._omni_today() for company in self.company_id}
        due = any(o.ship_target_date and o.ship_target_date <= today[o.company_id] for o in self)
        return PRIORITY_DUE if due else PRIORITY_LATER

    def _confirm_orders_job(self):
        """Job: confirm a chunk. Confirmation jobs run side by side; the stock
        reservation is left to one job per chunk on the channel
        root.omni_reserve, whose jobs take turns on the quants of each
        product (stock_reservation.py)."""
        # the job may run after a person confirmed, cancelled or merged some
        orders = self.exists().filtered(lambda o: o.state == "to_review" and not o.sale_order_id)
        later = orders._omni_buyers_created_elsewhere()
        if later:
            orders -= later
            later.with_delay(
                priority=later._omni_wave_priority(),
                eta=BUYER_WAIT_SECONDS,
                description=self.env._("Confirm %(count)s platform orders", count=len(later)),
            )._confirm_orders_job()
        sale_orders = orders._confirm_orders(defer_reservation=True)
        if sale_orders:
            # the waves of a peak fill these tables chunk by chunk: once they
            # outgrew their statistics, a chunk refreshes them for the others
            pickings = sale_orders.picking_ids
            refresh_statistics(
                self.env,
                {
                    "omni_order": len(orders),
                    "sale_order": len(sale_orders),
                    "sale_order_line": len(sale_orders.order_line),
                    "stock_picking": len(pickings),
                    "stock_move": len(pickings.move_ids),
                },
            )
            # the chunk's reservation before the next chunks' confirmation
            # (one priority step higher): it runs beside them on its own
            # channel, and these orders are ready to pick the sooner
            orders.with_delay(
                priority=orders._omni_wave_priority() - 1,
                description=self.env._("Reserve stock for %(count)s platform orders", count=len(orders)),
            )._reserve_stock_job()
        return sale_orders

    def _omni_buyers_created_elsewhere(self):
        """These orders whose new buyer (theirs or a merged order's) another
        running confirmation job is creating right now; the buyers of the
        others are this job's to create (see res.partner's
        _omni_buyer_keys_taken_elsewhere)."""
        later = self.browse()
        Partner = self.env["res.partner"]
        for company, orders in self.grouped("company_id").items():
            keys = {order: set((order | order.merged_order_ids).mapped("receiver_key")) for order in orders}
            taken = Partner._omni_buyer_keys_taken_elsewhere(company, set().union(*keys.values()))
            later |= self.browse([order.id for order, order_keys in keys.items() if order_keys & taken])
        return later

    def _omni_runs_as_started_job(self):
        """True when queue_job is running this code as one of its jobs: the
        context's ``job_uuid`` (which any caller could send) names a job
        that queue_job has marked started (committed before it performs it).
        Only then may the reservation commit parts on cursors of its own;
        any other caller reserves in its own transaction."""
        uuid = self.env.context.get("job_uuid")
        if not uuid or config["test_enable"]:
            return False
        # sudo: queue_job's own table, read for this one uuid to know how we are run
        return bool(self.env["queue.job"].sudo().search_count([("uuid", "=", uuid), ("state", "=", "started")]))

    def _reserve_stock_job(self):
        """Job: reserve the deliveries of a confirmed chunk; the reservation
        releases the orders' allocations (stock.move hooks). Jobs of other
        chunks reserve beside it (channel root.omni_reserve, one job per
        worker): the job reserves product by product, in parts committed on
        a cursor of its own (stock_reservation.py). Called outside a job
        (a shell), or under tests (where queue_job does not commit either),
        it reserves in the caller's transaction."""
        pickings = self.exists().sale_order_id.picking_ids.filtered(lambda p: p.state in ("confirmed", "waiting"))
        if not self._omni_runs_as_started_job():
            pickings._omni_reserve_at_once()
            refresh_statistics(
                self.env, {"stock_move": len(pickings.move_ids), "stock_move_line": len(pickings.move_line_ids)}
            )
            return len(pickings)
        parts, reserved, waited = pickings._omni_reserve_in_parts()
        # (the parts' move lines are not in this transaction's snapshot: one a move)
        refresh_statistics(self.env, {"stock_move": reserved, "stock_move_line": reserved})
        # the job's result (queue_job keeps it): what it did and how long it
        # waited for the products other jobs were reserving
        return self.env._(
            "%(moves)s moves of %(pickings)s deliveries reserved in %(parts)s parts; "
            "waited %(waited).2f s for products other jobs held",
            moves=reserved,
            pickings=len(pickings),
            parts=parts,
            waited=waited,
        )

    @api.model
    def _omni_orders_in_live_jobs(self):
        """Ids of the orders a confirmation job still to run (or running)
        carries."""
        self.env["queue.job"].flush_model()
        self.env.cr.execute(
            SQL(
                # queue_job keeps the recordset as a JSON text in its jsonb column
                """SELECT DISTINCT jsonb_array_elements_text(
                              CASE WHEN jsonb_typeof(records) = 'string' THEN (records #>> '{}')::jsonb
                                   ELSE records END -> 'ids')::int
                     FROM queue_job
                    WHERE model_name = %s AND method_name = '_confirm_orders_job' AND state = ANY(%s)""",
                self._name,
                list(LIVE_JOB_STATES),
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _cron_confirm_waiting(self):
        """Safety net: clean orders of auto-confirm channels still waiting
        (e.g. a job was cancelled or failed) are confirmed; orders whose job
        is still to run are left to it, so that no second job is queued."""
        waiting = self.search(
            [("state", "=", "to_review"), ("channel_id.auto_confirm", "=", True), ("merged_into_id", "=", False)],
            limit=5000,
        )
        waiting = waiting - self.browse(self._omni_orders_in_live_jobs())
        waiting._schedule_confirmation()
