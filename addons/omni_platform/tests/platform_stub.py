# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A stand-in sales platform on 127.0.0.1 for tests (no Odoo import).

It speaks both protocols of ``omni_platform.platforms``:

* the generic JSON REST protocol (``GET .../orders``, ``POST .../stock``,
  ``POST .../shipments``, Bearer token), on any path prefix: use
  ``stub.url`` (or ``stub.url + "/any/prefix"``) as ``base_url``;
* the TOP router (``POST {stub.router_url}``), with signature, app key and
  session checks (error_response 25 / 29 / 27 when wrong).

Usage::

    with PlatformStub(orders=[...], access_token="tok") as stub:
        adapter = GenericRestAdapter(base_url=stub.url, access_token="tok", ...)
        stub.fail_next(2, status=500)
        ...
        stub.requests          # every request received (RecordedRequest)
        stub.stock             # {sku: last quantity received}
        stub.shipments         # shipments received, normalised

Orders carry an ``updated`` key (aware datetime, or naive = UTC, or ISO
string) used for the window filter; TOP trades may instead carry only
``modified`` (``YYYY-MM-DD HH:MM:SS``, Asia/Shanghai). Windows are
[from, to). Generic orders are served oldest first, TOP trades newest first
(as TOP does). ``after_request(stub, recorded_request)`` is called after
each answer is computed and before it is sent: tests use it to change the
orders between two pages.

Queued behaviours (``fail_next``, ``delay_next``, ``respond_next``,
``top_error_next``) apply to the next matching requests, in the order they
were queued; ``path`` limits them to requests whose path ends with it.
"""

import datetime as dt
import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
TOP_TIME = "%Y-%m-%d %H:%M:%S"
TOP_SYSTEM_PARAMS = ("method", "app_key", "session", "timestamp", "format", "v", "sign_method", "sign")


@dataclass
class RecordedRequest:
    method: str
    path: str
    params: dict  # query string (last value of each name)
    form: dict  # form-encoded body (last value of each name)
    json: object  # parsed JSON body, or None
    headers: dict
    body: bytes
    at: float = field(default_factory=time.monotonic)

    @property
    def api_method(self):
        """The TOP API method of a router call, else None."""
        return self.form.get("method") or self.params.get("method")


def _json_default(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _utc(value):
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


def _parse_iso(text):
    return _utc(dt.datetime.fromisoformat(text.strip()))


def _parse_top_time(text):
    return dt.datetime.strptime(text.strip(), TOP_TIME).replace(tzinfo=SHANGHAI).astimezone(dt.timezone.utc)


def top_sign(params, secret):
    """TOP md5 signature, written independently of the adapter's."""
    text = secret
    for key in sorted(params):
        if key != "sign" and params[key] not in (None, ""):
            text += key + str(params[key])
    text += secret
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest().upper()


def order_key(order):
    """The order number of a generic order or a TOP trade."""
    return str(order.get("platform_order_no", order.get("tid")))


def order_updated(order):
    """UTC datetime at which an order was last updated."""
    if "updated" in order:
        value = order["updated"]
        return _utc(value) if isinstance(value, dt.datetime) else _parse_iso(value)
    if "modified" in order:
        return _parse_top_time(order["modified"])
    raise ValueError(f"stub order {order_key(order)} has neither 'updated' nor 'modified'")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # do not wait for delayed answers on stop()


class _Handler(BaseHTTPRequestHandler):
    stub = None  # set on the per-stub subclass

    def log_message(self, *args):
        pass

    def do_GET(self):
        self._handle()

    def do_POST(self):
        self._handle()

    def do_PUT(self):
        self._handle()

    def do_DELETE(self):
        self._handle()

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        split = urlsplit(self.path)
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        form, payload = {}, None
        if content_type == "application/x-www-form-urlencoded":
            form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        elif body:
            try:
                payload = json.loads(body)
            except ValueError:
                payload = None
        recorded = RecordedRequest(
            method=self.command,
            path=split.path,
            params=dict(parse_qsl(split.query, keep_blank_values=True)),
            form=form,
            json=payload,
            headers=dict(self.headers.items()),
            body=body,
        )
        status, headers, content = self.stub._serve(recorded)
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (timeout): the point of delay_next


class PlatformStub:
    """Stand-in platform server; see the module docstring."""

    def __init__(
        self,
        orders=(),
        *,
        access_token=None,
        app_key=None,
        app_secret=None,
        router_path="/router/rest",
        stock_refuse=None,
        shipment_refuse=None,
        max_page_size=None,
        top_max_window=dt.timedelta(days=1),
        top_items=(),
    ):
        self.orders = [dict(order) for order in orders]
        self.access_token = access_token
        self.app_key = app_key
        self.app_secret = app_secret
        self.router_path = router_path
        self.stock_refuse = dict(stock_refuse or {})
        self.shipment_refuse = dict(shipment_refuse or {})
        self.max_page_size = max_page_size
        self.top_max_window = top_max_window
        # TOP items as taobao.items.custom.get / taobao.skus.custom.get give
        # them: {"num_iid": 1001, "outer_id": "ITEM-A", "skus": [{"sku_id":
        # 5001, "outer_id": "SKU-A"}]}
        self.top_items = [dict(item) for item in top_items]
        # the shop's bills as taobao.bill.bills.get gives them (Bill: bid, account_id, trade_id, order_id,
        # amount in fen, pay_time...) and its fee accounts as taobao.bill.accounts.get gives them (Account:
        # account_id, account_name, account_type)
        self.top_bills = []
        self.top_bill_accounts = []
        self.stock = {}
        self.shipments = []
        # encrypted receivers: {oaid or ciphertext: what the decrypt API
        # answers for it}; decrypt_quota: decrypt calls left (None: no limit),
        # 0 makes the platform answer its rate-limit error
        self.receivers = {}
        self.decrypt_quota = None
        self.requests = []
        self.after_request = None
        self._actions = []
        self._lock = threading.RLock()
        self._server = None
        self._thread = None

    # -- life cycle
    def start(self):
        handler = type("StubHandler", (_Handler,), {"stub": self})
        self._server = _Server(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="platform-stub", daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def url(self):
        """Base URL of the generic REST protocol (no trailing slash)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def router_url(self):
        """URL of the TOP router."""
        return self.url + self.router_path

    def reset(self):
        """Forget received requests, queued behaviours, stock and shipments."""
        with self._lock:
            self.requests.clear()
            self._actions.clear()
            self.stock.clear()
            self.shipments.clear()

    def _decrypt_call_allowed(self):
        """Count one decrypt call against :attr:`decrypt_quota`."""
        with self._lock:
            if self.decrypt_quota is None:
                return True
            if self.decrypt_quota <= 0:
                return False
            self.decrypt_quota -= 1
            return True

    # -- data
    def set_orders(self, orders):
        with self._lock:
            self.orders = [dict(order) for order in orders]

    def add_orders(self, *orders):
        with self._lock:
            self.orders.extend(dict(order) for order in orders)

    def upsert_order(self, order):
        """Replace the order with the same number (or add it)."""
        with self._lock:
            key = order_key(order)
            self.orders = [o for o in self.orders if order_key(o) != key]
            self.orders.append(dict(order))

    # -- queued behaviours
    def _queue(self, n, action):
        with self._lock:
            self._actions.extend(dict(action) for _i in range(n))

    def fail_next(self, n=1, status=500, body=None, path=None, headers=None):
        """Answer the next n requests with HTTP ``status`` (JSON error body
        unless ``body`` (bytes) is given)."""
        self._queue(n, {"kind": "fail", "status": status, "body": body, "path": path, "headers": headers or {}})

    def delay_next(self, n=1, seconds=1.0, path=None):
        """Wait ``seconds`` before handling each of the next n requests
        (then answer normally, as a slow platform would)."""
        self._queue(n, {"kind": "delay", "seconds": seconds, "path": path})

    def respond_next(self, n=1, body=b"", status=200, content_type="application/json", path=None):
        """Answer the next n requests with exactly this body."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        self._queue(n, {"kind": "respond", "status": status, "body": body, "type": content_type, "path": path})

    def top_error_next(self, n=1, code=7, msg="App Call Limited", sub_code=None, sub_msg=None, path=None):
        """Answer the next n requests with a TOP error_response (HTTP 200)."""
        error = {"code": code, "msg": msg}
        if sub_code:
            error["sub_code"] = sub_code
        if sub_msg:
            error["sub_msg"] = sub_msg
        self._queue(
            n, {"kind": "respond", "status": 200, "body": self._encode({"error_response": error}), "path": path}
        )

    # -- inspection
    def requests_for(self, path=None, api_method=None, method=None):
        """Received requests whose path ends with ``path`` / of a TOP API method
        / of an HTTP method."""
        with self._lock:
            found = list(self.requests)
        if path is not None:
            found = [r for r in found if r.path.endswith(path)]
        if api_method is not None:
            found = [r for r in found if r.api_method == api_method]
        if method is not None:
            found = [r for r in found if r.method == method.upper()]
        return found

    # -- serving
    @staticmethod
    def _encode(payload):
        return json.dumps(payload, ensure_ascii=False, default=_json_default).encode("utf-8")

    def _answer(self, payload, status=200):
        return status, {"Content-Type": "application/json; charset=utf-8"}, self._encode(payload)

    def _take_action(self, path):
        with self._lock:
            for index, action in enumerate(self._actions):
                if action["path"] is None or path.endswith(action["path"]):
                    return self._actions.pop(index)
        return None

    def _serve(self, recorded):
        with self._lock:
            self.requests.append(recorded)
        answer = None
        action = self._take_action(recorded.path)
        if action and action["kind"] == "delay":
            time.sleep(action["seconds"])
        elif action and action["kind"] == "fail":
            status = action["status"]
            if action["body"] is not None:
                answer = status, {"Content-Type": "text/plain", **action["headers"]}, action["body"]
            else:
                try:
                    phrase = HTTPStatus(status).phrase
                except ValueError:
                    phrase = "Error"
                answer = self._answer({"error": {"code": status, "message": phrase}}, status)
                answer[1].update(action["headers"])
        elif action and action["kind"] == "respond":
            answer = action["status"], {"Content-Type": action.get("type", "application/json")}, action["body"]
        if answer is None:
            answer = self._route(recorded)
        if self.after_request is not None:
            self.after_request(self, recorded)
        return answer

    def _route(self, recorded):
        if recorded.path == self.router_path:
            return self._top(recorded)
        endpoint = recorded.path.rstrip("/").rsplit("/", 1)[-1]
        routes = {
            ("GET", "orders"): self._rest_orders,
            ("POST", "stock"): self._rest_stock,
            ("POST", "shipments"): self._rest_shipments,
        }
        route = routes.get((recorded.method, endpoint))
        if route is None:
            return self._answer({"error": {"code": "not_found", "message": f"no route {recorded.path}"}}, 404)
        if self.access_token and recorded.headers.get("Authorization") != f"Bearer {self.access_token}":
            return self._answer({"error": {"code": "unauthorized", "message": "invalid access token"}}, 401)
        return route(recorded)

    def _window(self, orders, since, until):
        return [o for o in orders if since <= order_updated(o) < until]

    # generic REST
    def _rest_orders(self, recorded):
        params = recorded.params
        try:
            since = _parse_iso(params["updated_from"])
            until = _parse_iso(params["updated_to"])
            page = int(params.get("page", 1))
            page_size = int(params.get("page_size", 100))
        except (KeyError, ValueError) as exc:
            return self._answer({"error": {"code": "bad_request", "message": f"bad parameters: {exc}"}}, 400)
        if self.max_page_size:
            page_size = min(page_size, self.max_page_size)
        with self._lock:
            found = sorted(self._window(self.orders, since, until), key=lambda o: (order_updated(o), order_key(o)))
        chunk = found[(page - 1) * page_size : page * page_size]
        return self._answer({"orders": chunk, "page": page, "has_more": page * page_size < len(found)})

    def _rest_stock(self, recorded):
        items = (recorded.json or {}).get("items")
        if not isinstance(items, list):
            return self._answer({"error": {"code": "bad_request", "message": "items list expected"}}, 400)
        results = []
        with self._lock:
            for item in items:
                sku = str(item.get("sku"))
                if sku in self.stock_refuse:
                    results.append({"sku": sku, "ok": False, "error": self.stock_refuse[sku]})
                else:
                    self.stock[sku] = item.get("quantity")
                    results.append({"sku": sku, "ok": True})
        return self._answer({"results": results})

    def _rest_shipments(self, recorded):
        body = recorded.json or {}
        number = str(body.get("order_no"))
        if number in self.shipment_refuse:
            return self._answer({"ok": False, "error": self.shipment_refuse[number]})
        with self._lock:
            self.shipments.append(
                {
                    "protocol": "generic_rest",
                    "order_no": number,
                    "courier": body.get("courier"),
                    "tracking_no": body.get("tracking_no"),
                }
            )
        return self._answer({"ok": True})

    # TOP router
    @staticmethod
    def _top_error(code, msg, sub_code=None, sub_msg=None):
        error = {"code": code, "msg": msg}
        if sub_code:
            error["sub_code"] = sub_code
        if sub_msg:
            error["sub_msg"] = sub_msg
        return {"error_response": error}

    def _top(self, recorded):
        params = {**recorded.params, **recorded.form}
        missing = [name for name in TOP_SYSTEM_PARAMS if not params.get(name)]
        if missing:
            return self._answer(self._top_error(40, f"Missing required arguments:{','.join(missing)}"))
        if self.app_key and params["app_key"] != self.app_key:
            return self._answer(self._top_error(29, "Invalid app Key", "isv.appkey-not-exists"))
        if self.app_secret and params["sign"] != top_sign(params, self.app_secret):
            return self._answer(self._top_error(25, "Invalid signature", "isv.invalid-signature", "Invalid signature"))
        if self.access_token and params["session"] != self.access_token:
            return self._answer(self._top_error(27, "Invalid session", "invalid-sessionkey", "SessionKey is invalid"))
        handlers = {
            "taobao.trades.sold.increment.get": self._top_trades,
            "taobao.item.quantity.update": self._top_quantity,
            "taobao.skus.custom.get": self._top_skus,
            "taobao.items.custom.get": self._top_items,
            "taobao.logistics.offline.send": self._top_shipment,
            "taobao.time.get": self._top_time,
            "taobao.top.oaid.decrypt": self._top_oaid_decrypt,
            "taobao.bill.bills.get": self._top_bills,
            "taobao.bill.accounts.get": self._top_bill_accounts,
        }
        handler = handlers.get(params["method"])
        if handler is None:
            return self._answer(self._top_error(22, "Invalid method"))
        return self._answer(handler(params))

    def _top_trades(self, params):
        try:
            since = _parse_top_time(params["start_modified"])
            until = _parse_top_time(params["end_modified"])
            page = int(params.get("page_no", 1))
            page_size = int(params.get("page_size", 40))
        except (KeyError, ValueError) as exc:
            return self._top_error(41, "Invalid arguments", "isv.invalid-parameter", str(exc))
        if until - since > self.top_max_window:
            return self._top_error(15, "Remote service error", "isv.invalid-parameter", "时间跨度不能大于一天")
        if self.max_page_size:
            page_size = min(page_size, self.max_page_size)
        with self._lock:
            found = sorted(
                self._window(self.orders, since, until), key=lambda o: (order_updated(o), order_key(o)), reverse=True
            )
        chunk = found[(page - 1) * page_size : page * page_size]
        # with use_has_next=true TOP answers has_next and no total_results
        # (taobao.trades.sold.increment.get), else total_results
        if params.get("use_has_next") == "true":
            body = {"has_next": page * page_size < len(found)}
        else:
            body = {"total_results": len(found)}
        if chunk:  # TOP leaves "trades" out when there is none
            body["trades"] = {"trade": chunk}
        return {"trades_sold_increment_get_response": body}

    def _top_bills(self, params):
        # taobao.bill.bills.get: 结束时间-开始时间不能大于1天, 每页大小 40~100, bills by pay_time (time_type 2)
        # newest first, has_next (bububa/opentaobao model/bill/TaobaoBillBillsGetAPIRequest.go)
        try:
            since = _parse_top_time(params["start_time"])
            until = _parse_top_time(params["end_time"])
            page = int(params.get("page_no", 1))
            page_size = int(params.get("page_size", 40))
        except (KeyError, ValueError) as exc:
            return self._top_error(41, "Invalid arguments", "isv.invalid-parameter", str(exc))
        if until - since > dt.timedelta(days=1) or not 40 <= page_size <= 100:
            return self._top_error(15, "Remote service error", "isv.invalid-parameter", "时间跨度或每页大小超限")
        with self._lock:
            found = sorted(
                (b for b in self.top_bills if since <= _parse_top_time(b["pay_time"]) < until),
                key=lambda b: (b["pay_time"], b["bid"]),
                reverse=True,
            )
        chunk = found[(page - 1) * page_size : page * page_size]
        body = {"has_next": page * page_size < len(found), "total_results": len(chunk)}
        if chunk:
            body["bills"] = {"bill": chunk}
        return {"bill_bills_get_response": body}

    def _top_bill_accounts(self, params):
        with self._lock:
            accounts = [dict(account) for account in self.top_bill_accounts]
        return {"bill_accounts_get_response": {"accounts": {"account": accounts}, "total_results": len(accounts)}}

    def _top_oaid_decrypt(self, params):
        # query_list: 解密请求列表 [{oaid, tid}]，最多支持20个; answer
        # top_oaid_decrypt_response.receiver_list (bububa/opentaobao
        # model/topoaid); a call over the quota: TOP's call limit (code 7)
        try:
            queries = json.loads(params["query_list"])
        except (KeyError, ValueError):
            return self._top_error(40, "Missing required arguments:query_list")
        if not isinstance(queries, list) or not 1 <= len(queries) <= 20:
            return self._top_error(41, "Invalid arguments:query_list", "isv.invalid-parameter", "最多支持20个")
        if not self._decrypt_call_allowed():
            return self._top_error(
                7, "App Call Limited", "accesscontrol.limited-by-api-access-count",
                "This ban will last for 3600 more seconds",
            )  # fmt: skip
        receivers = []
        for query in queries:
            plain = self.receivers.get(query.get("oaid"))
            if plain and str(plain.get("tid")) == str(query.get("tid")):
                receivers.append({**plain, "oaid": query["oaid"], "tid": str(query["tid"]), "matched": True})
        return {"top_oaid_decrypt_response": {"receiver_list": {"receiver": receivers}, "request_id": "stub"}}

    def _top_skus(self, params):
        outer_id = params.get("outer_id")
        if not outer_id or not params.get("fields"):
            return self._top_error(40, "Missing required arguments:fields,outer_id")
        skus = [
            {"num_iid": item["num_iid"], "sku_id": sku["sku_id"], "outer_id": sku["outer_id"]}
            for item in self.top_items
            for sku in item.get("skus") or []
            if sku["outer_id"] == outer_id
        ]
        body = {"skus": {"sku": skus}} if skus else {}
        return {"skus_custom_get_response": body}

    def _top_items(self, params):
        outer_id = params.get("outer_id")
        if not outer_id or not params.get("fields"):
            return self._top_error(40, "Missing required arguments:fields,outer_id")
        items = [
            {"num_iid": item["num_iid"], "outer_id": item["outer_id"]}
            for item in self.top_items
            if item.get("outer_id") == outer_id
        ]
        body = {"items": {"item": items}} if items else {}
        return {"items_custom_get_response": body}

    def _top_quantity(self, params):
        # num_iid: 商品数字ID，必填参数; sku_id, else outer_id (SKU的商家编码),
        # names the SKU; neither: the item itself
        if not params.get("num_iid") or "quantity" not in params:
            return self._top_error(40, "Missing required arguments:num_iid,quantity")
        item = next((i for i in self.top_items if str(i["num_iid"]) == params["num_iid"]), None)
        if item is None:
            return self._top_error(15, "Remote service error", "isv.item-not-exist", "商品不存在")
        if params.get("sku_id") or params.get("outer_id"):
            skus = [
                s
                for s in item.get("skus") or []
                if str(s["sku_id"]) == params.get("sku_id") or s["outer_id"] == params.get("outer_id")
            ]
            if not skus:
                return self._top_error(15, "Remote service error", "isv.sku-not-exist", "SKU不存在")
            code = skus[0]["outer_id"]
        elif item.get("skus"):
            return self._top_error(15, "Remote service error", "isv.invalid-parameter", "商品有SKU, 请指定SKU")
        else:
            code = item["outer_id"]
        if code in self.stock_refuse:
            return self._top_error(15, "Remote service error", "isv.item-update-error", self.stock_refuse[code])
        with self._lock:
            self.stock[code] = int(params["quantity"])
        now = dt.datetime.now(SHANGHAI).strftime(TOP_TIME)
        answer = {"num_iid": int(params["num_iid"]), "quantity": int(params["quantity"]), "modified": now}
        return {"item_quantity_update_response": {"item": answer}}

    def _top_shipment(self, params):
        missing = [name for name in ("tid", "out_sid", "company_code") if not params.get(name)]
        if missing:
            return self._top_error(40, f"Missing required arguments:{','.join(missing)}")
        if params["tid"] in self.shipment_refuse:
            return self._top_error(
                15, "Remote service error", "isv.logistics-offline-service-error", self.shipment_refuse[params["tid"]]
            )
        with self._lock:
            self.shipments.append(
                {
                    "protocol": "taobao_top",
                    "order_no": params["tid"],
                    "courier": params["company_code"],
                    "tracking_no": params["out_sid"],
                }
            )
        return {"logistics_offline_send_response": {"shipping": {"is_success": True}}}

    def _top_time(self, params):
        return {"time_get_response": {"time": dt.datetime.now(SHANGHAI).strftime(TOP_TIME)}}
