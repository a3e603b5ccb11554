# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A stand-in Douyin shop open platform on 127.0.0.1 for tests.

One path per API (``POST /order/searchList``...). It checks the query
parameters (``app_key, method`` matching the path, ``access_token,
timestamp, v=2, sign_method=hmac-sha256, sign``), the hmac-sha256 signature
of the ``param_json`` body (computed here independently of the adapter), and
answers in Douyin's envelope ``{"code", "msg", "sub_code", "sub_msg",
"data", "log_id"}`` (HTTP 200, code 10000 on success).

Orders are ``shop_order_list`` items with ``update_time`` (Unix seconds);
the search returns those of [update_time_start, update_time_end), oldest
first, pages from 0. Life cycle, recorded requests and queued behaviours
come from :class:`PlatformStub`; :meth:`douyin_error_next` queues errors.
"""

import hashlib
import hmac
import json
import re
import time

from odoo.addons.omni_platform.tests.platform_stub import PlatformStub

QUERY_PARAMS = ("app_key", "method", "access_token", "timestamp", "v", "sign_method", "sign")
KNOWN_COURIERS = {"shunfeng", "zhongtong", "yuantong", "shentong", "yunda", "ems", "jd", "debangwuliu", "xyz"}


def douyin_sign(query, body, secret):
    text = (
        f"{secret}app_key{query['app_key']}method{query['method']}param_json{body}"
        f"timestamp{query['timestamp']}v{query['v']}{secret}"
    )
    return hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def envelope(code=10000, msg="success", sub_code="", sub_msg="", data=None):
    return {"code": code, "msg": msg, "sub_code": sub_code, "sub_msg": sub_msg, "data": data or {}, "log_id": "stub"}


class DouyinStub(PlatformStub):
    def __init__(self, orders=(), *, max_days=1, refunds=(), **options):
        super().__init__(orders, **options)
        self.max_days = max_days
        self.refunds = list(refunds)  # afterSale.List items, with aftersale_info.update_time
        # order.getSettleBillDetailV3 items (settle_time, request_no, shop_order_id, order_id, settle_amount in
        # fen, trade_type, the fees...: zsmhub/doudian-sdk api/order_getSettleBillDetailV3)
        self.settlements = []

    def douyin_error_next(self, n=1, code=60000, msg="触发限流", sub_code="dop.api-call-limit", sub_msg="请稍后重试"):
        self.respond_next(n, json.dumps(envelope(code, msg, sub_code, sub_msg), ensure_ascii=False))

    def _route(self, recorded):
        query = recorded.params
        missing = [name for name in QUERY_PARAMS if not query.get(name)]
        if missing:
            return self._answer(envelope(40000, "缺少参数", "isv.missing-parameter", ",".join(missing)))
        if "/" + query["method"].replace(".", "/") != recorded.path or recorded.method != "POST":
            return self._answer(envelope(40001, "method与路径不符", "isv.parameter-invalid"))
        if query["v"] != "2" or query["sign_method"] != "hmac-sha256":
            return self._answer(envelope(40001, "参数错误", "isv.parameter-invalid", "v/sign_method"))
        # Unix seconds, as the official SDK sends it (time.Now().Unix())
        if not re.fullmatch(r"\d{10}", query["timestamp"]) or abs(int(query["timestamp"]) - time.time()) > 600:
            return self._answer(envelope(40001, "参数错误", "isv.parameter-invalid", "timestamp"))
        body = recorded.body.decode("utf-8") or query.get("param_json", "")
        if self.app_key and query["app_key"] != self.app_key:
            return self._answer(envelope(30001, "app_key不存在", "isv.app-key-not-exist"))
        if self.app_secret and query["sign"] != douyin_sign(query, body, self.app_secret):
            return self._answer(envelope(30001, "授权不通过", "isv.sign-invalid", "签名错误"))
        if self.access_token and query["access_token"] != self.access_token:
            return self._answer(envelope(30002, "access_token已过期", "isv.access-token-expired", "请刷新access_token"))
        try:
            business = json.loads(body)
        except ValueError:
            return self._answer(envelope(40001, "param_json格式错误", "isv.parameter-invalid"))
        if body != json.dumps(business, ensure_ascii=False, separators=(",", ":"), sort_keys=True):
            return self._answer(envelope(40001, "param_json须按键排序且无空格", "isv.parameter-invalid"))
        handler = {
            "order.searchList": self._orders,
            "sku.syncStock": self._stock,
            "order.logisticsAdd": self._shipment,
            "afterSale.List": self._refunds,
            "order.batchDecrypt": self._decrypt,
            "order.getSettleBillDetailV3": self._settlements,
        }.get(query["method"])
        if handler is None:
            return self._answer(envelope(40001, "method不存在", "isv.method-not-exist"))
        return self._answer(handler(business))

    def _orders(self, business):
        try:
            start, end = int(business["update_time_start"]), int(business["update_time_end"])
            page, size = int(business["page"]), int(business["size"])
        except (KeyError, ValueError, TypeError) as exc:
            return envelope(40001, "参数错误", "isv.parameter-invalid", str(exc))
        if end - start > self.max_days * 86400 or size > 100 or page < 0:
            return envelope(50002, "业务处理失败", "isv.business-failed:1", "时间跨度或分页参数超限")
        with self._lock:
            found = sorted((o for o in self.orders if start <= o["update_time"] < end), key=lambda o: o["update_time"])
        chunk = found[page * size : (page + 1) * size]
        return envelope(data={"shop_order_list": chunk, "total": len(found), "page": page, "size": size})

    def _decrypt(self, business):
        # cipher_infos: [{auth_id (订单号), cipher_text}], 最大支持一次解密50条;
        # answer data.decrypt_infos + custom_err (zsmhub/doudian-sdk
        # api/order_batchDecrypt); over the quota: 60000 (触发限流)
        infos = business.get("cipher_infos")
        if not isinstance(infos, list) or not 1 <= len(infos) <= 50:
            return envelope(40001, "参数错误", "isv.parameter-invalid", "cipher_infos最大支持50条")
        if not self._decrypt_call_allowed():
            return envelope(60000, "触发限流", "dop.api-call-limit", "解密额度已用完")
        answers = []
        for info in infos:
            plain = self.receivers.get(info.get("cipher_text"))
            answer = {"auth_id": info.get("auth_id"), "cipher_text": info.get("cipher_text")}
            if plain is None or str(plain.get("auth_id")) != str(info.get("auth_id")):
                answer.update(err_no=300008, err_msg="解密失败", decrypt_text="")
            else:
                answer.update(err_no=0, err_msg="", data_type=plain["data_type"], decrypt_text=plain["text"])
            answers.append(answer)
        return envelope(data={"decrypt_infos": answers, "custom_err": {"err_code": 0, "err_msg": ""}})

    def _refunds(self, business):
        start, end = int(business["update_start_time"]), int(business["update_end_time"])
        page, size = int(business["page"]), int(business["size"])
        if end - start > self.max_days * 86400:
            return envelope(50002, "业务处理失败", "isv.business-failed:4", "时间跨度超限")
        with self._lock:
            found = [r for r in self.refunds if start <= r["aftersale_info"]["update_time"] < end]
        chunk = found[page * size : (page + 1) * size]
        return envelope(data={"items": chunk, "has_more": (page + 1) * size < len(found), "total": len(found)})

    def _settlements(self, business):
        # start_time / end_time (yyyy-MM-dd HH:mm:ss, 间隔不超过7天), size 1~100, start_index: the cursor of the
        # previous answer; its own code 100000, next_start_index, next_start_time, is_end (1: done)
        try:
            start, end = business["start_time"], business["end_time"]
            size, index = int(business["size"]), int(business.get("start_index") or 0)
            days = (time.mktime(time.strptime(end, "%Y-%m-%d %H:%M:%S"))
                    - time.mktime(time.strptime(start, "%Y-%m-%d %H:%M:%S"))) / 86400  # fmt: skip
        except (KeyError, ValueError, TypeError) as exc:
            return envelope(40001, "参数错误", "isv.parameter-invalid", str(exc))
        if not 1 <= size <= 100 or days > 7:
            return envelope(data={"code": "200001", "code_msg": "时间跨度或分页参数超限", "data": [], "is_end": 1})
        with self._lock:
            found = sorted(
                (s for s in self.settlements if start <= s["settle_time"] < end),
                key=lambda s: (s["settle_time"], s["request_no"], s["order_id"]),
            )
        # the cursor counts from the first line of the window the first call named
        chunk = found[index : index + size]
        done = index + size >= len(found)
        return envelope(
            data={
                "code": "100000",
                "code_msg": "success",
                "data": chunk,
                "size": size,
                "data_size": len(chunk),
                "is_end": 1 if done else 0,
                "next_start_index": "" if done else str(index + size),
                "next_start_time": start,
            }
        )

    def _stock(self, business):
        code = business.get("code")
        if not code or not isinstance(business.get("stock_num"), int) or business.get("incremental") is not False:
            return envelope(40001, "参数错误", "isv.parameter-invalid", "code/stock_num/incremental")
        if code in self.stock_refuse:
            refusal = self.stock_refuse[code]
            if isinstance(refusal, tuple):  # (code, sub_msg), e.g. 40004 业务参数错误
                return envelope(refusal[0], "业务参数错误", "isv.parameter-invalid", refusal[1])
            return envelope(50002, "业务处理失败", "isv.business-failed:2", refusal)
        with self._lock:
            self.stock[code] = business["stock_num"]
        return envelope(data={})

    def _shipment(self, business):
        number = business.get("order_id")
        if not number or business.get("company_code") not in KNOWN_COURIERS or not business.get("logistics_code"):
            return envelope(40001, "参数错误", "isv.parameter-invalid", "order_id/company_code/logistics_code")
        if number in self.shipment_refuse:
            return envelope(50002, "业务处理失败", "isv.business-failed:3", self.shipment_refuse[number])
        with self._lock:
            self.shipments.append(
                {"order_no": number, "courier": business["company_code"], "tracking_no": business["logistics_code"]}
            )
        return envelope(data={})
