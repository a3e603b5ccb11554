# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import fields, models

from ..services.cainiao import BATCH_SIZE, ORDER_CHANNELS, PRINT_COMPONENT_URL, print_task


class DeliveryCarrier(models.Model):
    """Cainiao e-waybills: the provider primitives of omni_waybill
    (readme/PROVIDERS.md there). The carrier's courier code is Cainiao's
    cp_code (ZTO, YTO, STO, YUNDA, SF...)."""

    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(
        selection_add=[("cainiao", "Cainiao E-Waybill")], ondelete={"cainiao": "set default"}
    )

    # -- core provider method (called by name)
    def cainiao_rate_shipment(self, order):
        return self._omni_waybill_rate_shipment(order)

    def _cainiao_waybill_batch_size(self):
        return BATCH_SIZE

    def _cainiao_waybill_encrypted_platforms(self):
        # Cainiao decrypts Taobao's and Tmall's receivers by their oaid
        return ("taobao", "tmall")

    def _cainiao_template_url(self, account):
        self.ensure_one()
        if self.omni_waybill_template_url:
            return self.omni_waybill_template_url
        template = (
            self.env["omni.waybill.template"]
            .sudo()
            .search(
                [("account_id", "=", account.id), ("cp_code", "=", self.omni_courier_code), ("waybill_type", "=", 1)],
                limit=1,
            )
        )
        return template.url or ""

    def _cainiao_address(self, party):
        return {
            "province": party["province"],
            "city": party["city"],
            "district": party["district"],
            "detail": party["address"],
        }

    def _cainiao_trade_order(self, parcel, template_url):
        receiver = parcel["receiver"]
        encrypted = parcel["encrypted"] or {}
        recipient = {
            "name": receiver["name"],
            "mobile": receiver["phone"],
            "address": self._cainiao_address(receiver),
        }
        if encrypted.get("oaid"):
            # an encrypted Taobao/Tmall receiver: Cainiao decrypts it by the oaid and the real trade id
            recipient["oaid"] = encrypted["oaid"]
            recipient["tid"] = parcel["order_numbers"][0]
        order = {
            "object_id": parcel["request_key"],
            "template_url": template_url,
            "order_info": {
                "order_channels_type": ORDER_CHANNELS.get(parcel["platform"], "OTHERS"),
                "trade_order_list": parcel["order_numbers"],
            },
            "package_info": {
                "id": f"{parcel['picking'].id}_{parcel['parcel_index']}",
                "items": [
                    {"name": item["name"][:60], "count": max(1, round(item["quantity"]))} for item in parcel["items"]
                ],
                "weight": round((parcel["weight"] or 0) * 1000),
            },
            "recipient": recipient,
        }
        if parcel["parcel_count"] > 1:
            order["package_info"]["total_packages_count"] = parcel["parcel_count"]
        return order

    def _cainiao_waybill_issue(self, account, parcels):
        self.ensure_one()
        sender = parcels[0]["sender"]
        template_url = self._cainiao_template_url(account)
        with account._cainiao_client() as client:
            modules = client.get_waybills(
                self.omni_courier_code,
                {"name": sender["name"], "mobile": sender["phone"], "address": self._cainiao_address(sender)},
                [self._cainiao_trade_order(parcel, template_url) for parcel in parcels],
                product_code=self.omni_waybill_product_type or None,
            )
        return [self._cainiao_result(module) for module in modules]

    @staticmethod
    def _cainiao_result(module):
        print_data = module.get("print_data") or "{}"
        try:
            print_data = json.loads(print_data) if isinstance(print_data, str) else print_data
        except ValueError:
            print_data = {"data": print_data}
        return {
            "request_key": module.get("object_id"),
            "number": module.get("waybill_code"),
            "print_data": {
                "content": print_data,
                "parent_waybill_code": module.get("parent_waybill_code") or "",
                "cp_code": module.get("real_cp_code") or module.get("cp_code") or "",
            },
        }

    def _cainiao_waybill_query(self, account, parcels):
        with account._cainiao_client() as client:
            found = client.query_waybills([(p["order_numbers"][0], p["request_key"]) for p in parcels])
        return [self._cainiao_result(module) for module in found]

    def _cainiao_waybill_cancel(self, account, waybills):
        with account._cainiao_client() as client:
            for waybill in waybills:
                client.cancel_waybill(waybill.courier_code, waybill.number)
        return True

    def _cainiao_waybill_print_task(self, waybills):
        documents = [(w.number, w._print_data().get("content") or {}) for w in waybills]
        return {"url": PRINT_COMPONENT_URL, "payload": print_task(documents)}
