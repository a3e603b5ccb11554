# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A stand-in Douyin waybill service on 127.0.0.1 (one path per API).

Built from Douyin's SDK definitions (see readme/REFERENCES.md), not from our
client: it checks the query parameters and the hmac-sha256 signature
(``douyin_sign`` of ``omni_platform_douyin``'s stand-in), answers in
Douyin's envelope, and serves

* ``/logistics/newCreateOrder``: ``order_infos`` (at most ``batch_limit``),
  each with ``order_id`` and a receiver; ciphertext (``#…#``) only for Douyin
  orders (no ``order_channel``); the same courier, order and ``pack_id``
  get the same ``track_no`` again; a parcel refused (address outside the
  courier's area, balance exhausted) comes in ``err_infos`` while the others
  are issued;
* ``/logistics/waybillApply``: ``print_data`` and ``sign`` of issued numbers;
* ``/logistics/cancelOrder``.
"""

import itertools
import json
import re
import time

from odoo.addons.omni_platform.tests.platform_stub import PlatformStub
from odoo.addons.omni_platform_douyin.tests.douyin_stub import douyin_sign, envelope

QUERY_PARAMS = ("app_key", "method", "access_token", "timestamp", "v", "sign_method", "sign")


def is_ciphertext(value):
    return isinstance(value, str) and len(value) > 2 and value.startswith("#") and value.endswith("#")


class DouyinWaybillStub(PlatformStub):
    def __init__(self, *, balance=None, unserved=(), batch_limit=10, prefix="7500", **options):
        super().__init__((), **options)
        #: {logistics_code: remaining numbers}
        self.balance = dict({"zhongtong": 1000} if balance is None else balance)
        self.unserved = set(unserved)
        self.batch_limit = batch_limit
        self.issued = {}
        self.by_parcel = {}
        self._numbers = itertools.count(1)
        self.prefix = prefix
        #: seconds every answer takes (0 in tests; the benchmark sets a realistic one)
        self.latency = 0.0

    def reset(self):
        """Forget requests and queued behaviours, and every number issued."""
        result = super().reset()
        with self._lock:
            self.issued.clear()
            self.by_parcel.clear()
        return result

    def calls(self, method):
        return [r for r in self.requests if r.params.get("method") == method]

    def live_numbers(self):
        return sorted(code for code, waybill in self.issued.items() if not waybill["cancelled"])

    def _route(self, recorded):
        if self.latency:
            time.sleep(self.latency)  # the network and the service (benchmarks)
        query = recorded.params
        missing = [name for name in QUERY_PARAMS if not query.get(name)]
        if missing:
            return self._answer(envelope(40000, "缺少参数", "isv.missing-parameter", ",".join(missing)))
        if "/" + query["method"].replace(".", "/") != recorded.path or recorded.method != "POST":
            return self._answer(envelope(40001, "method与路径不符", "isv.parameter-invalid"))
        if query["v"] != "2" or query["sign_method"] != "hmac-sha256":
            return self._answer(envelope(40001, "参数错误", "isv.parameter-invalid", "v/sign_method"))
        if not re.fullmatch(r"\d{10}", query["timestamp"]) or abs(int(query["timestamp"]) - time.time()) > 600:
            return self._answer(envelope(40001, "参数错误", "isv.parameter-invalid", "timestamp"))
        body = recorded.body.decode("utf-8")
        if self.app_key and query["app_key"] != self.app_key:
            return self._answer(envelope(30001, "app_key不存在", "isv.app-key-not-exist"))
        if self.app_secret and query["sign"] != douyin_sign(query, body, self.app_secret):
            return self._answer(envelope(30001, "授权不通过", "isv.sign-invalid", "签名错误"))
        if self.access_token and query["access_token"] != self.access_token:
            return self._answer(envelope(30002, "access_token已过期", "isv.access-token-expired"))
        try:
            business = json.loads(body)
        except ValueError:
            return self._answer(envelope(40001, "param_json格式错误", "isv.parameter-invalid"))
        handler = {
            "logistics.newCreateOrder": self._create,
            "logistics.waybillApply": self._apply,
            "logistics.cancelOrder": self._cancel,
        }.get(query["method"])
        if handler is None:
            return self._answer(envelope(40001, "method不存在", "isv.method-not-exist"))
        with self._lock:
            return self._answer(handler(business))

    def _create(self, business):
        code = business.get("logistics_code")
        infos = business.get("order_infos") or []
        sender = business.get("sender_info") or {}
        if code not in self.balance:
            return envelope(50002, "业务处理失败", "isv.business-failed:1", f"店铺未开通{code}电子面单服务")
        if not (sender.get("address") or {}).get("detail_address") or not (sender.get("contact") or {}).get("name"):
            return envelope(40004, "业务参数错误", "isv.parameter-invalid", "sender_info")
        if not infos or len(infos) > self.batch_limit:
            return envelope(40004, "业务参数错误", "isv.parameter-invalid", f"order_infos 1-{self.batch_limit}")
        ebills, errors = [], []
        for info in infos:
            order_id, pack_id = str(info.get("order_id") or ""), str(info.get("pack_id") or "")
            receiver = info.get("receiver_info") or {}
            address, contact = receiver.get("address") or {}, receiver.get("contact") or {}
            err = None
            if not order_id or not address.get("detail_address") or not contact.get("name") or not info.get("items"):
                err = ("4001", "收件人信息或商品信息缺失")
            elif re.search(r"[^0-9A-Za-z_]", pack_id):
                err = ("4002", "pack_id只能包含数字、字母和下划线")
            elif business.get("order_channel") and any(
                is_ciphertext(v) for v in (contact.get("name"), contact.get("mobile"), address.get("detail_address"))
            ):
                err = ("4003", "非抖音订单不支持密文取号")
            elif address.get("province_name") in self.unserved:
                err = ("4004", f"收件地址不在{code}服务范围内：{address.get('province_name')}")
            parcel = (code, order_id, pack_id)
            if err is None and parcel not in self.by_parcel and self.balance[code] <= 0:
                err = ("4005", "电子面单余额不足")
            if err:
                errors.append({"order_id": order_id, "pack_id": pack_id, "err_code": err[0], "err_msg": err[1]})
                continue
            number = self.by_parcel.get(parcel)
            if number is None:
                number = f"{self.prefix}{next(self._numbers):08d}"
                self.balance[code] -= 1
                self.by_parcel[parcel] = number
                self.issued[number] = {"code": code, "order_id": order_id, "cancelled": False}
            ebills.append(
                {"company": code, "order_id": order_id, "pack_id": pack_id, "track_no": number,
                 "sort_code": "310-A01", "package_center_code": "021", "package_center_name": "上海集包",
                 "short_address_code": "310", "short_address_name": "沪 浦东", "sub_waybill_codes": ""}
            )  # fmt: skip
        return envelope(data={"ebill_infos": ebills, "err_infos": errors})

    def _apply(self, business):
        infos, errors = [], []
        for apply in business.get("waybill_applies") or []:
            number = str(apply.get("track_no"))
            waybill = self.issued.get(number)
            if waybill is None or waybill["cancelled"] or waybill["code"] != apply.get("logistics_code"):
                errors.append({"track_no": number, "order_id": "", "err_code": 4010, "err_msg": "运单号不存在或已取消"})
                continue
            infos.append({"order_id": waybill["order_id"], "track_no": number, "print_data": f"DYENC({number})",
                          "sign": f"DYSIG({number})"})  # fmt: skip
        return envelope(data={"waybill_infos": infos, "err_infos": errors})

    def _cancel(self, business):
        number = str(business.get("track_no"))
        waybill = self.issued.get(number)
        if waybill is None or waybill["code"] != business.get("logistics_code"):
            return envelope(50002, "业务处理失败", "isv.business-failed:2", f"运单号{number}不存在")
        if waybill["cancelled"]:
            return envelope(data={"cancel_result": {"success": False}})
        waybill["cancelled"] = True
        self.balance[waybill["code"]] += 1
        return envelope(data={"cancel_result": {"success": True}})
