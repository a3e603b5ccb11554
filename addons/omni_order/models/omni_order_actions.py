# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What people and the channel's rules do with staged orders: confirm, cancel,
reset, merge orders of the same receiver."""

import logging

from odoo import Command, fields, models
from odoo.exceptions import UserError

from odoo.addons.omni_base.tools import guard

from ..tools.order_states import OPEN_STATES

_logger = logging.getLogger(__name__)


class OmniOrder(models.Model):
    _inherit = "omni.order"

    def _apply_review_rules(self):
        """Rules of each channel: merge with an unshipped order of the same
        receiver, confirm clean orders. Small batches now, big ones in jobs."""
        for channel, orders in self.grouped("channel_id").items():
            if channel.auto_merge:
                orders._auto_merge()
            if channel.auto_confirm:
                clean = orders.filtered(lambda o: o.state == "to_review" and not o.merged_into_id and not o.hold_reason)
                clean._schedule_confirmation()

    # --- review actions ---------------------------------------------------
    def action_confirm(self):
        """A person confirms: orders in review or in exception (except an
        unknown SKU or a quantity its product's unit cannot keep, which cannot
        become a sale order)."""
        orders = self.filtered(lambda o: o.state in OPEN_STATES and not o.merged_into_id)
        held = orders.filtered("hold_reason")
        if held:
            raise UserError(held[0]._omni_hold_message())
        # the rights are checked on the states the re-check gives, not on the stale ones
        # merged orders become part of the sale order: they are checked with it
        with_merged = orders | orders.merged_order_ids
        with_merged.action_recheck()
        with_merged._check_confirmable()
        orders._confirm_orders()
        return True

    def action_cancel(self):
        """Mark invalid: the order will not be shipped. Its sale order is
        cancelled when nothing was delivered yet."""
        for order in self:
            if order.state == "merged":
                raise UserError(
                    self.env._(
                        "Order %(order)s is merged into %(primary)s: mark that order invalid instead.",
                        order=order.display_name,
                        primary=order.merged_into_id.display_name,
                    )
                )
            if order.state == "shipped":
                raise UserError(
                    self.env._("Order %(order)s is shipped: handle it as a return.", order=order.display_name)
                )
        sale_orders = self.filtered(lambda o: o.state == "confirmed").sale_order_id
        if sale_orders.picking_ids.filtered(lambda p: p.state == "done"):
            raise UserError(self.env._("Part of these orders was already delivered: handle it as a return."))
        if sale_orders:
            sale_orders._action_cancel()
        guard.internal(self).write({"state": "cancelled"})
        (self | self.merged_order_ids)._omni_allocate()
        return True

    def action_reset(self):
        """Cancelled back to new and checked again."""
        orders = self.filtered(lambda o: o.state == "cancelled")
        guard.internal(orders).write({"state": "new", "sale_order_id": False, "merged_into_id": False})
        orders._check_exceptions()
        orders._omni_allocate()
        return True

    # --- merge ----------------------------------------------------------------
    def _can_take_lines(self):
        """A confirmed order can take merged lines while nothing is shipped."""
        self.ensure_one()
        pickings = self.sale_order_id.picking_ids
        return (
            self.state == "confirmed"
            and self.sale_order_id.state == "sale"
            and not pickings.filtered(lambda p: p.state in ("done", "cancel") or p.printed)
        )

    def _auto_merge(self):
        orders = self.filtered(lambda o: o.state in OPEN_STATES and not o.merged_into_id and not o.hold_reason)
        # one search for the batch; what this loop merges drops out on the way
        candidates_by_order = orders._get_merge_candidates()
        for order in orders:
            if order.merged_into_id:  # merged by an earlier order of this loop
                continue
            # an order in exception joins a confirmed order only by a person's merge (and rights)
            candidates = candidates_by_order[order].filtered(
                lambda c, o=order: c.id < o.id
                and not c.merged_into_id
                and (c.state != "confirmed" or o.state != "exception")
            )
            if candidates:
                (candidates[:1] | order).action_merge()

    def action_merge_candidates(self):
        """Button of the 'can be merged' note: merge this order with its
        merge suggestions (same channel, receiver and payment method)."""
        self.ensure_one()
        (self | self.merge_candidate_ids).action_merge()
        return True

    def action_merge(self):
        """Merge these orders (same channel, same receiver, nothing shipped)
        into the oldest: one sale order, one delivery."""
        if len(self) < 2:
            raise UserError(self.env._("Select at least two orders to merge."))
        if len(self.channel_id) > 1 or len(set(self.mapped("receiver_key"))) > 1:
            raise UserError(
                self.env._("Only orders of the same channel and the same receiver and address can be merged.")
            )
        if len(set(self.mapped("payment_method"))) > 1:
            raise UserError(
                self.env._(
                    "Prepaid and cash-on-delivery orders cannot be merged: the courier collects the COD amount "
                    "of a whole parcel, and the ledger posts a sale order either to the platform or to the courier."
                )
            )
        held = self.filtered("hold_reason")
        if held:
            raise UserError(held[0]._omni_hold_message())
        for order in self:
            if order.merged_into_id or not (order.state in OPEN_STATES or order._can_take_lines()):
                raise UserError(
                    self.env._(
                        "Order %(order)s is already merged, shipped or being prepared.", order=order.display_name
                    )
                )
        ordered = self.sorted(lambda o: (o.state != "confirmed", o.order_time or fields.Datetime.now(), o.id))
        primary, others = ordered[0], ordered[1:]
        # the orders merged into the others go to the primary with them
        taken = others | others.merged_order_ids
        if primary.state == "confirmed":
            # the taken orders join a confirmed sale order: they are confirmed, with the rights that takes
            taken._check_exceptions()
            taken._check_confirmable()
        taken_with_sale = taken.filtered("sale_order_id")
        if taken_with_sale:
            taken_with_sale.sale_order_id._action_cancel()
        # the merged-away orders end here: their lines, notes and findings are the primary's to handle
        guard.internal(taken.exception_ids).unlink()
        guard.internal(taken).write(
            {
                "state": "merged",
                "merged_into_id": primary.id,
                "sale_order_id": False,
                "exception_codes": False,
                "exception_rule_ids": [Command.clear()],
            }
        )
        notes = [primary.buyer_note] if primary.buyer_note else []
        notes += [f"{order.display_name}: {order.buyer_note}" for order in taken if order.buyer_note]
        if notes:
            guard.internal(primary).write({"buyer_note": "\n".join(notes)})
        for order in taken:
            order.message_post(body=self.env._("Merged into %(order)s.", order=primary.display_name))
        primary.message_post(
            body=self.env._("Merged with %(orders)s.", orders=", ".join(others.mapped("display_name")))
        )
        if primary.state == "confirmed":
            guard.internal(primary.sale_order_id).write(
                {"order_line": taken._prepare_sale_line_commands(primary.sale_order_id)}
            )
            guard.internal(taken).write({"sale_order_id": primary.sale_order_id.id})
        else:
            # the primary is checked with the lines and notes it took
            primary._check_exceptions()
        # the taken orders' allocations go to the primary order
        (primary | taken)._omni_allocate()
        return True
