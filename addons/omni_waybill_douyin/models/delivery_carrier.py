# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Douyin e-waybills as a delivery provider (``delivery_type`` ``douyin``):
the ``_douyin_waybill_*`` primitives of ``omni_waybill`` through
:class:`~..services.douyin_waybill.DouyinWaybillClient`."""

from odoo import fields, models

from odoo.addons.omni_platform_douyin.platforms.douyin import COURIER_CODES
from odoo.addons.omni_waybill.services import WaybillError

from ..services.douyin_waybill import BATCH_LIMIT, DouyinWaybillClient

#: the Douyin print component (抖音电子面单打印组件) listens on this local WebSocket
PRINT_COMPONENT_URL = "ws://127.0.0.1:13888"


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(
        selection_add=[("douyin", "Douyin E-Waybill")],
        ondelete={"douyin": lambda carriers: carriers.write({"delivery_type": "fixed", "fixed_price": 0})},
    )
    douyin_logistics_code = fields.Char(
        string="Douyin Courier Code",
        help="The courier's code at Douyin's waybill service (logistics_code: zhongtong, yuantong, shunfeng...). "
        "Empty: Douyin's code of the courier code.",
    )

    def douyin_rate_shipment(self, order):
        return self._omni_waybill_rate_shipment(order)

    def _douyin_logistics_code(self):
        self.ensure_one()
        code = (self.omni_courier_code or "").upper()
        return (self.douyin_logistics_code or COURIER_CODES.get(code) or code.lower()).strip()

    def _omni_platform_courier_code(self, picking):
        # the platform is told the courier under which its service issued the number
        if self.delivery_type == "douyin":
            return self._douyin_logistics_code()
        return super()._omni_platform_courier_code(picking)

    # -- waybill provider primitives (omni_waybill)
    def _douyin_waybill_batch_size(self):
        accounts = self.env["omni.waybill.account"].sudo().search([("service", "=", "douyin")])
        # the smallest setting of the accounts: a batch never exceeds any of them
        return min(accounts.mapped("douyin_batch_size") or [BATCH_LIMIT])

    def _douyin_waybill_encrypted_platforms(self):
        return ("douyin",)

    def _douyin_client(self, account, sender=None):
        app_key, secret, token, url = account._douyin_credentials()
        if not (app_key and secret and token):
            raise WaybillError(
                self.env._(
                    "The Douyin waybill account %(account)s has no app key, secret or access token (nor has its "
                    "shop).",
                    account=account.name,
                )
            )
        return DouyinWaybillClient(
            base_url=url,
            app_key=app_key,
            app_secret=secret,
            access_token=token,
            timeout=account.timeout or 15,
            retries=1,
            logistics_code=self._douyin_logistics_code(),
            sender=sender or {},
            user_id=account.douyin_user_id or None,
            batch_limit=account.douyin_batch_size or BATCH_LIMIT,
        )

    def _douyin_waybill_issue(self, account, parcels):
        results = self._omni_waybill_client_issue(self._douyin_client, account, parcels)
        return [
            {"request_key": r["key"], "number": r["tracking_number"],
             "print_data": dict(r["print_data"], routing=r["routing"]) if r["tracking_number"] else {},
             "error": r["error"]}
            for r in results
        ]  # fmt: skip

    def _douyin_waybill_cancel(self, account, waybills):
        return self._omni_waybill_client_cancel(self._douyin_client, account, waybills)

    def _douyin_waybill_print_task(self, waybills):
        """One task for the Douyin print component: a document per number,
        its contents the encrypted print data and its signature."""
        documents = []
        for waybill in waybills.filtered("number"):
            data = waybill._print_data()
            documents.append(
                {
                    "documentID": waybill.number,
                    "contents": [
                        {"params": data.get("print_data") or "", "signature": data.get("sign") or "",
                         "templateURL": self.omni_waybill_template_url or ""}
                    ],
                }
            )  # fmt: skip
        return self._omni_waybill_print_component_task(PRINT_COMPONENT_URL, waybills, documents)
