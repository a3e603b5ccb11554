# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import logging

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.omni_base.tools import guard

from ..services import WaybillError
from ..services.parcel import client_parcel, platform_errors, sender_of

_logger = logging.getLogger(__name__)

#: provider primitives, looked up as ``_<delivery_type>_waybill_<name>`` (see readme/PROVIDERS.md)
PROVIDER_ISSUE = "_%s_waybill_issue"


class DeliveryCarrier(models.Model):
    """A waybill service is a ``delivery_type`` of Odoo's delivery carriers,
    added by its provider addon with ``selection_add`` like
    ``delivery_fedex``. A carrier of that type is one courier (its courier
    code: ZTO, YTO, SF...) shipped through that service: "ZTO through
    Cainiao" and "ZTO through Pinduoduo waybills" are two carriers with the
    code ZTO, which courier reconciliation both reads as ZTO.

    Core calls ``send_shipping``, ``cancel_shipment`` and
    ``get_tracking_link`` by name; for a waybill service this addon answers
    the first two through :class:`omni.waybill` (idempotent request keys,
    batches, the service's reason on failure), so that a provider implements
    only the ``_<type>_waybill_*`` primitives described in
    readme/PROVIDERS.md."""

    _inherit = "delivery.carrier"

    omni_waybill_service = fields.Boolean(
        string="Waybill Service",
        compute="_compute_omni_waybill_service",
        help="This carrier's provider is an e-waybill service: the tracking number is requested from it, "
        "never typed.",
    )
    omni_waybill_product_type = fields.Char(
        string="Service Product",
        help="The courier's product code that the waybill service expects (e.g. Cainiao's product_code), "
        "empty for its standard product.",
    )
    omni_waybill_template_url = fields.Char(
        string="Label Template",
        help="URL of the service's standard label template used to print this courier's waybills.",
    )

    @api.depends("delivery_type")
    def _compute_omni_waybill_service(self):
        for carrier in self:
            carrier.omni_waybill_service = carrier._omni_waybill_is_service()

    def _omni_waybill_is_service(self):
        if not self:
            return False
        self.ensure_one()
        return bool(self.delivery_type) and hasattr(self, PROVIDER_ISSUE % self.delivery_type)

    def _omni_waybill_call(self, name, *args, default=None):
        """The provider primitive ``_<type>_waybill_<name>`` of this
        carrier's service, called with ``args``; ``default`` when the
        provider does not implement it."""
        self.ensure_one()
        method = getattr(self, f"_{self.delivery_type}_waybill_{name}", None)
        if method is None:
            return default
        return method(*args)

    def _omni_waybill_batch_size(self):
        """Parcels one request of the service may carry."""
        return max(1, int(self._omni_waybill_call("batch_size", default=1) or 1))

    def _omni_waybill_encrypted_platforms(self):
        """Platforms (omni.channel ``platform`` values) whose encrypted
        receivers this carrier can print: those of its waybill service
        (Cainiao: Taobao and Tmall, Pinduoduo's service: Pinduoduo...)."""
        self.ensure_one()
        if not self._omni_waybill_is_service():
            return frozenset()
        return frozenset(self._omni_waybill_call("encrypted_platforms", default=()) or ())

    def _omni_waybill_service_name(self):
        self.ensure_one()
        return dict(self._fields["delivery_type"]._description_selection(self.env)).get(
            self.delivery_type, self.delivery_type
        )

    def _omni_waybill_account(self, picking, cache=None):
        """The service account that issues this carrier's numbers for
        ``picking``: the shop's own (platforms that require the shop's
        authorisation) before the company's. Read as superuser: the packer
        never reads the credentials; only the provider does, to sign."""
        self.ensure_one()
        Account = self.env["omni.waybill.account"].sudo()
        channel = picking.sudo().omni_channel_id
        key = (self.delivery_type, picking.company_id.id, channel.id)
        if cache is not None and key in cache:
            return cache[key]
        accounts = Account.search(
            [
                ("service", "=", self.delivery_type),
                ("company_id", "=", picking.company_id.id),
                ("channel_id", "in", [channel.id, False]),
            ]
        )
        return (
            accounts.filtered(lambda a: a.channel_id == channel)[:1]
            or accounts.filtered(lambda a: not a.channel_id)[:1]
        )

    # -- one batch of one account
    def _omni_waybill_issue_batch(self, account, waybills):
        """Numbers for ``waybills`` (state requested, this carrier, one
        account): those asked before are looked up by their request key
        first, the others asked in chunks of the service's batch size.
        Returns {picking: reason} for the deliveries left without a number."""
        self.ensure_one()
        errors = {}
        asked_before = waybills.filtered("attempt_count")
        if asked_before:
            parcels = [w.picking_id._omni_waybill_parcel(w, account) for w in asked_before]
            try:
                found = self._omni_waybill_call("query", account, parcels, default=None) or []
            except WaybillError as err:
                # the lookup failing is no answer either way: asking again with
                # the same request key gives the same number at the service
                _logger.info("%s: lookup by request key failed: %s", self.delivery_type, err.reason)
                found = []
            self._omni_waybill_store(account, asked_before, found, missing_is_error=False)
        waiting = waybills.filtered(lambda w: w.state == "requested")
        size = self._omni_waybill_batch_size()
        service = self._omni_waybill_service_name()
        for start in range(0, len(waiting), size):
            chunk = waiting[start : start + size]
            for count, same in chunk.grouped("attempt_count").items():
                guard.internal(same).write({"attempt_count": count + 1, "account_id": account.id})
            parcels = [w.picking_id._omni_waybill_parcel(w, account) for w in chunk]
            try:
                results = self._omni_waybill_call("issue", account, parcels) or []
                errors.update(self._omni_waybill_store(account, chunk, results))
            except WaybillError as err:
                reason = self.env._("%(service)s: %(reason)s", service=service, reason=err.reason)
                guard.internal(chunk).write({"error": reason})
                for picking in chunk.picking_id:
                    errors[picking] = self.env._("%(picking)s: %(reason)s", picking=picking.name, reason=reason)
        return errors

    def _omni_waybill_store(self, account, waybills, results, missing_is_error=True):
        """Write the service's answers (dicts with request_key and number,
        print_data, or error) on their waybills; {picking: reason} of the
        parcels that got none."""
        errors = {}
        service = self._omni_waybill_service_name()
        by_key = {result.get("request_key"): result for result in results}
        numbers = [r.get("number") for r in results if r.get("number")]
        used = set()
        if numbers:
            used = set(
                self.env["omni.waybill"]
                .sudo()
                .search(
                    [("service", "=", self.delivery_type), ("number", "in", numbers), ("id", "not in", waybills.ids)]
                )
                .mapped("number")
            )
        now = fields.Datetime.now()
        for waybill in waybills:
            result = by_key.get(waybill.request_key) or {}
            number = (result.get("number") or "").strip()
            reason = result.get("error")
            if number and number in used:
                reason = self.env._("the service returned number %(number)s, already used", number=number)
                number = False
            if number:
                print_data = result.get("print_data") or {}
                guard.internal(waybill).write(
                    {
                        "number": number,
                        "state": "issued",
                        "print_data": print_data if isinstance(print_data, str) else json.dumps(print_data),
                        "issue_date": now,
                        "account_id": account.id,
                        "error": False,
                    }
                )
                continue
            if not reason and not missing_is_error:
                continue
            reason = self.env._(
                "%(service)s: %(reason)s", service=service, reason=reason or self.env._("no number in the answer")
            )
            guard.internal(waybill).write({"error": reason})
            errors[waybill.picking_id] = self.env._(
                "%(picking)s: %(reason)s", picking=waybill.picking_id.name, reason=reason
            )
        return errors

    # -- providers whose client is a platform adapter's (Pinduoduo's and
    #    Douyin's waybill services): the flat parcels of services/parcel.py
    def _omni_waybill_client_issue(self, client_of, account, parcels, **options):
        """The answers of ``client_of(account, sender)``'s
        ``request_waybills`` for ``parcels`` (with the client's
        ``options``; the client's own shape: ``key``, ``tracking_number``,
        ``print_data``, ``error``...); the platform's errors as
        :class:`WaybillError`."""
        self.ensure_one()
        if not parcels:
            return []
        with platform_errors(), client_of(account, sender_of(parcels[0])) as client:
            return client.request_waybills([client_parcel(p) for p in parcels], **options)

    def _omni_waybill_client_cancel(self, client_of, account, waybills):
        """Give the numbers of ``waybills`` back through ``client_of(account)``;
        the first refusal raises a :class:`WaybillError` (nothing marked)."""
        self.ensure_one()
        with platform_errors(), client_of(account) as client:
            for waybill in waybills:
                client.cancel(waybill.number)
        return True

    def _omni_waybill_print_component_task(self, url, waybills, documents):
        """The ``print`` command of a platform's print component listening on
        ``url`` for ``documents`` (one per number), or None without any."""
        if not documents:
            return None
        task_id = "-".join(str(i) for i in waybills.ids[:3]) + f"-{len(waybills)}"
        return {
            "url": url,
            "payload": {
                "cmd": "print",
                "requestID": task_id,
                "version": "1.0",
                "task": {"taskID": task_id, "preview": False, "printer": "", "documents": documents},
            },
        }

    # -- core API (stock_delivery calls these by name)
    def send_shipping(self, pickings):
        if not self._omni_waybill_is_service():
            return super().send_shipping(pickings)
        pickings._omni_waybill_request(raise_errors=True)
        results = []
        for picking in pickings:
            number = picking._omni_waybill_live().filtered(lambda w: w.parcel_index == 1)[:1].number
            results.append({"exact_price": picking._omni_waybill_expected_price(), "tracking_number": number})
        return results

    def cancel_shipment(self, pickings):
        if not self._omni_waybill_is_service():
            return super().cancel_shipment(pickings)
        waybills = pickings._omni_waybill_live().filtered(lambda w: w.carrier_id == self)
        return waybills.action_cancel()

    def _omni_waybill_rate_shipment(self, order):
        """What a provider's ``<type>_rate_shipment`` (core calls it by name)
        answers: a waybill service issues numbers and quotes no price, the
        price is the carrier's fixed price (the courier's rate card, with
        core's margins and free-over rule applied by ``rate_shipment``)."""
        self.ensure_one()
        return {"success": True, "price": self.fixed_price or 0.0, "error_message": False, "warning_message": False}

    def get_tracking_link(self, picking):
        if self._omni_waybill_is_service() and not hasattr(self, f"{self.delivery_type}_get_tracking_link"):
            return self.tracking_url and self.tracking_url.replace(
                "<shipmenttrackingnumber>", picking.carrier_tracking_ref or ""
            )
        return super().get_tracking_link(picking)

    def _omni_waybill_check_usable(self, picking):
        """Why this carrier cannot ship ``picking`` (a translated reason), or
        False: an encrypted receiver is only printed by the waybill service of
        the platform that encrypted it."""
        self.ensure_one()
        platform = picking._omni_waybill_encrypted_platform()
        if platform and platform not in self._omni_waybill_encrypted_platforms():
            platforms = dict(self.env["omni.channel"]._fields["platform"]._description_selection(self.env))
            return self.env._(
                "%(picking)s: the receiver is encrypted by %(platform)s; %(carrier)s cannot print it. Ship it "
                "with a waybill service that prints %(platform)s's encrypted orders.",
                picking=picking.name,
                platform=platforms.get(platform, platform),
                carrier=self.name,
            )
        return False

    def _omni_get_by_code(self, code, company=None, raise_if_missing=True):
        # a code may name one courier per service: a code typed or imported
        # names the courier itself (the carrier without a service) first
        carriers = super()._omni_get_by_code(code, company=company, raise_if_missing=raise_if_missing)
        if carriers and carriers._omni_waybill_is_service():
            company = company or self.env.company
            plain = self.search(
                [
                    ("omni_courier_code", "=", self._omni_normalize_code(code)),
                    ("company_id", "in", [company.id, False]),
                ],
                order="company_id",
            ).filtered(lambda c: not c._omni_waybill_is_service())
            return (plain[:1] or carriers).with_company(company)
        return carriers

    def _omni_check_code_unique(self):
        # the same courier through two services (ZTO via Cainiao, ZTO via
        # Pinduoduo) and by hand is one code on three carriers: a code is
        # unique among the carriers of one service, and among those without one
        services = self._omni_waybill_service_types()
        by_type = {}
        for carrier in self:
            key = carrier.delivery_type if carrier.delivery_type in services else False
            by_type.setdefault(key, self.browse())
            by_type[key] |= carrier
        for service, carriers in by_type.items():
            coded = carriers.filtered("omni_courier_code")
            if not coded:
                continue
            others = (
                self.sudo()
                .with_context(active_test=False)
                .search(
                    [
                        ("omni_courier_code", "in", coded.mapped("omni_courier_code")),
                        ("delivery_type", "=", service) if service else ("delivery_type", "not in", services),
                        ("id", "not in", coded.ids),
                    ]
                )
            )
            for carrier in coded:
                for other in others:
                    if other.omni_courier_code == carrier.omni_courier_code and (
                        not other.company_id or not carrier.company_id or other.company_id == carrier.company_id
                    ):
                        raise ValidationError(
                            self.env._(
                                "Courier code '%(code)s' is already used by '%(other)s'.",
                                code=carrier.omni_courier_code,
                                other=other.name,
                            )
                        )

    @api.model
    def _omni_waybill_service_types(self):
        """The delivery types that are waybill services."""
        return [
            value
            for value, _label in self._fields["delivery_type"]._description_selection(self.env)
            if hasattr(self, PROVIDER_ISSUE % value)
        ]
