# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A stand-in Pinduoduo waybill service (``POST /api/router``) on 127.0.0.1.

Built from Pinduoduo's API definitions (see readme/REFERENCES.md), not from
our client: it checks the system parameters and the md5 signature
(``pdd_sign`` of ``omni_platform_pdd``'s stand-in, written apart from the
adapter), then serves

* ``pdd.waybill.get``: at most 10 ``trade_order_info_dtos``; each needs
  ``object_id``, ``order_info.trade_order_list``, ``package_info.items``,
  ``template_url`` and a recipient; ciphertext (``~…~``) only for Pinduoduo
  orders (``order_channels_type`` ``PDD``); the same courier, order and
  package get the same number again (no second number, no balance used);
  a new number uses one of the branch's balance;
* ``pdd.waybill.cancel``, ``pdd.waybill.query.by.waybillcode``,
  ``pdd.waybill.search``.

Refusals come as Pinduoduo's ``error_response`` for the whole call:
courier not subscribed, balance exhausted, an address outside the courier's
area (``unserved`` provinces), a bad parameter.
"""

import itertools
import json
import time

from odoo.addons.omni_platform.tests.platform_stub import PlatformStub
from odoo.addons.omni_platform_pdd.tests.pdd_stub import pdd_error, pdd_sign

SYSTEM_PARAMS = ("type", "client_id", "access_token", "timestamp", "data_type", "sign")


def is_ciphertext(value):
    return isinstance(value, str) and len(value) > 2 and value.startswith("~") and value.endswith("~")


class PddWaybillStub(PlatformStub):
    def __init__(self, *, branches=None, unserved=(), prefix="7300", **options):
        options.setdefault("router_path", "/api/router")
        super().__init__((), **options)
        #: {wp_code: remaining numbers}
        self.branches = dict({"ZTO": 1000} if branches is None else branches)
        self.unserved = set(unserved)
        self.issued = {}  # waybill_code -> dict
        self.by_parcel = {}  # (wp_code, order_sn, package id) -> waybill_code
        self._numbers = itertools.count(1)
        self.prefix = prefix
        #: seconds every answer takes (0 in tests; the benchmark sets a realistic one)
        self.latency = 0.0

    # -- helpers for tests
    def reset(self):
        """Forget requests and queued behaviours, and every number issued."""
        result = super().reset()
        with self._lock:
            self.issued.clear()
            self.by_parcel.clear()
        return result

    def calls(self, api_type):
        return [r for r in self.requests if r.form.get("type") == api_type]

    def live_numbers(self):
        return sorted(code for code, waybill in self.issued.items() if not waybill["cancelled"])

    def _route(self, recorded):
        if self.latency:
            time.sleep(self.latency)  # the network and the service (benchmarks)
        if recorded.method != "POST" or recorded.path != self.router_path:
            return self._answer(pdd_error(10000, "not found"), 404)
        params = recorded.form
        missing = [name for name in SYSTEM_PARAMS if not params.get(name)]
        if missing:
            return self._answer(pdd_error(10000, "公共参数错误", "missing", ",".join(missing)))
        if params["data_type"] != "JSON" or params.get("version", "V1") != "V1":
            return self._answer(pdd_error(10000, "公共参数错误", "data_type", "data_type/version"))
        if not params["timestamp"].isdigit() or abs(int(params["timestamp"]) - time.time()) > 600:
            return self._answer(pdd_error(10000, "timestamp已过期"))
        if self.app_key and params["client_id"] != self.app_key:
            return self._answer(pdd_error(10016, "client_id不存在"))
        if self.app_secret and params["sign"] != pdd_sign(params, self.app_secret):
            return self._answer(pdd_error(20004, "签名错误"))
        if self.access_token and params["access_token"] != self.access_token:
            return self._answer(pdd_error(10019, "access_token已过期"))
        handler = {
            "pdd.waybill.get": ("pdd_waybill_get_response", self._get, "param_waybill_cloud_print_apply_new_request"),
            "pdd.waybill.cancel": ("pdd_waybill_cancel_response", self._cancel, None),
            "pdd.waybill.query.by.waybillcode": (
                "pdd_waybill_query_by_waybillcode_response",
                self._query,
                "param_list",
            ),
            "pdd.waybill.search": ("pdd_waybill_search_response", self._search, None),
        }.get(params["type"])
        if handler is None:
            return self._answer(pdd_error(10000, "type不存在"))
        key, function, json_param = handler
        args = params
        if json_param:
            try:
                args = json.loads(params.get(json_param) or "null")
            except ValueError:
                return self._answer(pdd_error(10000, "参数错误", "isv.invalid-parameter", f"{json_param} 不是JSON"))
        with self._lock:
            body = function(args)
        return self._answer(body if "error_response" in body else {key: body})

    # -- methods
    def _get(self, request):
        if not isinstance(request, dict):
            return pdd_error(10000, "参数错误", "isv.invalid-parameter", "param_waybill_cloud_print_apply_new_request")
        wp_code = request.get("wp_code")
        dtos = request.get("trade_order_info_dtos") or []
        sender = request.get("sender") or {}
        if wp_code not in self.branches:
            return pdd_error(30000, "业务错误", "waybill.not.subscribe", f"未订购{wp_code}电子面单服务")
        if not sender.get("name") or not (sender.get("address") or {}).get("detail"):
            return pdd_error(10000, "参数错误", "isv.invalid-parameter", "sender 发件人姓名或地址缺失")
        if not dtos or len(dtos) > 10:
            return pdd_error(10000, "参数错误", "isv.invalid-parameter", "trade_order_info_dtos 数量限制为10")
        for dto in dtos:
            order = dto.get("order_info") or {}
            package = dto.get("package_info") or {}
            recipient = dto.get("recipient") or {}
            address = recipient.get("address") or {}
            if not dto.get("object_id") or not order.get("trade_order_list") or not package.get("items"):
                return pdd_error(10000, "参数错误", "isv.invalid-parameter", "object_id/trade_order_list/items")
            if not dto.get("template_url") or not recipient.get("name") or not address.get("detail"):
                return pdd_error(10000, "参数错误", "isv.invalid-parameter", "template_url/recipient")
            encrypted = [v for v in (recipient.get("name"), recipient.get("mobile"), address.get("detail"))
                         if is_ciphertext(v)]  # fmt: skip
            if encrypted and order.get("order_channels_type") != "PDD":
                return pdd_error(30000, "业务错误", "waybill.decrypt.fail", "非拼多多订单不支持密文取号")
            if address.get("province") in self.unserved:
                return pdd_error(
                    30000, "业务错误", "waybill.address.unreachable",
                    f"收件地址超出{wp_code}服务范围：{address.get('province')}",
                )  # fmt: skip
        new = [dto for dto in dtos if self._parcel(wp_code, dto) not in self.by_parcel]
        if len(new) > self.branches[wp_code]:
            return pdd_error(30000, "业务错误", "waybill.balance.not.enough", "电子面单余额不足")
        modules = []
        for dto in dtos:
            parcel = self._parcel(wp_code, dto)
            code = self.by_parcel.get(parcel)
            if code is None:
                code = f"{self.prefix}{next(self._numbers):08d}"
                self.branches[wp_code] -= 1
                self.by_parcel[parcel] = code
                self.issued[code] = {"wp_code": wp_code, "object_id": dto["object_id"], "cancelled": False,
                                     "recipient": dto["recipient"], "order": parcel[1]}  # fmt: skip
            modules.append(
                {
                    "object_id": dto["object_id"],
                    "waybill_code": code,
                    "parent_waybill_code": "",
                    "print_data": self._print_data(code, dto),
                }
            )
        return {"modules": modules}

    @staticmethod
    def _parcel(wp_code, dto):
        order = dto["order_info"]["trade_order_list"][0]
        return wp_code, str(order), str((dto.get("package_info") or {}).get("id") or "")

    @staticmethod
    def _print_data(code, dto):
        # the print component's document: encrypted data and its signature
        return json.dumps(
            {"encryptedData": f"ENC({code})", "signature": f"SIG({code})", "templateUrl": dto.get("template_url"),
             "ver": "3"},
        )  # fmt: skip

    def _cancel(self, params):
        code = params.get("waybill_code")
        waybill = self.issued.get(code)
        if waybill is None or waybill["wp_code"] != params.get("wp_code"):
            return pdd_error(30000, "业务错误", "waybill.not.exist", f"面单号{code}不存在")
        if waybill["cancelled"]:
            return pdd_error(30000, "业务错误", "waybill.cancelled", f"面单号{code}已取消")
        waybill["cancelled"] = True
        self.branches[waybill["wp_code"]] += 1  # a number given back before pickup is refunded
        return {"cancel_result": True}

    def _query(self, param_list):
        modules = []
        for param in param_list or []:
            code = param.get("waybill_code")
            waybill = self.issued.get(code)
            if waybill and not waybill["cancelled"]:
                modules.append(
                    {"waybill_cloud_print_response": {"object_id": param.get("object_id"), "waybill_code": code,
                                                      "print_data": self._print_data(code, {})}}
                )  # fmt: skip
        return {"modules": modules}

    def _search(self, params):
        wanted = params.get("wp_code")
        cols = [
            {"wp_code": code, "wp_type": 1,
             "branch_account_cols": [{"branch_code": f"{code}-0001", "branch_name": f"{code} 网点", "quantity": left,
                                      "allocated_quantity": 0, "cancel_quantity": 0, "recycled_quantity": 0}]}
            for code, left in self.branches.items()
            if not wanted or wanted == code
        ]  # fmt: skip
        return {"waybill_apply_subscription_cols": cols}
