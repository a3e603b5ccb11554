# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A confirmation wave's reservation, in parts that run side by side.

Each confirmed chunk of a wave reserves its deliveries in a job of its own
on the channel root.omni_reserve, as many at once as there are job
workers. The chunks' deliveries, sale orders and platform orders are
their own; what two jobs share is the quants, the rows Odoo updates to
reserve (in REPEATABLE READ, the second job to update one fails and starts
again). So a job reserves its moves product by product:

- it takes session advisory locks on some of its products that no other
  job is reserving (``pg_try_advisory_lock``: it never waits for them),
  about a PARTS-th of its moves;
- it reserves the moves of those products in a transaction of its own,
  started once the locks were held (so its snapshot sees the reservation
  of the last holder), commits, then releases the locks;
- it goes on with the products left; when another job holds every one of
  them, it waits for one (holding no lock itself: no deadlock).

A quant is thus reserved by one transaction at a time, whatever the number
of jobs. Each part is whole when it commits (its moves and their deliveries'
states, the orders' allocations released for what it reserved), so a job
stopped half-way leaves nothing inconsistent: its retry reserves the rest.
The parts run on a cursor of their own (queue_job forbids commits on the
job's cursor, which holds the job's lock)."""

import math
import random
import time
from collections import Counter

from odoo import models

# the moves a reservation job takes (Odoo's action_assign: every move not
# draft, cancelled or done; assigned ones have nothing left to reserve)
RESERVABLE = ("confirmed", "waiting", "partially_available")
# first key of the advisory locks pg_*advisory_lock(int, int): the second is
# the product being reserved; "OMRS" in ASCII
LOCK_SPACE = 0x4F4D5253
# a job reserves about this share of its moves per transaction
PARTS = 4


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _omni_moves_to_reserve(self):
        return self.move_ids.filtered(lambda m: m.state in RESERVABLE)

    def _omni_reserve_in_parts(self):
        """Reserve these deliveries (one chunk of a wave) in parts, product
        by product, each part committed on a cursor of its own (see the
        module's docstring). Other jobs may reserve other chunks at the same
        time. Returns (parts, moves reserved, seconds waited for products
        other jobs held)."""
        if not self._omni_moves_to_reserve():
            return 0, 0, 0.0
        parts, reserved, waited = 0, 0, 0.0
        with self.env.registry.cursor() as cr:
            env = self.env(cr=cr)
            pickings = self.with_env(env)
            try:
                moves = pickings._omni_moves_to_reserve()
                per_product = Counter(move.product_id.id for move in moves)
                target = math.ceil(len(moves) / PARTS)
                remaining = set(per_product)
                cr.rollback()
                while remaining:
                    start = time.monotonic()
                    held = pickings._omni_lock_products(remaining, per_product, target)
                    waited += time.monotonic() - start
                    # this part's transaction (and snapshot) starts now that the
                    # locks are held: it sees what their last holder reserved
                    # (commits on this method's own cursor, never the caller's)
                    cr.commit()  # pylint: disable=invalid-commit
                    env.invalidate_all()
                    part = pickings._omni_moves_to_reserve().filtered(lambda m, held=held: m.product_id.id in held)
                    pickings._omni_reserve_part(part)
                    cr.commit()  # pylint: disable=invalid-commit
                    pickings._omni_unlock_products(held)
                    remaining -= held
                    parts, reserved = parts + 1, reserved + len(part)
            except Exception:
                # the session's locks outlive a rollback: all of them released
                # before the connection goes back to the pool (the cursor is
                # this method's own; nothing else takes session locks on it)
                cr.rollback()
                cr.execute("SELECT pg_advisory_unlock_all()")
                cr.commit()  # pylint: disable=invalid-commit
                raise
        return parts, reserved, waited

    def _omni_lock_products(self, remaining, per_product, target):
        """Session advisory locks on some ``remaining`` products that no
        other job holds, about ``target`` moves' worth, taken in a random
        order (two jobs seldom want the same first); when others hold all of
        them, wait for one. Returns the ids locked."""
        cr = self.env.cr
        candidates = list(remaining)
        random.shuffle(candidates)
        held, moves = set(), 0
        for product_id in candidates:
            cr.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_SPACE, product_id])
            if cr.fetchone()[0]:
                held.add(product_id)
                moves += per_product[product_id]
                if moves >= target:
                    break
        if not held:
            # every product left is another job's right now; this job holds
            # no lock while it waits (no deadlock)
            cr.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_SPACE, candidates[0]])
            held.add(candidates[0])
        return held

    def _omni_unlock_products(self, product_ids):
        self.env.cr.execute(
            "SELECT pg_advisory_unlock(%s, product_id) FROM unnest(%s::int[]) product_id",
            [LOCK_SPACE, sorted(product_ids)],
        )

    def _omni_reserve_part(self, moves):
        """Reserve ``moves`` (of these deliveries) in the current transaction."""
        moves.with_context(mail_notrack=True, tracking_disable=True)._omni_assign_in_batch()
        self.env.flush_all()

    def _omni_reserve_at_once(self):
        """Reserve these deliveries in the caller's transaction (a direct
        call: a test, a shell), as one part."""
        moves = self._omni_moves_to_reserve()
        if moves:
            self._omni_reserve_part(moves)
