# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Douyin shop open platform (抖店开放平台) adapter: orders, stock, shipments.

Every API has its own path: ``order.searchList`` is ``POST
{base_url}/order/searchList`` (``base_url`` normally
``https://openapi-fxg.jinritemai.com``). The query string carries ``app_key,
method, access_token, timestamp`` (Unix seconds, as the current official
SDK sends it), ``v=2,
sign_method=hmac-sha256`` and ``sign`` (see :func:`sign`); the body is
``param_json``, the business parameters as compact JSON with sorted keys.

Answers: ``{"code": 10000, "msg": "success", "sub_code": "", "sub_msg": "",
"data": {...}}``; any other code is an error. Amounts are in fen (分).
"""

import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

from odoo.addons.omni_platform.platforms import (
    PlatformAdapter,
    PlatformAuthError,
    PlatformError,
    PlatformRateLimitError,
    PlatformRejectedError,
    PlatformServerError,
    register_adapter,
)
from odoo.addons.omni_platform.platforms.base import (
    NOT_READY,
    READY,
    UNKNOWN,
    check_window,
    redact,
    to_shanghai_str,
)

ORDERS_METHOD = "order.searchList"
STOCK_METHOD = "sku.syncStock"
SHIPMENT_METHOD = "order.logisticsAdd"
REFUNDS_METHOD = "afterSale.List"

SUCCESS = 10000
#: codes of token / app / signature problems (30001 授权不通过...)
AUTH_CODES = frozenset({30001, 30002, 30003, 30004, 30005})
#: codes of call limits (60000 触发限流); 90000 is "other" (其他错误): not retried
RATE_LIMIT_CODES = frozenset({60000})
#: codes of platform side failures (20000 服务不可用, 50000 业务处理失败)
SERVER_CODES = frozenset({20000, 50000})
#: shop order order_status: paid and waiting to ship (105 已支付, 2 备货中)
READY_STATUSES = frozenset({105, 2})
#: the other documented ones: 1 待确认/待支付, 101 部分发货, 3 已发货, 4 已取消, 5 已完成
NOT_READY_STATUSES = frozenset({1, 101, 3, 4, 5})
#: Douyin's courier codes (company_code) of our courier codes; a channel adds
#: or overrides them (extra ``courier_codes``)
COURIER_CODES = {
    "SF": "shunfeng",
    "ZTO": "zhongtong",
    "YTO": "yuantong",
    "STO": "shentong",
    "YUNDA": "yunda",
    "EMS": "ems",
    "JD": "jd",
    "DBL": "debangwuliu",
}
CENT = Decimal("0.01")


def param_json(business):
    """The ``param_json`` text: keys sorted, no spaces, UTF-8 as is."""
    return json.dumps(business, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def sign(app_key, app_secret, method, param_text, timestamp, v="2"):
    """Douyin hmac-sha256 signature: hex HMAC-SHA256, keyed with the app
    secret, of ``secret + "app_key"… "method"… "param_json"… "timestamp"… "v"…
    + secret``."""
    text = f"{app_secret}app_key{app_key}method{method}param_json{param_text}timestamp{timestamp}v{v}{app_secret}"
    return hmac.new(app_secret.encode(), text.encode(), hashlib.sha256).hexdigest()


def fen_to_yuan(value):
    """Yuan string of an amount in fen (``5810`` → ``"58.10"``); an unreadable
    value is returned as is (normalize_order refuses it)."""
    if isinstance(value, bool):
        return value
    try:
        fen = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return value
    if not fen.is_finite() or fen != fen.to_integral_value():
        return value
    return format((fen / 100).quantize(CENT), "f")


@register_adapter
class DouyinAdapter(PlatformAdapter):
    """Douyin shop. ``app_key``, ``app_secret`` and ``access_token`` (the
    shop's token) are required. ``extra`` keys:

    * ``courier_codes``: {courier code: Douyin company_code} added to
      :data:`COURIER_CODES`;
    * ``product_ids``: {SKU code: Douyin product_id} sent with stock updates.

    Windows longer than :attr:`max_window` are split; pages hold at most 100
    orders and are numbered from 0.
    """

    kind = "douyin"
    label = "Douyin"

    max_window = timedelta(days=1)
    max_page_size = 100

    def __init__(self, **config):
        super().__init__(**config)
        missing = [name for name in ("app_key", "app_secret", "access_token") if not getattr(self, name)]
        if missing:
            raise ValueError(f"{self.label}: {', '.join(missing)} required")
        self.page_size = min(self.page_size, self.max_page_size)
        extra_codes = self.extra.get("courier_codes") or {}
        self.courier_codes = {**COURIER_CODES, **{k.upper(): str(v) for k, v in extra_codes.items()}}
        self.product_ids = {str(k): str(v) for k, v in (self.extra.get("product_ids") or {}).items()}

    # -- transport
    def _check(self, method):
        def check(payload):
            try:
                code = int(payload.get("code"))
            except (TypeError, ValueError):
                raise self._response_error(method, "returned no code", payload) from None
            if code == SUCCESS:
                return
            sub_code = str(payload.get("sub_code") or "")
            reason = str(payload.get("sub_msg") or payload.get("msg") or "unknown error").strip()
            if code in AUTH_CODES or "access-token" in sub_code or "sign" in sub_code:
                cls, text = PlatformAuthError, "check the app key, app secret and access token"
            elif code in RATE_LIMIT_CODES or "limit" in sub_code:
                cls, text = PlatformRateLimitError, "call limit reached"
            elif code in SERVER_CODES or sub_code.startswith("isp."):
                cls, text = PlatformServerError, "failed on the platform side"
            else:
                cls, text = PlatformRejectedError, "was refused"
            self._raise(
                method, cls, f"{text} (code {code}{', ' + sub_code if sub_code else ''}): {reason}", reason, code
            )

        return check

    def _raise(self, method, cls, text, reason, code=None):
        exc = self._response_error(method, text, cls=cls)
        exc.detail = redact(reason, self.http.secrets)
        exc.code = code
        raise exc

    def _call(self, method, business):
        text = param_json(business)
        timestamp = str(int(datetime.now(timezone.utc).timestamp()))
        query = {
            "app_key": self.app_key,
            "method": method,
            "access_token": self.access_token,
            "timestamp": timestamp,
            "v": "2",
            "sign_method": "hmac-sha256",
            "sign": sign(self.app_key, self.app_secret, method, text, timestamp),
        }
        payload = self.http.request(
            "POST",
            f"{self.base_url}/{method.replace('.', '/')}",
            params=query,
            data=text.encode(),
            headers={"Content-Type": "application/json"},
            operation=method,
            check=self._check(method),
        )
        data = payload.get("data")
        if not isinstance(data, dict):
            raise self._response_error(method, "returned no data object", payload)
        return data

    # -- orders
    @staticmethod
    def map_order(order):
        """A Douyin shop order (``shop_order_list`` item) in the public keys."""
        address = order.get("post_addr") or {}
        lines = []
        for item in order.get("sku_order_list") or []:
            if not isinstance(item, dict):
                lines.append(item)  # refused by normalize_order
                continue
            lines.append(
                {
                    # code: the merchant's SKU code (商家编码), else out_sku_id / sku_id
                    "platform_sku": item.get("code") or item.get("out_sku_id") or item.get("sku_id"),
                    "quantity": item.get("item_num"),
                    # origin_amount: 商品现价（单位：分）, one unit's price
                    # (sum_amount is origin_amount × item_num)
                    "unit_price": fen_to_yuan(item.get("origin_amount")),
                }
            )
        created = order.get("create_time")
        if isinstance(created, int | float) or str(created).isdigit():
            created = datetime.fromtimestamp(int(created), timezone.utc)
        return {
            "platform_order_no": order.get("order_id"),
            "order_time": created,
            "buyer_nick": order.get("user_nick_name") or "",
            "receiver_name": order.get("post_receiver"),
            "phone": order.get("post_tel"),
            "province": (address.get("province") or {}).get("name"),
            "city": (address.get("city") or {}).get("name"),
            "district": (address.get("town") or {}).get("name"),
            "address": " ".join(filter(None, [(address.get("street") or {}).get("name"), address.get("detail")])),
            # pay_type 0 is cash on delivery (货到付款); others are paid online
            "payment_method": "cod" if str(order.get("pay_type")) == "0" else "prepaid",
            "paid_amount": fen_to_yuan(order.get("pay_amount")),
            "shipping_fee": fen_to_yuan(order.get("post_amount") or 0),
            "buyer_note": order.get("buyer_words"),
            "lines": lines,
        }

    def _order_state(self, item):
        try:
            code = int(item.get("order_status"))
        except (TypeError, ValueError):
            code = None
        status = f"{item.get('order_status')} {item.get('order_status_desc') or ''}".strip()
        if code in READY_STATUSES:
            return READY, status
        return (NOT_READY if code in NOT_READY_STATUSES else UNKNOWN), status

    def _fetch_page(self, start, end, page, page_size):
        data = self._call(
            ORDERS_METHOD,
            {
                "update_time_start": int(start.timestamp()),
                "update_time_end": int(end.timestamp()),
                "page": page - 1,  # Douyin pages start at 0
                "size": page_size,
                "order_by": "update_time",
                "order_asc": True,
            },
        )
        orders = data.get("shop_order_list")
        try:
            total = int(data.get("total"))
        except (TypeError, ValueError):
            total = None
        if not isinstance(orders, list) or total is None:
            raise self._response_error(ORDERS_METHOD, f"returned no shop_order_list or no total (page {page})", data)
        return orders, page * page_size < total

    def _iter_orders(self, since, until):
        start, until_utc = check_window(since, until)
        while start < until_utc:
            end = min(start + self.max_window, until_utc)
            yield from self._iter_pages(start, end, ORDERS_METHOD, ("an order", "orders"), self.map_order)
            start = end

    # -- after-sales (optional, not part of the adapter interface)
    def pull_refunds(self, since, until):
        """After-sales (refunds, returns) updated in [since, until), in the
        order windows, as ``{"refund_id", "order_no", "status", "amount",
        "reason", "updated", "raw"}``; the amount a yuan string."""
        start, until_utc = check_window(since, until)
        while start < until_utc:
            end = min(start + self.max_window, until_utc)
            page = 0
            while True:
                data = self._call(
                    REFUNDS_METHOD,
                    {
                        "update_start_time": int(start.timestamp()),
                        "update_end_time": int(end.timestamp()),
                        "order_by": ["update_time asc"],
                        "page": page,
                        "size": self.page_size,
                    },
                )
                for item in data.get("items") or []:
                    info, order = item.get("aftersale_info") or {}, item.get("order_info") or {}
                    updated = info.get("update_time")
                    yield {
                        "refund_id": str(info.get("aftersale_id")),
                        "order_no": str(order.get("shop_order_id") or info.get("order_id") or ""),
                        "status": info.get("aftersale_status"),
                        "amount": fen_to_yuan(info.get("refund_amount") or 0),
                        "reason": info.get("reason_text") or "",
                        "updated": to_shanghai_str(datetime.fromtimestamp(int(updated), timezone.utc))
                        if updated
                        else "",
                        "raw": item,
                    }
                page += 1
                if not data.get("has_more") or page >= self.max_pages:
                    break
            start = end

    # -- stock
    def push_stock(self, quantities):
        """One ``sku.syncStock`` per SKU code (full quantity, not incremental)."""
        results = {}
        for sku, quantity in quantities.items():
            business = {"code": sku, "stock_num": self._stock_quantity(sku, quantity), "incremental": False}
            if self.product_ids.get(sku):
                business["product_id"] = int(self.product_ids[sku])
            try:
                self._call(STOCK_METHOD, business)
            except PlatformError as exc:
                if exc.retryable or not isinstance(exc, PlatformRejectedError):
                    exc.partial_results = dict(results)
                    raise
                results[sku] = exc.detail or exc.message
                continue
            results[sku] = None
        return results

    # -- shipments
    def push_shipment(self, platform_order_no, courier_code, tracking_no):
        code = str(courier_code or "").strip()
        # our courier code, or Douyin's own (the code its waybill service issued the number under)
        company = self.courier_codes.get(code.upper()) or (code if code in self.courier_codes.values() else None)
        if not company:
            self._raise(
                SHIPMENT_METHOD,
                PlatformRejectedError,
                f"has no Douyin courier code for courier {code!r} (order {platform_order_no})",
                f"unknown courier {code}",
            )
        self._call(
            SHIPMENT_METHOD,
            {"order_id": str(platform_order_no), "company_code": company, "logistics_code": tracking_no},
        )
