# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.omni_base.tools import guard

from ..services import WaybillError
from .omni_waybill import LIVE_STATES


class StockPicking(models.Model):
    """A delivery shipped through a waybill service gets its tracking
    number from the service (one number per parcel), never typed: the
    request engine is :meth:`_omni_waybill_request`."""

    _inherit = "stock.picking"

    omni_waybill_ids = fields.One2many("omni.waybill", "picking_id", string="E-Waybills", readonly=True)
    omni_waybill_service = fields.Boolean(related="carrier_id.omni_waybill_service", string="Waybill Service")
    omni_waybill_error = fields.Text(
        string="Waybill Service's Answer",
        readonly=True,
        copy=False,
        help="Why the waybill service gave no number for this delivery the last time it was asked (its own "
        "words); empty once it gave one.",
    )
    omni_parcel_count = fields.Integer(
        string="Parcels",
        default=1,
        copy=False,
        help="Parcels this delivery ships as: one waybill number each (child numbers where the service " "has them).",
    )

    _sql_constraints = [
        ("omni_parcel_count_positive", "CHECK(omni_parcel_count > 0)", "A delivery ships at least one parcel."),
    ]

    # -- reading
    def _omni_waybill_live(self):
        """The live (issued or printed) waybills of these deliveries, by parcel."""
        return self.omni_waybill_ids.filtered(lambda w: w.state in LIVE_STATES).sorted(
            lambda w: (w.picking_id.id, w.parcel_index)
        )

    def _omni_waybill_encrypted_platform(self):
        """The platform that encrypted this delivery's receiver, or False."""
        self.ensure_one()
        # the packer reads whether its own delivery's order is encrypted, and the channel's platform
        order = self.sudo().sale_id
        encrypted = order.omni_receiver_encrypted or any(order.omni_order_ids.mapped("receiver_encrypted"))
        return encrypted and order.omni_channel_id.platform

    def _omni_waybill_encrypted_receiver(self):
        """What the platform gave instead of the receiver (ciphertext, receiver
        id such as Taobao's oaid), passed to the platform's own waybill service
        untouched: the ciphertexts and the receiver id the platform order
        keeps (omni_order's receiver fields), as readme/PROVIDERS.md names
        them; {} for a receiver in plain text."""
        self.ensure_one()
        # the packer's own delivery: its platform order's ciphertext (never the plain text), read as superuser
        order = self.sudo().sale_id.omni_order_ids.filtered("receiver_encrypted")[:1]
        if not order:
            return {}
        encrypted = {
            "oaid": order.receiver_id or "",
            "receiver_id": order.receiver_id or "",
            "name": order.receiver_name_cipher or "",
            "phone": order.receiver_phone_cipher or "",
            "mobile": order.receiver_phone_cipher or "",
            "address": order.receiver_address_cipher or "",
        }
        return {key: value for key, value in encrypted.items() if value}

    def _omni_waybill_expected_price(self):
        self.ensure_one()
        return self.omni_expected_fee or 0.0

    def _omni_waybill_request_key(self, carrier, parcel_index):
        """Fixed before the service is asked: the same parcel asked again
        (double click, retry after a timeout, a rolled back transaction)
        carries the same key, and the service answers with the same number;
        once a number is cancelled, the next one has a new key."""
        self.ensure_one()
        cancelled = len(
            self.omni_waybill_ids.filtered(
                lambda w: w.carrier_id == carrier and w.parcel_index == parcel_index and w.state == "cancelled"
            )
        )
        db_uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")[:8]
        return f"{db_uuid}-{self.id}-{parcel_index}-{carrier.id}-{cancelled}"

    def _omni_waybill_parcel(self, waybill, account):
        """What a provider receives for one parcel (readme/PROVIDERS.md)."""
        self.ensure_one()
        # the platform orders of the packer's own delivery: receiver and numbers, read as superuser
        orders = self.sudo().sale_id.omni_order_ids
        first = orders[:1]
        partner = self.partner_id
        sender = account._sender()
        return {
            "request_key": waybill.request_key,
            "waybill": waybill,
            "picking": self,
            "parcel_index": waybill.parcel_index,
            "parcel_count": waybill.parcel_count,
            "platform": self.sudo().omni_channel_id.platform or "",
            "shop_code": self.sudo().omni_channel_id.code or "",
            "order_numbers": orders.mapped("platform_order_no") or [self.origin or self.name],
            "courier_code": waybill.carrier_id.omni_courier_code or "",
            "product_type": waybill.carrier_id.omni_waybill_product_type or "",
            "weight": self.omni_parcel_weight,
            "sender": {
                "name": sender.name or "",
                "phone": sender.phone or sender.mobile or "",
                "province": sender.state_id.name or "",
                "city": sender.city or "",
                "district": sender.street2 or "",
                "address": sender.street or "",
                "zip": sender.zip or "",
            },
            "receiver": {
                "name": first.receiver_name or partner.name or "",
                "phone": first.phone or partner.phone or partner.mobile or "",
                "province": first.province or partner.state_id.name or "",
                "city": first.city or partner.city or "",
                "district": first.district or partner.street2 or "",
                "address": first.address or partner.street or "",
                "zip": partner.zip or "",
            },
            "encrypted": self._omni_waybill_encrypted_receiver(),
            "items": [
                {"name": move.product_id.display_name, "quantity": move.product_uom_qty}
                for move in self.move_ids
                if move.state != "cancel"
            ],
        }

    # -- routing
    def _omni_waybill_route(self):
        """Deliveries without a courier get the first matching rule's of their
        channel; returns {picking: reason} for those no rule can ship."""
        reasons = {}
        pickings = self.filtered(lambda p: not p.carrier_id and p.picking_type_code == "outgoing")
        if not pickings:
            return reasons
        # the packer reads its deliveries' channels' routing rules, as superuser (rules are stock managers' data)
        rules = self.env["omni.waybill.rule"].sudo().search([("channel_id", "in", pickings.sudo().omni_channel_id.ids)])
        for picking in pickings:
            candidates = rules.filtered(lambda r, p=picking: r.channel_id == p.sudo().omni_channel_id and r._matches(p))
            refused = []
            for rule in candidates:
                carrier = rule.carrier_id.sudo(False)
                if carrier.company_id and carrier.company_id != picking.company_id:
                    continue
                reason = carrier._omni_waybill_check_usable(picking)
                if reason:
                    refused.append(reason)
                    continue
                picking.carrier_id = carrier
                break
            else:
                if refused:
                    reasons[picking] = refused[0]
        return reasons

    # -- the request engine
    def action_omni_waybill_request(self):
        """Ask the waybill service for the numbers of these deliveries (a
        button, also the retry after a failure): returns the print tasks."""
        self.check_access("write")
        self._omni_check_open()
        errors = self._omni_waybill_request()
        if errors and len(self) == 1:
            raise UserError(next(iter(errors.values())))
        return self.omni_waybill_ids.filtered(lambda w: w.state == "issued")._print_tasks()

    def action_omni_waybill_cancel(self):
        """Cancel these deliveries' live waybills at their services."""
        self.check_access("write")
        return self._omni_waybill_live().action_cancel()

    def _omni_waybill_request(self, raise_errors=False):
        """Get a waybill number for every parcel of these deliveries from
        their carrier's service; one request per service batch. A parcel with
        a live number keeps it; a parcel asked before without an answer
        (timeout) is first looked up at the service by its request key.

        Returns {picking: the service's reason} for the deliveries that got
        no number (the reason is also stored on the delivery, shown in red
        at the packing station; nothing is shipped). ``raise_errors``: raise
        the first reason instead (Odoo's send_shipping)."""
        errors = {}
        for picking, reason in self._omni_waybill_route().items():
            errors[picking] = reason
        todo = self.browse()
        for picking in self - self.browse([p.id for p in errors]):
            carrier = picking.carrier_id
            if not carrier:
                errors[picking] = self.env._("%(picking)s has no courier.", picking=picking.name)
                continue
            if not carrier._omni_waybill_is_service():
                errors[picking] = self.env._(
                    "%(courier)s is no waybill service: scan or type the tracking number of %(picking)s.",
                    courier=carrier.name,
                    picking=picking.name,
                )
                continue
            reason = carrier._omni_waybill_check_usable(picking)
            if reason:
                errors[picking] = reason
                continue
            todo |= picking
        waybills = todo._omni_waybill_prepare()
        # credentials and service calls: the rights on these deliveries were
        # checked by the caller (action or Odoo's validation); the account is
        # read as superuser inside the carrier, the waybills written through the guard
        accounts = {}
        for carrier, group in waybills.grouped("carrier_id").items():
            by_account = {}
            for waybill in group:
                account = carrier._omni_waybill_account(waybill.picking_id, cache=accounts)
                if not account:
                    errors[waybill.picking_id] = self.env._(
                        "%(service)s: no service account for %(company)s / %(shop)s (Inventory ▸ Configuration ▸ "
                        "E-Waybill Accounts).",
                        service=carrier._omni_waybill_service_name(),
                        company=waybill.picking_id.company_id.name,
                        shop=waybill.picking_id.sudo().omni_channel_id.name or "-",
                    )
                    continue
                by_account.setdefault(account, self.env["omni.waybill"])
                by_account[account] |= waybill
            for account, batch in by_account.items():
                errors.update(carrier._omni_waybill_issue_batch(account, batch))
        failed = self.browse([p.id for p in errors])
        for picking in failed:
            guard.internal(picking).write({"omni_waybill_error": errors[picking]})
        for picking in todo - failed:
            live = picking._omni_waybill_live()
            vals = {"omni_waybill_error": False}
            if not picking.carrier_tracking_ref and live:
                vals["carrier_tracking_ref"] = live[0].number
            guard.internal(picking).write(vals)
        if errors and raise_errors:
            raise UserError("\n".join(errors.values()))
        return errors

    def _omni_waybill_prepare(self):
        """The waybill records still waiting for a number, one per parcel:
        created (state requested) with their request key where missing."""
        Waybill = self.env["omni.waybill"]
        waiting = Waybill
        vals_list = []
        for picking in self:
            carrier = picking.carrier_id
            other = picking._omni_waybill_live().filtered(lambda w, c=carrier: w.carrier_id != c)
            if other:
                raise UserError(
                    self.env._(
                        "%(picking)s still has waybill %(numbers)s of another courier: cancel it before asking "
                        "%(courier)s.",
                        picking=picking.name,
                        numbers=", ".join(other.mapped("number")),
                        courier=carrier.name,
                    )
                )
            count = max(picking.omni_parcel_count, 1)
            for index in range(1, count + 1):
                mine = picking.omni_waybill_ids.filtered(
                    lambda w, c=carrier, i=index: w.carrier_id == c and w.parcel_index == i and w.state != "cancelled"
                )
                if mine.filtered(lambda w: w.state in LIVE_STATES):
                    continue
                if mine:
                    waiting |= mine[:1]
                    continue
                vals_list.append(
                    {
                        "picking_id": picking.id,
                        "carrier_id": carrier.id,
                        "parcel_index": index,
                        "parcel_count": count,
                        "request_key": picking._omni_waybill_request_key(carrier, index),
                    }
                )
        if vals_list:
            waiting |= guard.internal(Waybill).create(vals_list)
        return waiting

    # -- guards: the number comes from the service, whoever writes
    def write(self, vals):
        res = super().write(vals)
        if "carrier_id" in vals:
            self._omni_waybill_release_requests()
        if "carrier_tracking_ref" in vals or "carrier_id" in vals:
            self._omni_waybill_check_tracking()
        return res

    def _omni_waybill_release_requests(self):
        """The courier changed: the parcels' requests to another courier's
        service that never got an answer are settled, none is left waiting.
        One never sent is cancelled. One sent (it may have timed out after
        the service issued a number) is first looked up by its request key:
        a number found was never printed, it is given back to the service
        (cancelled there) and here; none found, the request is cancelled.
        When the lookup fails, the request stays requested, with a note on
        the delivery: it is settled when it is asked again or cancelled."""
        stale = self.omni_waybill_ids.filtered(
            lambda w: w.state == "requested" and w.carrier_id != w.picking_id.carrier_id
        )
        if not stale:
            return
        kept = self.env["omni.waybill"]
        # the service accounts (credentials) are read as superuser, on exactly
        # these requests: the caller may write these deliveries (Odoo's write)
        for (carrier, account), batch in (
            stale.filtered("attempt_count").sudo().grouped(lambda w: (w.carrier_id, w.account_id)).items()
        ):
            parcels = [w.picking_id._omni_waybill_parcel(w, account) for w in batch]
            carrier = carrier.with_company(batch.company_id[:1])
            try:
                found = carrier._omni_waybill_call("query", account, parcels, default=None) or []
            except WaybillError as err:
                kept |= batch.sudo(False)
                for picking in batch.picking_id:
                    picking.sudo(False)._message_log(
                        body=self.env._(
                            "The earlier request to %(service)s could not be checked (%(reason)s): it stays "
                            "requested; ask %(service)s again or cancel the request.",
                            service=carrier._omni_waybill_service_name(),
                            reason=err.reason,
                        )
                    )
                continue
            carrier._omni_waybill_store(account, batch, found, missing_is_error=False)
            issued = batch.filtered(lambda w: w.state == "issued").sudo(False)
            if issued:
                issued.action_cancel()
        unanswered = (stale - kept).filtered(lambda w: w.state == "requested")
        guard.internal(unanswered).write({"state": "cancelled", "cancel_date": fields.Datetime.now()})

    def _omni_waybill_check_tracking(self):
        for picking in self.filtered(lambda p: p.picking_type_code == "outgoing"):
            live = picking._omni_waybill_live()
            other = live.filtered(lambda w, p=picking: w.carrier_id != p.carrier_id)
            if other:
                raise UserError(
                    self.env._(
                        "%(picking)s has waybill %(numbers)s of %(courier)s: cancel it before changing the courier.",
                        picking=picking.name,
                        numbers=", ".join(other.mapped("number")),
                        courier=other.carrier_id[:1].name,
                    )
                )
            carrier = picking.carrier_id
            if carrier and carrier._omni_waybill_is_service() and picking.carrier_tracking_ref:
                numbers = {number.strip() for number in picking.carrier_tracking_ref.split(",")}
                if not numbers <= set(live.mapped("number")):
                    raise UserError(
                        self.env._(
                            "%(picking)s ships with %(courier)s through %(service)s: its tracking number comes from "
                            "the service, it is never typed.",
                            picking=picking.name,
                            courier=carrier.name,
                            service=carrier._omni_waybill_service_name(),
                        )
                    )

    def button_validate(self):
        for picking in self.filtered(lambda p: p.picking_type_code == "outgoing" and p.carrier_id):
            reason = picking.carrier_id._omni_waybill_check_usable(picking)
            if reason:
                raise UserError(reason)
        return super().button_validate()
