# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Pinduoduo e-waybills as a delivery provider (``delivery_type`` ``pdd``).

The provider primitives ``_pdd_waybill_*`` are those of ``omni_waybill``
(readme/PROVIDERS.md there): the framework keeps the request keys, the
batches and the waybill records; this file only speaks to the service
through :class:`~..services.pdd_waybill.PddWaybillClient`."""

from odoo import fields, models

from odoo.addons.omni_waybill.services import WaybillError

from ..services.pdd_waybill import BATCH_LIMIT, PddWaybillClient

#: the Pinduoduo print component (拼多多打印组件) listens on this local WebSocket
PRINT_COMPONENT_URL = "ws://127.0.0.1:5000"


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(
        selection_add=[("pdd", "Pinduoduo E-Waybill")],
        ondelete={"pdd": lambda carriers: carriers.write({"delivery_type": "fixed", "fixed_price": 0})},
    )
    pdd_wp_code = fields.Char(
        string="Pinduoduo Courier Code",
        help="The courier's code at Pinduoduo's waybill service (wp_code: ZTO, YTO, STO, YUNDA...). Empty: the "
        "courier code.",
    )

    # -- core provider methods
    def pdd_rate_shipment(self, order):
        return self._omni_waybill_rate_shipment(order)

    def _omni_platform_courier_code(self, picking):
        # the platform is told the courier under which its service issued the number
        if self.delivery_type == "pdd":
            return self._pdd_wp_code()
        return super()._omni_platform_courier_code(picking)

    # -- waybill provider primitives (omni_waybill)
    def _pdd_waybill_batch_size(self):
        return BATCH_LIMIT

    def _pdd_waybill_encrypted_platforms(self):
        return ("pinduoduo",)

    def _pdd_wp_code(self):
        self.ensure_one()
        return (self.pdd_wp_code or self.omni_courier_code or "").strip().upper()

    def _pdd_client(self, account, sender=None):
        client_id, secret, token, url = account._pdd_credentials()
        if not (client_id and secret and token):
            raise WaybillError(
                self.env._(
                    "The Pinduoduo waybill account %(account)s has no client id, secret or access token (nor has its "
                    "shop).",
                    account=account.name,
                )
            )
        return PddWaybillClient(
            base_url=url,
            app_key=client_id,
            app_secret=secret,
            access_token=token,
            timeout=account.timeout or 15,
            retries=1,
            wp_code=self._pdd_wp_code(),
            sender=sender or {},
            template_url=self.omni_waybill_template_url or "",
            user_id=account.pdd_user_id or "",
        )

    def _pdd_waybill_issue(self, account, parcels):
        """Numbers and print data of one batch (at most 10 parcels)."""
        results = self._omni_waybill_client_issue(self._pdd_client, account, parcels)
        return [
            {"request_key": r["key"], "number": r["tracking_number"], "print_data": r["print_data"],
             "error": r["error"]}
            for r in results
        ]  # fmt: skip

    def _pdd_waybill_cancel(self, account, waybills):
        """Give the numbers back; the first refusal raises (nothing marked)."""
        return self._omni_waybill_client_cancel(self._pdd_client, account, waybills)

    def _pdd_waybill_print_task(self, waybills):
        """One task for the Pinduoduo print component: a document per
        number, its contents the service's print data, in the order given."""
        documents = [
            {"documentID": waybill.number, "contents": [waybill._print_data()]}
            for waybill in waybills
            if waybill.number
        ]
        return self._omni_waybill_print_component_task(PRINT_COMPONENT_URL, waybills, documents)
