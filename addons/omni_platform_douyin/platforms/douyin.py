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
import itertools
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

from odoo.addons.omni_platform.platforms import (
    PlatformAdapter,
    PlatformAuthError,
    PlatformRateLimitError,
    PlatformRejectedError,
    PlatformServerError,
    public_settlement_line,
    register_adapter,
)
from odoo.addons.omni_platform.platforms.base import (
    CANCELLED,
    HOLD,
    LINE_REFUNDED,
    NOT_READY,
    READY,
    UNKNOWN,
    check_window,
    compact_json,
    to_shanghai_str,
)

ORDERS_METHOD = "order.searchList"
STOCK_METHOD = "sku.syncStock"
SHIPMENT_METHOD = "order.logisticsAdd"
REFUNDS_METHOD = "afterSale.List"
DECRYPT_METHOD = "order.batchDecrypt"
# the shop's settled orders (结算账单明细), cursor paging (start_index / next_start_time, is_end)
SETTLEMENTS_METHOD = "order.getSettleBillDetailV3"
#: order.getSettleBillDetailV3: success code of its own answer (data.code), page size 1~100, window <= 7 days
SETTLEMENT_SUCCESS = "100000"
SETTLEMENT_PAGE_SIZE = 100
SETTLEMENT_WINDOW = timedelta(days=7)
#: its trade_type: 0 已结算, 1 结算后退款-原路退回, 2 保证金退款-支出退回, 3 结算后退款-非原路退回, written as the
#: words of the 抖店 fund statement (动账场景) the fee-type table knows; another type stays the platform's number
SETTLEMENT_TRADE_TYPES = {0: "货款结算入账", 1: "结算后退款", 2: "保证金退款", 3: "结算后退款"}
#: the fees a settled order holds (fen), kept by the platform before its settle_amount
SETTLEMENT_FEE_KEYS = (
    "platform_service_fee", "commission", "good_learn_channel_fee", "colonel_service_fee", "channel_promotion_fee",
    "other_sharing_amount",
)  # fmt: skip

SUCCESS = 10000
#: codes of token / app / signature problems (30001 授权不通过...)
AUTH_CODES = frozenset({30001, 30002, 30003, 30004, 30005})
#: codes of call limits (60000 触发限流); 90000 is "other" (其他错误): not retried
RATE_LIMIT_CODES = frozenset({60000})
#: codes of platform side failures (20000 服务不可用, 50000 业务处理失败)
SERVER_CODES = frozenset({20000, 50000})
#: shop order order_status: paid and waiting to ship (105 已支付, 2 备货中)
READY_STATUSES = frozenset({105, 2})
#: the other documented ones: 1 待确认/待支付, 101 部分发货, 3 已发货, 5 已完成
NOT_READY_STATUSES = frozenset({1, 101, 3, 5})
#: shipped in part or all (101 部分发货, 3 已发货, 5 已完成): an after-sale open is
#: an after-sales matter
SHIPPED_STATUSES = frozenset({101, 3, 5})
#: 4 已取消: an order staged before is cancelled
CANCELLED_STATUSES = frozenset({4})
#: sku_order_list[].after_sale_info.after_sale_status of an after-sale under
#: way (6 售后申请, 7 售后退货中, 11 售后已发货): the order is held
AFTER_SALE_OPEN = frozenset({6, 7, 11})
#: after_sale_info.refund_status 3 退款成功: the line is refunded
REFUND_DONE = 3
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
    return compact_json(business, sort_keys=True)


def sign(app_key, app_secret, method, param_text, timestamp, v="2"):
    """Douyin hmac-sha256 signature: hex HMAC-SHA256, keyed with the app
    secret, of ``secret + "app_key"… "method"… "param_json"… "timestamp"… "v"…
    + secret``."""
    text = f"{app_secret}app_key{app_key}method{method}param_json{param_text}timestamp{timestamp}v{v}{app_secret}"
    return hmac.new(app_secret.encode(), text.encode(), hashlib.sha256).hexdigest()


def fen_to_yuan(value):
    """Yuan string of an amount in fen (``5810`` → ``"58.10"``); an unreadable
    value is returned as is (staging refuses it)."""
    if isinstance(value, bool):
        return value
    try:
        fen = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return value
    if not fen.is_finite() or fen != fen.to_integral_value():
        return value
    return format((fen / 100).quantize(CENT), "f")


def _after_sale(sku_order):
    """(after_sale_status, refund_status) of a SKU order, (0, 0) without after-sale."""
    info = sku_order.get("after_sale_info") or {}
    try:
        return int(info.get("after_sale_status") or 0), int(info.get("refund_status") or 0)
    except (TypeError, ValueError):
        return -1, 0


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

    required_credentials = ("app_key", "app_secret", "access_token")
    max_window = timedelta(days=1)
    max_page_size = 100
    orders_operation = ORDERS_METHOD

    def __init__(self, **config):
        super().__init__(**config)
        self.courier_codes = {**COURIER_CODES, **self._extra_map("courier_codes", upper=True)}
        self.product_ids = self._extra_map("product_ids")

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
                lines.append(item)  # refused at staging (omni.order._prepare_staging_vals)
                continue
            line = {
                # code: the merchant's SKU code (商家编码), else out_sku_id / sku_id
                "platform_sku": item.get("code") or item.get("out_sku_id") or item.get("sku_id"),
                "quantity": item.get("item_num"),
                # origin_amount: 商品现价（单位：分）, one unit's price
                # (sum_amount is origin_amount × item_num)
                "unit_price": fen_to_yuan(item.get("origin_amount")),
            }
            if _after_sale(item)[1] == REFUND_DONE:
                # pay_amount: 支付金额（单位：分） of this SKU order, what was refunded
                line.update(refund=LINE_REFUNDED, refund_amount=fen_to_yuan(item.get("pay_amount")))
            lines.append(line)
        created = order.get("create_time")
        if isinstance(created, int | float) or str(created).isdigit():
            created = to_shanghai_str(datetime.fromtimestamp(int(created), timezone.utc))
        # encrypt_post_receiver, encrypt_post_tel and post_addr.encrypt_detail
        # are ciphertexts (order.batchDecrypt with the order id as auth_id);
        # mask_post_receiver, mask_post_tel, mask_post_addr (脱敏后) the text
        # shown; open_address_id (newer answers) names the receiver's address
        cipher = {
            "name": order.get("encrypt_post_receiver"),
            "phone": order.get("encrypt_post_tel"),
            "address": address.get("encrypt_detail"),
        }
        encrypted = any(cipher.values())
        if encrypted:
            masked = order.get("mask_post_addr") or {}
            address = {**address, **{k: v for k, v in masked.items() if v}}
        return {
            "platform_order_no": order.get("order_id"),
            "order_time": created,
            "buyer_nick": order.get("user_nick_name") or "",
            "receiver_name": (order.get("mask_post_receiver") if encrypted else None) or order.get("post_receiver"),
            "phone": (order.get("mask_post_tel") if encrypted else None) or order.get("post_tel"),
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
            "receiver_id": str(order.get("open_address_id") or "") if encrypted else "",
            "receiver_cipher": cipher if encrypted else {},
        }

    def _order_state(self, item):
        """order_status, and for an order waiting to ship the after-sale of
        its SKU orders: one under way holds the order, every SKU order
        refunded cancels it, one refunded alone leaves the rest to ship."""
        try:
            code = int(item.get("order_status"))
        except (TypeError, ValueError):
            code = None
        status = f"{item.get('order_status')} {item.get('order_status_desc') or ''}".strip()
        if code in CANCELLED_STATUSES:
            return CANCELLED, status
        if code not in READY_STATUSES | SHIPPED_STATUSES:
            return (NOT_READY if code in NOT_READY_STATUSES else UNKNOWN), status
        after_sales = [_after_sale(sku) for sku in item.get("sku_order_list") or [] if isinstance(sku, dict)]
        asked = sorted({str(s) for s, refund in after_sales if s in AFTER_SALE_OPEN and refund != REFUND_DONE})
        if asked:
            return HOLD, f"{status}, after_sale_status {', '.join(asked)}"
        if after_sales and all(refund == REFUND_DONE for _s, refund in after_sales):
            return CANCELLED, f"{status}, refund_status {REFUND_DONE}"
        return (NOT_READY if code in SHIPPED_STATUSES else READY), status

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
        names = ("shop_order_list", "total")
        orders, total = self._counted(ORDERS_METHOD, page, data, data.get(names[0]), data.get(names[1]), names)
        return orders, page * page_size < total

    # -- receivers
    #: order.batchDecrypt: 最大支持一次解密50条 (3 ciphertexts an order)
    decrypt_batch_size = 16

    def _decrypt_batch(self, batch):
        """One ``order.batchDecrypt``: ``cipher_infos`` of (auth_id = order
        id, cipher_text); each ``decrypt_infos`` item with ``err_no`` other
        than 0 is that order's refusal, a ``custom_err`` the whole call's."""
        infos = [{"auth_id": number, "cipher_text": text} for number, text in self._ciphertexts(batch)]
        answers = []
        if infos:
            data = self._call(DECRYPT_METHOD, {"cipher_infos": infos})
            error = data.get("custom_err") or {}
            if error.get("err_code"):
                reason = str(error.get("err_msg") or error.get("err_code"))
                self._raise(DECRYPT_METHOD, PlatformRejectedError, f"was refused: {reason}", reason, error["err_code"])
            for item in data.get("decrypt_infos") or []:
                refusal = str(item.get("err_msg") or f"err_no {item['err_no']}") if item.get("err_no") else None
                answers.append(
                    (str(item.get("auth_id") or ""), item.get("cipher_text"), item.get("decrypt_text"), refusal)
                )
        return self._decrypted(batch, answers, DECRYPT_METHOD)

    # -- after-sales (optional, not part of the adapter interface)
    def pull_refunds(self, since, until):
        """After-sales (refunds, returns) updated in [since, until), in the
        order windows, as ``{"refund_id", "order_no", "status", "amount",
        "reason", "updated", "raw"}``; the amount a yuan string."""
        for start, end in self._windows(since, until):
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

    # -- settlements
    settlements_operation = SETTLEMENTS_METHOD

    def _settlement_line(self, item):
        """One settled (sub-)order in the public settlement shape: an order
        settled brings its settle_amount (商家实收, net of the fees it holds),
        a refund after settlement takes it back."""
        try:
            trade_type = int(item.get("trade_type") or 0)
            settle = int(item.get("settle_amount"))
            fees = sum(int(item.get(key) or 0) for key in SETTLEMENT_FEE_KEYS)
        except (TypeError, ValueError):
            raise self._response_error(SETTLEMENTS_METHOD, "returned a line without readable amounts", item) from None
        if trade_type in (1, 3):  # money back to the buyer: out of the shop's account, the fees stay kept
            amount, fee = -abs(settle), 0
        else:
            amount, fee = settle, -fees if trade_type == 0 else 0
        order_ref = str(item.get("shop_order_id") or "").strip()
        sub_order = str(item.get("order_id") or "").strip()
        try:
            return public_settlement_line(
                {
                    # one 结算单 may settle several sub-orders, and a refund after settlement may keep its number:
                    # the line is the number, the sub-order and (but for a settlement) the trade type
                    "serial_no": f"{item['request_no']}/{sub_order}" + (f"/{trade_type}" if trade_type else "")
                    if item.get("request_no")
                    else "",
                    "line_at": item.get("settle_time"),
                    "order_ref": order_ref,
                    "sub_order_ref": sub_order if sub_order != order_ref else "",
                    "type_text": SETTLEMENT_TRADE_TYPES.get(trade_type, f"trade_type {trade_type}"),
                    "amount": fen_to_yuan(amount),
                    "fee_amount": fen_to_yuan(fee),
                },
                item,
            )
        except ValueError as exc:
            raise self._response_error(SETTLEMENTS_METHOD, f"returned an unusable line: {exc}", item) from exc

    def pull_settlements(self, since, until):
        """The shop's settlement lines (order.getSettleBillDetailV3, by
        settlement time) of [since, until), windows of at most 7 days, each
        read with the platform's cursor (next_start_index and next_start_time
        until is_end); a line that comes twice is given once."""
        seen = set()
        start, until_utc = check_window(since, until)
        while start < until_utc:
            end = min(start + SETTLEMENT_WINDOW, until_utc)
            business = {
                "size": min(self.page_size, SETTLEMENT_PAGE_SIZE),
                "start_time": to_shanghai_str(start),
                "end_time": to_shanghai_str(end),
                "time_type": "0",  # 结算时间
            }
            for page in itertools.count(1):
                data = self._call(SETTLEMENTS_METHOD, business)
                if str(data.get("code")) != SETTLEMENT_SUCCESS:
                    self._raise(SETTLEMENTS_METHOD, PlatformRejectedError,
                                f"was refused (code {data.get('code')}): {data.get('code_msg') or ''}",
                                str(data.get("code_msg") or ""))  # fmt: skip
                items = data.get("data")
                if not isinstance(items, list):
                    raise self._response_error(SETTLEMENTS_METHOD, f"returned no line list (page {page})", data)
                for item in items:
                    if not isinstance(item, dict):
                        raise self._response_error(
                            SETTLEMENTS_METHOD, f"returned a line that is not an object (page {page})"
                        )
                    line = self._settlement_line(item)
                    if line["serial_no"] not in seen:
                        seen.add(line["serial_no"])
                        yield line
                if str(data.get("is_end")) == "1":
                    break
                if page >= self.max_pages or not data.get("next_start_index"):
                    raise self._response_error(
                        SETTLEMENTS_METHOD, f"still has more lines after {page} pages, or no cursor to go on", data
                    )
                business = {**business, "start_index": str(data["next_start_index"]),
                            "start_time": data.get("next_start_time") or business["start_time"]}  # fmt: skip
            start = end

    # -- stock
    def _push_stock_one(self, sku, quantity):
        """One ``sku.syncStock`` by SKU code (full quantity, not incremental)."""
        business = {"code": sku, "stock_num": quantity, "incremental": False}
        if self.product_ids.get(sku):
            business["product_id"] = int(self.product_ids[sku])
        self._call(STOCK_METHOD, business)
        return None

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
