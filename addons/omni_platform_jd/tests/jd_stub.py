# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A stand-in JD router (``POST /routerjson``) on 127.0.0.1 for tests.

It checks what JD checks before answering: the system parameters, the app
key, the md5 signature (computed here independently of the adapter) and the
access token, and answers in JD's format: ``<method>_responce`` bodies,
``error_response`` with ``code`` / ``zh_desc`` / ``en_desc``.

Orders are JD ``orderInfoList`` items with ``modified`` (``yyyy-MM-dd
HH:mm:ss``, GMT+8); the search returns those of [start_date, end_date)
whose ``orderState`` was asked, oldest first. ``skus`` maps merchant SKU codes
(outerId) to JD skuIds. Life cycle, recorded requests and queued behaviours
come from :class:`PlatformStub`; :meth:`jd_error_next` queues JD errors.
"""

import datetime as dt
import hashlib
import json
import re

from odoo.addons.omni_platform.tests.platform_stub import PlatformStub

JD_TIME = "%Y-%m-%d %H:%M:%S"
SYSTEM_PARAMS = ("method", "app_key", "access_token", "timestamp", "v", "360buy_param_json", "sign")
BEIJING = dt.timezone(dt.timedelta(hours=8))


def jd_sign(params, secret):
    text = secret
    for key in sorted(params):
        if key != "sign" and params[key] != "":
            text += key + params[key]
    return hashlib.md5((text + secret).encode("utf-8"), usedforsecurity=False).hexdigest().upper()


def _time(text):
    return dt.datetime.strptime(text, JD_TIME).replace(tzinfo=BEIJING)


def jd_error(code, zh_desc, en_desc=""):
    return {"error_response": {"code": str(code), "zh_desc": zh_desc, "en_desc": en_desc or zh_desc}}


class JdStub(PlatformStub):
    def __init__(self, orders=(), *, skus=None, max_days=30, **options):
        options.setdefault("router_path", "/routerjson")
        super().__init__(orders, **options)
        self.skus = dict(skus or {})
        self.max_days = max_days

    def jd_error_next(self, n=1, code="87", zh_desc="调用频率超限", en_desc="call limit"):
        self.respond_next(n, json.dumps(jd_error(code, zh_desc, en_desc), ensure_ascii=False))

    def _route(self, recorded):
        if recorded.method != "POST" or recorded.path != self.router_path:
            return self._answer(jd_error(404, "not found"), 404)
        params = recorded.form
        missing = [name for name in SYSTEM_PARAMS if not params.get(name)]
        if missing:
            return self._answer(jd_error(3, f"缺少系统参数 {','.join(missing)}"))
        if (
            params["v"] != "2.0"
            or params.get("format", "json") != "json"
            or not re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", params["timestamp"])
        ):
            return self._answer(jd_error(4, "系统参数格式错误"))
        if self.app_key and params["app_key"] != self.app_key:
            return self._answer(jd_error(14, "不合法的app_key", "invalid app_key"))
        if self.app_secret and params["sign"] != jd_sign(params, self.app_secret):
            return self._answer(jd_error(12, "无效签名", "invalid signature"))
        if self.access_token and params["access_token"] != self.access_token:
            return self._answer(jd_error(19, "token已过期或者不存在", "token invalid"))
        try:
            business = json.loads(params["360buy_param_json"])
        except ValueError:
            return self._answer(jd_error(5, "360buy_param_json格式错误"))
        handler = {
            "jingdong.pop.order.search": self._orders,
            "jingdong.sku.read.searchSkuList": self._sku_list,
            "jingdong.stock.write.updateSkuStock": self._stock,
            "jingdong.pop.order.shipment": self._shipment,
            "jingdong.jos.order.oaid.decrypt": self._decrypt,
        }.get(params["method"])
        if handler is None:
            return self._answer(jd_error(10, "无效的method"))
        body = handler(business)
        if "error_response" in body:
            return self._answer(body)
        return self._answer({params["method"].replace(".", "_") + "_responce": {"code": "0", **body}})

    def _decrypt(self, business):
        # getReceiverInfoListReqVO {orderType, orderInfos [{orderId, oaid}]};
        # answer returnType {code, message, data [OrderReceiverInfoModel]}
        # (JD Java SDK com.jd.open.api.sdk.request.sku.JosOrderOaidDecryptRequest
        # and domain.sku.IOaidService.response.decrypt); over the quota: 87
        request = business.get("getReceiverInfoListReqVO") or {}
        infos = request.get("orderInfos")
        if not request.get("orderType") or not isinstance(infos, list) or not infos:
            return jd_error(5, "getReceiverInfoListReqVO参数错误")
        if not self._decrypt_call_allowed():
            return jd_error(87, "调用频率超限", "call limit")
        data = []
        for info in infos:
            plain = self.receivers.get(info.get("oaid"))
            if plain and str(plain.get("orderId")) == str(info.get("orderId")):
                data.append({**plain, "oaid": info["oaid"]})
        return {"returnType": {"code": 0, "message": "success", "requestId": "stub", "data": data}}

    def _orders(self, business):
        try:
            start, end = _time(business["start_date"]), _time(business["end_date"])
            page, size = int(business["page"]), int(business["page_size"])
            states = set(business["order_state"].split(","))
        except (KeyError, ValueError) as exc:
            return jd_error(61, f"参数错误 {exc}")
        if end - start > dt.timedelta(days=self.max_days) or size > 100:
            result = {"apiResult": {"success": False, "chineseErrCode": "时间跨度或每页条数超限", "numberCode": 10100}}
            return {"searchorderinfo_result": result}
        with self._lock:
            found = sorted(
                (o for o in self.orders if start <= _time(o["modified"]) < end and o["orderState"] in states),
                key=lambda o: (o["modified"], o["orderId"]),
            )
        chunk = found[(page - 1) * size : page * size]
        return {
            "searchorderinfo_result": {
                "apiResult": {"success": True, "chineseErrCode": "成功", "numberCode": 10100000},
                "orderInfoList": chunk,
                "orderTotal": len(found),
            }
        }

    def _sku_list(self, business):
        # jingdong.sku.read.searchSkuList: outId filters by the merchant code,
        # pageNo / page_size page; other names are ignored (as JD does)
        outer = business.get("outId")
        page, size = int(business.get("pageNo") or 1), int(business.get("page_size") or 20)
        found = [{"skuId": sku_id, "outerId": code} for code, sku_id in self.skus.items() if outer in (None, code)]
        data = found[(page - 1) * size : page * size]
        return {"page": {"data": data, "totalItem": len(found), "pageNo": page, "pageSize": size}}

    def _stock(self, business):
        by_id = {str(sku_id): code for code, sku_id in self.skus.items()}
        code = by_id.get(str(business.get("skuId")))
        if code is None or not isinstance(business.get("stockNum"), int):
            return jd_error(61, "skuId或stockNum错误")
        if code in self.stock_refuse:
            return jd_error(100, self.stock_refuse[code])
        with self._lock:
            self.stock[code] = business["stockNum"]
        return {"success": True}

    def _shipment(self, business):
        number = str(business.get("orderId"))
        if not business.get("logiCoprId") or not business.get("logiNo"):
            return jd_error(61, "缺少物流公司或运单号")
        if number in self.shipment_refuse:
            result = {"success": False, "chineseErrCode": self.shipment_refuse[number], "errorCode": "10400001"}
            return {"sopjosshipment_result": result}
        with self._lock:
            self.shipments.append(
                {"order_no": number, "courier": business["logiCoprId"], "tracking_no": business["logiNo"]}
            )
        return {"sopjosshipment_result": {"success": True, "chineseErrCode": "成功"}}
