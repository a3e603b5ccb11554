# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What runs at the same time: two confirmation jobs meeting the same new
buyer (two real transactions in two threads), the waiting-order cron while
confirmation jobs are pending, and a serialization failure in the middle of
a confirmation."""

import threading
import time
import traceback
import uuid
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import errors

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase
from odoo.tools import mute_logger

from ..models.omni_order_wave import CONFIRM_CHUNK
from .common import JobsMixin, OmniOrderTestMixin


class TestParallelBuyers(TransactionCase):
    """Two transactions, each as a confirmation job: both look for the
    buyer, both miss it, both want to create it."""

    def _run_as_job(self, company_id, key, barrier, results, name):
        """One job's transaction, retried on a serialization failure like
        queue_job (and Odoo's RPC) retry it (nothing of the test's own
        environment is touched from the thread)."""
        attempts = 0
        with self.registry.cursor() as job_cursor:
            while True:
                attempts += 1
                env = api.Environment(job_cursor, SUPERUSER_ID, {}, su=True)
                try:
                    Partner = env["res.partner"]
                    # both take their snapshot and miss the buyer before either creates it
                    Partner.search_count([("omni_buyer_key", "=", key)])
                    if attempts == 1:
                        barrier.wait(timeout=10)
                    partner = Partner._omni_buyers_by_key(
                        env["res.company"].browse(company_id), {key: {"name": name, "omni_buyer_key": key}}
                    )[key]
                    job_cursor.commit()
                    results[name] = (partner.id, attempts)
                    return
                except errors.SerializationFailure:
                    job_cursor.rollback()
                    if attempts > 3:
                        raise

    def test_two_jobs_with_the_same_new_buyer_make_one_customer(self):
        key = f"test-buyer|{uuid.uuid4().hex}|parallel"
        barrier = threading.Barrier(2)
        results, failures = {}, []
        company_id = self.env.company.id

        def run(name):
            try:
                self._run_as_job(company_id, key, barrier, results, name)
            except Exception:  # noqa: BLE001 - reported by the assertion below
                failures.append(traceback.format_exc())

        threads = [threading.Thread(target=run, args=(name,)) for name in ("job A", "job B")]
        try:
            with mute_logger("odoo.sql_db"):
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(30)
            self.assertFalse(failures)
            with self.registry.cursor() as cr:
                cr.execute("SELECT id FROM res_partner WHERE omni_buyer_key = %s", [key])
                partner_ids = [row[0] for row in cr.fetchall()]
            self.assertEqual(len(partner_ids), 1, "one customer for one buyer")
            self.assertEqual({partner_id for partner_id, _attempts in results.values()}, set(partner_ids))
            self.assertEqual(sorted(attempts for _id, attempts in results.values()), [1, 2], "the second retried")
        finally:
            with self.registry.cursor() as cr:
                cr.execute("DELETE FROM res_partner WHERE omni_buyer_key = %s", [key])
                cr.execute("DELETE FROM omni_buyer_claim WHERE buyer_key = %s", [key])


class TestConcurrentConfirmation(JobsMixin, OmniOrderTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.Order = cls.env["omni.order"]

    def _import(self, *orders):
        results = self.Order.import_orders("TMALL01", list(orders))
        return self.Order.browse([r["order_id"] for r in results])

    def test_cron_never_queues_a_second_job_for_pending_orders(self):
        orders = self._import(*[self._order(f"W{i}") for i in range(25)])
        [job] = self._jobs("_confirm_orders_job")
        for state in ("pending", "enqueued", "started"):
            job.state = state
            self.Order._cron_confirm_waiting()
            self.assertEqual(self.env["queue.job"].search_count([("method_name", "=", "_confirm_orders_job")]), 1)
        # the job failed (or was cancelled): the cron queues them again, once
        job.state = "failed"
        self.Order._cron_confirm_waiting()
        self.Order._cron_confirm_waiting()
        [new_job] = self._jobs("_confirm_orders_job")
        self.assertEqual(new_job.records, orders)

    def test_a_job_leaves_a_buyer_another_job_is_creating_to_a_later_job(self):
        self.channel.auto_confirm = False
        orders = self._import(
            self._order("B1", receiver_name="孙一", phone="13800000001"),
            self._order("B2", receiver_name="孙二", phone="13800000002"),
        )
        taken, free = orders
        with self.registry.cursor() as other:
            # another confirmation job, still running, is creating B1's buyer
            other.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [taken.company_id.id, taken.receiver_key])
            orders._confirm_orders_job()
            other.rollback()
        self.assertEqual((taken.state, free.state), ("to_review", "confirmed"), "not waited for, not failed")
        [later] = self._jobs("_confirm_orders_job")
        self.assertEqual(later.records, taken)
        self.assertTrue(later.eta, "a little later")
        self._perform_jobs("_confirm_orders_job")
        self.assertEqual(taken.state, "confirmed")
        self.assertEqual(taken.sale_order_id.partner_id.omni_buyer_key, taken.receiver_key)
        # a buyer that exists already is never waited for
        self.assertFalse(
            self.env["res.partner"]._omni_buyer_keys_taken_elsewhere(taken.company_id, [taken.receiver_key])
        )

    def test_waves_keep_a_receiver_in_one_chunk_and_ship_today_first(self):
        # a chunk and 50 orders to ship tomorrow, then 60 of one receiver to ship today
        later = [
            self._order(f"L{i}", phone=f"139{i:08d}", order_time="2026-11-12 17:00:00")
            for i in range(CONFIRM_CHUNK + 50)
        ]
        today = [self._order(f"T{i}", order_time="2026-11-11 09:00:00") for i in range(60)]
        self.channel.auto_confirm = False
        with freeze_time("2026-11-11 02:00:00"):  # 10:00 in Shanghai
            orders = self._import(*later, *today)
            orders._schedule_confirmation()
        jobs = self._jobs("_confirm_orders_job").sorted(lambda j: (j.priority, j.id))
        first = jobs[0]
        self.assertEqual(first.priority, 5)
        self.assertEqual(set(first.records.mapped("ship_target_date")), {date(2026, 11, 11)})
        self.assertEqual(set(jobs[1:].mapped("priority")), {10})
        receivers = {}
        for job in jobs:
            for order in job.records:
                receivers.setdefault(order.receiver_key, set()).add(job.id)
        self.assertTrue(all(len(job_ids) == 1 for job_ids in receivers.values()), "a receiver in one chunk only")
        self.assertEqual([len(job.records) for job in jobs], [60, CONFIRM_CHUNK, 50], "one wave per ship date")
        self.assertEqual(sum(len(job.records) for job in jobs), CONFIRM_CHUNK + 110)

    def test_serialization_failure_leaves_no_order_half_done(self):
        """A real serialization failure at the very end of a confirmation
        job (sale orders, deliveries and states already written): the job's
        transaction rolls back whole and is retried; nothing is half done."""
        orders = self._import(*[self._order(f"F{i}") for i in range(25)])
        allocated = orders.allocation_ids.mapped("quantity")
        company = self.company
        # another transaction changes the company after this one's snapshot
        with self.registry.cursor() as other:
            other.execute("UPDATE res_company SET write_date = write_date WHERE id = %s", [company.id])
            other.commit()
        original = type(self.Order)._omni_allocate

        def allocate_then_conflict(records):
            original(records)
            if records.filtered(lambda o: o.state == "confirmed"):
                records.env.cr.execute("SELECT id FROM res_company WHERE id = %s FOR UPDATE", [company.id])

        with (
            patch.object(type(self.Order), "_omni_allocate", allocate_then_conflict),
            mute_logger("odoo.sql_db"),
            self.assertRaises(errors.SerializationFailure),
            self.env.cr.savepoint(),
        ):
            self._perform_jobs("_confirm_orders_job")
        self.env.invalidate_all()
        self.assertEqual(set(orders.mapped("state")), {"to_review"})
        self.assertFalse(orders.sale_order_id)
        self.assertFalse(self.env["sale.order"].search_count([("omni_channel_id", "=", self.channel.id)]))
        self.assertEqual(orders.allocation_ids.mapped("quantity"), allocated)
        self.assertEqual(len(self._jobs("_confirm_orders_job")), 1, "the job is still there to be retried")


class TestParallelReservation(TransactionCase):
    """Two reservation jobs at once, in two threads with their own cursors,
    each reserving a chunk of deliveries; the chunks share a product whose
    stock is short (16 asked, 10 on hand), and each has one of its own.
    The data is committed (the jobs' cursors must see it) and removed at
    the end."""

    def _setup_committed(self, cursor):
        env = api.Environment(cursor, SUPERUSER_ID, {})
        tag = uuid.uuid4().hex[:8]
        shared, own_a, own_b = env["product.product"].create(
            [{"name": f"Reserve {tag} {name}", "is_storable": True} for name in ("shared", "A", "B")]
        )
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        stock, customers = warehouse.lot_stock_id, env.ref("stock.stock_location_customers")
        for product, quantity in ((shared, 10), (own_a, 100), (own_b, 100)):
            env["stock.quant"]._update_available_quantity(product, stock, quantity)
        Picking = env["stock.picking"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True, omni_defer_reservation=True
        )

        def chunk(own):
            return Picking.create(
                [
                    {
                        "picking_type_id": warehouse.out_type_id.id,
                        "location_id": stock.id,
                        "location_dest_id": customers.id,
                        "move_ids": [
                            Command.create(
                                {
                                    "name": product.name,
                                    "product_id": product.id,
                                    "product_uom_qty": 2,
                                    "product_uom": product.uom_id.id,
                                    "location_id": stock.id,
                                    "location_dest_id": customers.id,
                                }
                            )
                            for product in (shared, own)
                        ],
                    }
                    for _i in range(4)
                ]
            )

        chunks = chunk(own_a), chunk(own_b)
        (chunks[0] | chunks[1]).action_confirm()
        cursor.commit()
        return [c.ids for c in chunks], (shared | own_a | own_b).ids

    def _remove_committed(self, cursor, picking_ids, product_ids):
        cursor.execute("DELETE FROM stock_move_line WHERE product_id = ANY(%s)", [product_ids])
        cursor.execute("DELETE FROM stock_move WHERE product_id = ANY(%s)", [product_ids])
        cursor.execute("DELETE FROM stock_picking WHERE id = ANY(%s)", [picking_ids])
        cursor.execute("DELETE FROM stock_quant WHERE product_id = ANY(%s)", [product_ids])
        cursor.execute("SELECT product_tmpl_id FROM product_product WHERE id = ANY(%s)", [product_ids])
        template_ids = [row[0] for row in cursor.fetchall()]
        cursor.execute("DELETE FROM product_product WHERE id = ANY(%s)", [product_ids])
        cursor.execute("DELETE FROM product_template WHERE id = ANY(%s)", [template_ids])
        cursor.commit()

    def test_two_jobs_reserve_side_by_side_and_never_a_quant_twice(self):
        from ..models.stock_reservation import StockPicking

        with self.registry.cursor() as cursor:
            chunk_ids, product_ids = self._setup_committed(cursor)
        barrier = threading.Barrier(2)
        parts, failures = [], []
        reserve_part = StockPicking._omni_reserve_part

        def slow_part(pickings, moves):
            # a part holds its products' locks a while: the other job works beside it
            start = time.monotonic()
            result = reserve_part(pickings, moves)
            time.sleep(0.3)
            parts.append((threading.current_thread().name, set(moves.product_id.ids), start, time.monotonic()))
            return result

        def run(ids):
            try:
                with self.registry.cursor() as job_cursor:
                    env = api.Environment(job_cursor, SUPERUSER_ID, {})
                    pickings = env["stock.picking"].browse(ids)
                    pickings.move_ids.mapped("state")  # the job's snapshot, before the other job's parts
                    barrier.wait(timeout=10)
                    pickings._omni_reserve_in_parts()
            except Exception:  # noqa: BLE001 - reported by the assertion below
                failures.append(traceback.format_exc())

        threads = [threading.Thread(target=run, args=(ids,), name=f"job {i}") for i, ids in enumerate(chunk_ids)]
        try:
            with patch.object(StockPicking, "_omni_reserve_part", slow_part):
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(60)
            self.assertFalse(failures)
            with self.registry.cursor() as cr:
                # every quant's reservation is its move lines', none over its quantity
                cr.execute(
                    """SELECT q.product_id, q.quantity, q.reserved_quantity,
                              (SELECT COALESCE(SUM(ml.quantity), 0) FROM stock_move_line ml
                                WHERE ml.product_id = q.product_id AND ml.location_id = q.location_id)
                         FROM stock_quant q WHERE q.product_id = ANY(%s) ORDER BY q.product_id""",
                    [product_ids],
                )
                quants = cr.fetchall()
                cr.execute(
                    """SELECT p.id, p.state, array_agg(m.state ORDER BY m.id) FROM stock_picking p
                       JOIN stock_move m ON m.picking_id = p.id WHERE p.id = ANY(%s) GROUP BY p.id""",
                    [chunk_ids[0] + chunk_ids[1]],
                )
                pickings = cr.fetchall()
            shared = product_ids[0]
            self.assertEqual([(p, q, r) for p, q, r, _lines in quants if p == shared], [(shared, 10, 10)])
            for product_id, quantity, reserved, lines in quants:
                self.assertEqual(reserved, lines, f"product {product_id}: reserved = its move lines")
                self.assertLessEqual(reserved, quantity, f"product {product_id}: not over-reserved")
            for picking_id, state, move_states in pickings:
                # the state its moves give it
                expected = "assigned" if {"assigned", "partially_available"} & set(move_states) else "confirmed"
                self.assertEqual(state, expected, f"picking {picking_id} {move_states}")
            # the jobs ran side by side, never on the same product at the same time
            overlapping = [(a, b) for a in parts for b in parts if a[0] < b[0] and a[2] < b[3] and b[2] < a[3]]
            self.assertTrue(overlapping, f"parts side by side: {parts}")
            for a, b in overlapping:
                self.assertFalse(a[1] & b[1], f"one product in two parts at once: {a} {b}")
        finally:
            with self.registry.cursor() as cursor:
                self._remove_committed(cursor, chunk_ids[0] + chunk_ids[1], product_ids)

    def test_a_failed_part_leaves_no_lock_behind(self):
        """A part that fails (here: any error) releases every product lock
        of its job before the connection goes back to the pool, and the
        parts committed before it stay reserved (the job's retry does the
        rest)."""
        from ..models.stock_reservation import LOCK_SPACE, StockPicking

        with self.registry.cursor() as cursor:
            chunk_ids, product_ids = self._setup_committed(cursor)
        reserve_part = StockPicking._omni_reserve_part
        calls = []

        def failing_second_part(pickings, moves):
            calls.append(set(moves.product_id.ids))
            if len(calls) == 2:
                raise errors.SerializationFailure("could not serialize access due to concurrent update")
            return reserve_part(pickings, moves)

        try:
            with self.registry.cursor() as job_cursor:
                env = api.Environment(job_cursor, SUPERUSER_ID, {})
                pickings = env["stock.picking"].browse(chunk_ids[0])
                with (
                    patch.object(StockPicking, "_omni_reserve_part", failing_second_part),
                    patch("odoo.addons.omni_order.models.stock_reservation.PARTS", 2),
                    self.assertRaises(errors.SerializationFailure),
                ):
                    pickings._omni_reserve_in_parts()
                job_cursor.rollback()
            with self.registry.cursor() as cr:
                cr.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s", [LOCK_SPACE])
                self.assertEqual(cr.fetchone()[0], 0, "no product lock left")
                cr.execute(
                    "SELECT product_id, state FROM stock_move WHERE picking_id = ANY(%s)",
                    [chunk_ids[0]],
                )
                states = {}
                for product_id, state in cr.fetchall():
                    states.setdefault(product_id, set()).add(state)
            self.assertEqual(len(calls), 2)
            for product_id in calls[0]:
                self.assertEqual(states[product_id], {"assigned"}, "the first part stays reserved")
            for product_id in calls[1]:
                self.assertEqual(states[product_id], {"confirmed"}, "the failed part left nothing")
        finally:
            with self.registry.cursor() as cursor:
                self._remove_committed(cursor, chunk_ids[0] + chunk_ids[1], product_ids)
