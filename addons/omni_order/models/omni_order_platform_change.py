# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Orders that change on the platform after they were staged (issue 25).

A pull brings again the orders changed in its window. An order staged before
is not a duplicate then but an update, applied here whatever state it is in:

- the platform holds it (a refund asked, risk control, locked: adapter state
  ``hold``): before shipping it is held (退款拦截): it allocates nothing, its
  delivery's reservation is given back and no one can validate the delivery
  (stock_picking.py) until the platform says it may ship again (the refund
  was refused or withdrawn: the hold is lifted, the stock reserved again);
- the platform cancelled or closed it, or refunded it all (``cancelled``):
  before shipping it is cancelled, with its sale order;
- after shipping either becomes an after-sales case
  (:meth:`_omni_after_shipping_change`, made by omni_aftersale);
- paid and waiting to ship (``ready``) with another receiver (the buyer
  changed the address) or a line refunded while the rest ships: an order in
  review takes the change; a confirmed order whose delivery nobody started
  preparing goes back to review with it (its sale order is cancelled and a
  new one made by the channel's rules, so that the sale order still adds up
  to what was paid); one being prepared is held for a person.
"""

import logging

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round

from odoo.addons.omni_base.tools import guard, normalize
from odoo.addons.omni_platform.platforms.base import CANCELLED, HOLD, LINE_REFUNDED

from .omni_order import OPEN_STATES

_logger = logging.getLogger(__name__)

RECEIVER_FIELDS = ("receiver_name", "phone", "province", "city", "district", "address")
# holds that a Channel Manager lifts (a change found after packing); the
# platform's own hold is lifted by the platform alone
PERSON_HOLDS = ("address", "refund_packed")


class OmniOrder(models.Model):
    _inherit = "omni.order"

    # --- entry points -------------------------------------------------------
    @api.model
    def _omni_apply_platform_states(self, channel, skipped):
        """The orders of a pull that the adapter did not yield (see
        platforms/base.py ``skipped``): those staged before are held or
        cancelled as the platform says. Returns the entries of orders never
        staged that the platform holds (a refund asked for an order we never
        took): recorded on the channel, nothing else to do."""
        changes = {s["platform_order_no"]: s for s in skipped if s.get("state") in (HOLD, CANCELLED)}
        if not changes:
            return []
        orders = self.with_context(active_test=False).search(
            [("channel_id", "=", channel.id), ("platform_order_no", "in", list(changes))]
        )
        for order in orders:
            change = changes[order.platform_order_no]
            order._omni_platform_state(change["state"], change["status"])
        staged = set(orders.mapped("platform_order_no"))
        return [s for number, s in changes.items() if number not in staged and s["state"] == HOLD]

    def _omni_platform_state(self, state, status):
        """The platform says this staged order is held or cancelled."""
        self.ensure_one()
        if self.platform_status == status and (state == HOLD) == bool(self.hold_reason):
            return False  # the same news again (overlapping windows)
        order = self.merged_into_id or self
        if self.merged_into_id:
            # a merged order ships in its primary's parcel: the primary stops, a person sorts it out
            self._omni_set_platform_status(status)
            order._omni_hold("platform", status, self)
            return True
        if order.state == "shipped":
            order._omni_set_platform_status(status)
            order._omni_after_shipping_change(status)
        elif order.state in ("cancelled", "merged"):
            order._omni_set_platform_status(status)
        elif state == CANCELLED and not order._omni_shipped_in_part():
            order._omni_platform_cancel(status)
        else:
            order._omni_hold("platform", status)
        return True

    def _omni_platform_update(self, vals, order_data):
        """A staged order that the platform gives again, paid and waiting to
        ship: lift the platform's hold, take a new receiver and lines
        refunded meanwhile. ``vals`` are its staging values (as a new order
        would get), ``order_data`` the order as given. Returns whether
        anything changed."""
        self.ensure_one()
        if self.state in ("cancelled", "merged"):
            return False
        if vals.get("platform_status_unknown"):
            # a status the adapter does not know: named, nothing guessed
            if self.platform_status == vals["platform_status"] and self.platform_status_unknown:
                return False
            guard.internal(self).write({"platform_status": vals["platform_status"], "platform_status_unknown": True})
            self._check_exceptions()
            return True
        changed = False
        if self.platform_status_unknown:
            guard.internal(self).write({"platform_status": False, "platform_status_unknown": False})
            if self.state in OPEN_STATES:
                self._check_exceptions()
                self._omni_allocate()
                self._apply_review_rules()
            changed = True
        if self.hold_reason == "platform":
            self._omni_release_hold(False)
            changed = True
        new_receiver = {
            name: vals.get(name) or ""
            for name in RECEIVER_FIELDS
            if normalize.address_key(vals.get(name) or "") != normalize.address_key(self[name] or "")
        }
        refunded = self._omni_newly_refunded_lines(order_data)
        if not new_receiver and not refunded:
            return changed
        if self.state == "shipped":
            self._omni_after_shipping_change(self.env._("receiver or lines changed after shipping"))
            return True
        reopen = self.state == "confirmed"
        if reopen and self._omni_preparation_started():
            # the goods may be in a parcel already: a person looks at it
            if new_receiver:
                self._omni_write_receiver(new_receiver)
            self._omni_hold("refund_packed" if refunded else "address", self.platform_status or "")
            if refunded:
                self.message_post(body=self._omni_refund_note(refunded))
            return True
        if reopen:
            self._omni_reopen()
        if new_receiver:
            self._omni_write_receiver(new_receiver)
        if refunded:
            self._omni_remove_refunded_lines(refunded)
        self._check_exceptions()
        self._omni_allocate()
        if reopen:
            self._apply_review_rules()
        return True

    # --- holds ----------------------------------------------------------------
    def _omni_hold(self, reason, status, cause=None):
        """Stop these orders (not shipped): no allocation, their deliveries'
        reservations given back unless packing started, no confirmation and
        no validation until the hold is lifted."""
        orders = self.filtered(lambda o: o.state not in ("shipped", "cancelled", "merged"))
        if not orders:
            return
        guard.internal(orders).write({"hold_reason": reason, "platform_status": status or False})
        pickings = orders._omni_open_pickings()
        idle = pickings.filtered(lambda p: not p._omni_preparation_started())
        if idle:
            # the platform's word stops the delivery whoever pulled (a Channel
            # User has no stock rights): only these orders' open deliveries
            idle.sudo().do_unreserve()
        orders._omni_allocate()
        for order in orders:
            order.message_post(
                body=self.env._(
                    "Held: %(reason)s (platform status: %(status)s%(cause)s). Do not ship it.",
                    reason=order._omni_hold_label(),
                    status=status or "-",
                    cause=self.env._(", order %(order)s", order=cause.display_name) if cause else "",
                )
            )

    def _omni_release_hold(self, status):
        orders = self.filtered("hold_reason")
        if not orders:
            return
        guard.internal(orders).write({"hold_reason": False, "platform_status": status or False})
        pickings = orders._omni_open_pickings()
        if pickings:
            # reserved again as the hold gave it back, whoever pulled (see _omni_hold)
            pickings.sudo().action_assign()
        orders._omni_allocate()
        for order in orders:
            order.message_post(
                body=self.env._("Hold lifted (platform status: %(status)s): it ships again.", status=status or "-")
            )
        open_orders = orders.filtered(lambda o: o.state in OPEN_STATES)
        if open_orders:
            open_orders._apply_review_rules()

    def action_release_hold(self):
        """A Channel Manager releases a hold set for a change found after
        packing (the parcel was checked or repacked). The platform's own hold
        is lifted by the platform only."""
        if not self.env.user.has_group("omni_channel.group_omni_channel_manager"):
            raise UserError(self.env._("Only a Channel Manager releases a held order."))
        for order in self:
            if order.hold_reason not in PERSON_HOLDS:
                raise UserError(
                    self.env._(
                        "Order %(order)s is held by the platform (%(status)s): it ships when the platform says so.",
                        order=order.display_name,
                        status=order.platform_status or "-",
                    )
                )
        self._omni_release_hold(False)
        return True

    def _omni_hold_label(self):
        self.ensure_one()
        return dict(self._fields["hold_reason"]._description_selection(self.env)).get(self.hold_reason, "")

    def _omni_hold_message(self):
        """Why this held order must not ship, in the reader's language."""
        self.ensure_one()
        return self.env._(
            "Order %(order)s is held: %(reason)s (platform status: %(status)s). Do not ship it.",
            order=self.display_name,
            reason=self._omni_hold_label(),
            status=self.platform_status or "-",
        )

    # --- the other changes --------------------------------------------------
    def _omni_platform_cancel(self, status):
        """The platform cancelled or closed this order before it shipped:
        cancelled with its sale order (nothing was delivered)."""
        self.ensure_one()
        if self.sale_order_id and self.sale_order_id.state != "cancel":
            # the platform's word cancels the sale order whoever pulled
            self.sale_order_id.sudo()._action_cancel()
        guard.internal(self).write({"state": "cancelled", "hold_reason": False, "platform_status": status or False})
        (self | self.merged_order_ids)._omni_allocate()
        self.message_post(body=self.env._("Cancelled on the platform (status: %(status)s).", status=status or "-"))

    def _omni_after_shipping_change(self, status):
        """A shipped order the platform refunds or changes: an after-sales
        matter (omni_aftersale makes the case); here a note for a person."""
        self.ensure_one()
        self.message_post(
            body=self.env._(
                "Changed on the platform after shipping (status: %(status)s): handle it as an after-sales case.",
                status=status or "-",
            )
        )

    def _omni_set_platform_status(self, status):
        guard.internal(self).write({"platform_status": status or False})

    def _omni_reopen(self):
        """A confirmed order whose delivery nobody started: its sale order is
        cancelled and the order goes back to review, to be made again."""
        self.ensure_one()
        sale_order = self.sale_order_id
        # the platform's change, whoever pulled: only this order's sale order
        sale_order.sudo()._action_cancel()
        guard.internal(self | self.merged_order_ids).write({"sale_order_id": False})
        guard.internal(self).write({"state": "new"})
        self.message_post(
            body=self.env._(
                "Changed on the platform before its delivery was prepared: sale order %(sale)s cancelled, the "
                "order is reviewed again.",
                sale=sale_order.name,
            )
        )

    def _omni_write_receiver(self, values):
        old = ", ".join(filter(None, (self[name] for name in RECEIVER_FIELDS)))
        guard.internal(self).write(values)
        self.message_post(
            body=self.env._(
                "The buyer changed the receiver on the platform: %(old)s -> %(new)s.",
                old=old,
                new=", ".join(filter(None, (self[name] for name in RECEIVER_FIELDS))),
            )
        )

    def _omni_newly_refunded_lines(self, order_data):
        """[(line, refunded amount)] of this order's lines that the platform
        now says are refunded (a line refunded earlier is gone already)."""
        self.ensure_one()
        result, taken = [], set()
        for line_data in order_data.get("lines") or []:
            if not isinstance(line_data, dict) or line_data.get("refund") != LINE_REFUNDED:
                continue
            sku = normalize.normalize_text(line_data.get("platform_sku"))
            quantity = self._to_number(line_data.get("quantity"), self.platform_order_no, "quantity", digits=4)
            line = self.line_ids.filtered(
                lambda ln, s=sku, q=quantity: ln.id not in taken
                and ln.platform_sku == s
                and float_compare(ln.quantity, q, precision_digits=4) == 0
            )[:1]
            if not line:
                continue
            taken.add(line.id)
            amount = line_data.get("refund_amount")
            amount = (
                self._to_number(amount, self.platform_order_no, "refund_amount")
                if amount not in (None, "")
                else float_round(line.quantity * line.unit_price, 2)
            )
            result.append((line, amount))
        return result

    def _omni_refund_note(self, refunded):
        return self.env._(
            "Refunded on the platform before shipping: %(lines)s.",
            lines=", ".join(f"{line.platform_sku} x {line.quantity:g} ({amount:.2f})" for line, amount in refunded),
        )

    def _omni_remove_refunded_lines(self, refunded):
        """Refunded lines leave the order and their amount leaves what was
        paid: the sale order made from it still adds up to the paid amount."""
        self.ensure_one()
        self.message_post(body=self._omni_refund_note(refunded))
        paid_cents = round(self.paid_amount * 100) - sum(round(amount * 100) for _line, amount in refunded)
        lines = self.env["omni.order.line"].union(*(line for line, _amount in refunded))
        guard.internal(lines).unlink()
        guard.internal(self).write({"paid_amount": max(paid_cents, 0) / 100})

    # --- deliveries -----------------------------------------------------------
    def _omni_open_pickings(self):
        return self.sale_order_id.sudo().picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))

    def _omni_preparation_started(self):
        """Whether someone started preparing (or shipped part of) this order's delivery."""
        self.ensure_one()
        pickings = self.sale_order_id.sudo().picking_ids
        return self._omni_shipped_in_part() or any(p._omni_preparation_started() for p in pickings)

    def _omni_shipped_in_part(self):
        self.ensure_one()
        return bool(self.sale_order_id.sudo().picking_ids.filtered(lambda p: p.state == "done"))
