# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A stand-in Cainiao waybill service on 127.0.0.1 (no Odoo import), built
from the public request/response definitions of the cainiao.* TOP methods
(readme/REFERENCES.md), not from our client:

* the TOP router: form POST, ``method``, ``app_key``, ``session``,
  ``sign_method=md5`` and ``sign`` checked (error_response 25 / 27 / 29);
* ``cainiao.waybill.ii.get``: ``param_waybill_cloud_print_apply_new_request``
  (JSON: cp_code, sender, trade_order_info_dtos ≤ 10 with object_id,
  order_info, package_info, recipient); one number per object_id (asking
  again returns it); a balance per cp_code; provinces not served; answer
  ``modules.waybill_cloud_print_response[]`` with object_id, waybill_code,
  print_data (JSON text: encryptedData, signature, templateURL, ver),
  cp_code, real_cp_code;
* ``cainiao.waybill.ii.query.by.tradecode``: ``param_list`` [{biz_sub_code,
  object_id}] → ``modules.waybill_cloud_print_with_result_desc_response[]``;
* ``cainiao.waybill.ii.cancel``: cp_code, waybill_code → cancel_result;
* ``cainiao.cloudprint.stdtemplates.get`` → result.datas.standard_template_result[].

Error answers are TOP's ``error_response`` {code, msg, sub_code, sub_msg};
the sub codes used here are illustrative (the SDK does not list them).
"""

import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


def top_sign(params, secret):
    """TOP md5 signature, as TOP documents it."""
    text = secret + "".join(f"{k}{params[k]}" for k in sorted(params) if k != "sign" and params[k] != "")
    return hashlib.md5((text + secret).encode("utf-8"), usedforsecurity=False).hexdigest().upper()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


class _Handler(BaseHTTPRequestHandler):
    service = None

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(parse_qsl(self.rfile.read(length).decode("utf-8"), keep_blank_values=True))
        body, delay = self.service._answer(form)
        if delay:
            time.sleep(delay)
        content = json.dumps(body, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


class CainiaoStandIn:
    def __init__(self, app_key="cn-key", app_secret="cn-secret", session="cn-session", subscriptions=None):
        self.app_key, self.app_secret, self.session = app_key, app_secret, session
        #: cp_code -> numbers left (the seller's subscription 订购关系 and balance)
        self.balance = dict(subscriptions or {"ZTO": 100, "YTO": 100})
        self.unreachable = set()  # provinces no courier serves here
        self.numbers = {}  # object_id -> (cp_code, waybill_code)
        self.cancelled = set()
        self.collected = set()  # numbers already picked up: cannot be cancelled
        self.requests = []  # (method, business params)
        self.delay_next = 0.0
        self.counter = 0
        self._lock = threading.RLock()
        self._server = None

    # -- life cycle
    def start(self):
        handler = type("CainiaoHandler", (_Handler,), {"service": self})
        self._server = _Server(("127.0.0.1", 0), handler)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self._server.server_address[1]}/router/rest"

    # -- protocol
    @staticmethod
    def _error(code, msg, sub_code=None, sub_msg=None):
        error = {"code": code, "msg": msg, "request_id": "stand-in"}
        if sub_code:
            error.update(sub_code=sub_code, sub_msg=sub_msg)
        return {"error_response": error}

    def _answer(self, form):
        with self._lock:
            method = form.get("method", "")
            if form.get("app_key") != self.app_key:
                return self._error(29, "Invalid app Key"), 0
            if form.get("sign_method") != "md5" or form.get("sign") != top_sign(form, self.app_secret):
                return self._error(25, "Invalid signature"), 0
            if form.get("session") != self.session:
                return self._error(27, "Invalid session"), 0
            business = {
                k: v
                for k, v in form.items()
                if k not in ("method", "app_key", "session", "timestamp", "format", "v", "sign_method", "sign")
            }
            self.requests.append((method, business))
            handler = {
                "cainiao.waybill.ii.get": self._get,
                "cainiao.waybill.ii.query.by.tradecode": self._query,
                "cainiao.waybill.ii.cancel": self._cancel,
                "cainiao.cloudprint.stdtemplates.get": self._templates,
            }.get(method)
            if handler is None:
                return self._error(22, "Invalid method"), 0
            body = handler(business)
            delay, self.delay_next = self.delay_next, 0.0
            return body, delay

    def _print_data(self, number, template_url):
        return json.dumps(
            {
                "encryptedData": f"ENC({number})",
                "signature": hashlib.md5(number.encode(), usedforsecurity=False).hexdigest(),
                "templateURL": template_url or "http://cloudprint.cainiao.com/template/standard/101",
                "ver": "waybill_print_secret_version_1",
            }
        )

    def _get(self, business):
        try:
            request = json.loads(business["param_waybill_cloud_print_apply_new_request"])
        except (KeyError, ValueError):
            return self._error(40, "Missing required arguments:param_waybill_cloud_print_apply_new_request")
        cp_code = request.get("cp_code")
        orders = request.get("trade_order_info_dtos") or []
        sender = request.get("sender") or {}
        if not cp_code or not orders or not (sender.get("address") or {}).get("province"):
            return self._error(
                41, "Invalid arguments", "isv.invalid-parameter", "cp_code、发件人地址、订单信息不能为空"
            )
        if len(orders) > 10:
            return self._error(41, "Invalid arguments", "isv.invalid-parameter", "请求面单信息数量不能超过10")
        if cp_code not in self.balance:
            return self._error(
                15, "Remote service error", "isv.SUBSCRIPTION_NOT_EXIST", f"商家未订购{cp_code}电子面单服务"
            )
        for order in orders:
            recipient = order.get("recipient") or {}
            address = recipient.get("address") or {}
            if not order.get("object_id") or not (recipient.get("mobile") or recipient.get("phone")):
                return self._error(41, "Invalid arguments", "isv.invalid-parameter", "object_id、收件人电话不能为空")
            if address.get("province") in self.unreachable:
                return self._error(
                    15, "Remote service error", "isv.ADDRESS_NOT_REACHABLE", f"{address['province']}超出派送范围"
                )
        modules = []
        for order in orders:
            object_id = order["object_id"]
            if object_id not in self.numbers:
                if self.balance[cp_code] <= 0:
                    return self._error(15, "Remote service error", "isv.BALANCE_NOT_ENOUGH", "电子面单余额不足，请充值")
                self.balance[cp_code] -= 1
                self.counter += 1
                self.numbers[object_id] = (cp_code, f"{cp_code[:2]}78{self.counter:010d}")
            number = self.numbers[object_id][1]
            modules.append(
                {
                    "object_id": object_id,
                    "waybill_code": number,
                    "print_data": self._print_data(number, order.get("template_url")),
                    "cp_code": cp_code,
                    "real_cp_code": cp_code,
                }
            )
        return {
            "cainiao_waybill_ii_get_response": {
                "modules": {"waybill_cloud_print_response": modules},
                "request_id": "stand-in",
            }
        }

    def _query(self, business):
        modules = []
        for item in json.loads(business.get("param_list") or "[]"):
            object_id = item.get("object_id")
            if object_id in self.numbers and self.numbers[object_id][1] not in self.cancelled:
                cp_code, number = self.numbers[object_id]
                modules.append(
                    {
                        "success": True,
                        "object_id": object_id,
                        "waybill_cloud_print_response": {
                            "object_id": object_id,
                            "waybill_code": number,
                            "print_data": self._print_data(number, None),
                            "cp_code": cp_code,
                        },
                    }
                )
            else:
                modules.append(
                    {
                        "success": False,
                        "object_id": object_id,
                        "error_code": "WAYBILL_NOT_EXIST",
                        "error_message": "面单不存在",
                    }
                )
        return {
            "cainiao_waybill_ii_query_by_tradecode_response": {
                "modules": {"waybill_cloud_print_with_result_desc_response": modules}
            }
        }

    def _cancel(self, business):
        number = business.get("waybill_code")
        issued = {n for _cp, n in self.numbers.values()}
        if number not in issued or number in self.cancelled:
            return self._error(15, "Remote service error", "isv.WAYBILL_NOT_EXIST", f"面单号{number}不存在或已取消")
        if number in self.collected:
            return self._error(15, "Remote service error", "isv.WAYBILL_COLLECTED", f"面单号{number}已揽收，不能取消")
        self.cancelled.add(number)
        return {"cainiao_waybill_ii_cancel_response": {"cancel_result": True}}

    def _templates(self, business):
        datas = [
            {
                "cp_code": cp_code,
                "standard_templates": {
                    "standard_template_do": [
                        {
                            "standard_template_id": 101 + index,
                            "standard_template_name": f"{cp_code}标准模板",
                            "standard_template_url": f"http://cloudprint.cainiao.com/template/standard/{101 + index}",
                            "standard_waybill_type": 1,
                            "brand_code": "default",
                        },
                        {
                            "standard_template_id": 201 + index,
                            "standard_template_name": f"{cp_code}一联单",
                            "standard_template_url": f"http://cloudprint.cainiao.com/template/standard/{201 + index}",
                            "standard_waybill_type": 6,
                            "brand_code": "default",
                        },
                    ]
                },
            }
            for index, cp_code in enumerate(sorted(self.balance))
        ]
        return {
            "cainiao_cloudprint_stdtemplates_get_response": {
                "result": {"success": True, "datas": {"standard_template_result": datas}}
            }
        }
