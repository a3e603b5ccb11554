# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Pinduoduo open platform (拼多多开放平台) adapter: orders, stock, shipments.

Every call POSTs a form to the router (``base_url``, normally
``https://gw-api.pinduoduo.com/api/router``) with the system parameters
``type`` (the API), ``client_id``, ``access_token``, ``timestamp`` (Unix
seconds), ``data_type=JSON``, ``version=V1``, the business parameters side by
side (lists and objects as JSON strings) and ``sign`` (see :func:`sign`).

Answers: ``{"<name>_response": {...}}`` or ``{"error_response": {"error_code":
10019, "error_msg": ..., "sub_code": ..., "sub_msg": ...}}``. Amounts are
yuan.
"""

import csv
import hashlib
import io
import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

from odoo.addons.omni_platform.platforms import (
    PlatformAdapter,
    PlatformAuthError,
    PlatformRateLimitError,
    PlatformRejectedError,
    PlatformServerError,
    register_adapter,
)
from odoo.addons.omni_platform.platforms.base import (
    CANCELLED,
    HOLD,
    NOT_READY,
    READY,
    SHANGHAI,
    TIME_FORMAT,
    UNKNOWN,
    check_window,
    compact_json,
    md5_sign,
    public_settlement_line,
    to_utc,
)

ORDERS_METHOD = "pdd.order.number.list.increment.get"
GOODS_METHOD = "pdd.goods.list.get"
STOCK_METHOD = "pdd.goods.quantity.update"
COMPANIES_METHOD = "pdd.logistics.companies.get"
SHIPMENT_METHOD = "pdd.logistics.online.send"
REFUNDS_METHOD = "pdd.refund.list.increment.get"
DECRYPT_METHOD = "pdd.open.decrypt.batch"
# the shop's 货款 account: one bill a day, as a file to download (商家货款日账单下载链接查询接口)
BILL_URL_METHOD = "pdd.finance.balance.daily.bill.url.get"
BILL_DOWNLOAD = "daily bill download"
#: columns of the daily bill file, as in the shop's 账务明细 export (an assumption: the file's layout is not in
#: the API definition; see readme/REFERENCES.md)
BILL_COLUMNS = {
    "order": "商户订单号",
    "time": "发生时间",
    "income": "收入金额（+元）",
    "expense": "支出金额（-元）",
    "type": "账务类型",
    "memo": "备注",
    "description": "业务描述",
}
# (pdd.open.decrypt.batch answers also carry data_type: 5 收件人, 6 收件人手机号,
# 7 收件人完整地址, 8 收件人详细地址; each answer is matched to its ciphertext)

#: error_code of bad client id, signature or token
AUTH_CODES = frozenset({10016, 10019, 10020, 10021, 10035, 20004})
#: error_code of call limits
RATE_LIMIT_CODES = frozenset({70031, 70032, 70033, 70034})
#: words of auth and rate limit errors whose code is not listed above
AUTH_WORDS = ("access_token", "签名", "sign", "client_id", "授权")
RATE_WORDS = ("频繁", "限流", "rate limit", "too many")
#: order_sn_list item statuses (pdd.order.number.list.increment.get):
#: order_status 发货状态 1 待发货, 2 已发货待签收, 3 已签收; refund_status 退款状态
#: 1 无售后或售后关闭, 2 售后处理中, 3 退款中, 4 退款成功; confirm_status 成交状态
#: 0 未成交, 1 已成交, 2 已取消; risk_control_status 订单审核状态 0 正常订单, 1 审核中订单
#: (risk control: wait until cleared). An order
#: staged before is held while an after-sale is open (2, 3) or risk control
#: holds it, cancelled when cancelled (confirm_status 2) or refunded (4)
ORDER_STATUSES = {1: READY, 2: NOT_READY, 3: NOT_READY}
REFUND_STATUSES = {1: READY, 2: HOLD, 3: HOLD, 4: CANCELLED}
CONFIRM_STATUSES = {0: NOT_READY, 1: READY, 2: CANCELLED}
RISK_CONTROL_STATUSES = {0: READY, 1: HOLD}
#: which state wins when the statuses disagree (a cancelled order is
#: cancelled whatever its shipping state says; an after-sale open on a
#: shipped order is news for the after-sales staff)
STATE_PRIORITY = (UNKNOWN, CANCELLED, HOLD, NOT_READY, READY)


def param_str(value):
    """A parameter value as sent and signed."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return compact_json(value)
    return str(value)


#: Pinduoduo md5 signature: TOP's (upper-case hex MD5 of ``client_secret +
#: k1v1k2v2... + client_secret`` over the parameters sorted by name, without
#: ``sign`` and empty values)
sign = md5_sign


def _epoch(value):
    return int(value.timestamp())


def _money(value):
    """Yuan amount as a 2-decimal string (JSON numbers such as 58.1 come as
    floats: their shortest text is the amount sent). Unreadable values are
    returned unchanged for staging to refuse."""
    try:
        return format(Decimal(str(value)).quantize(Decimal("0.01")), "f")
    except (InvalidOperation, ValueError):
        return value


@register_adapter
class PinduoduoAdapter(PlatformAdapter):
    """Pinduoduo shop. ``app_key`` is the client_id, ``app_secret`` the
    client_secret; ``access_token`` is the shop's. ``extra`` keys:

    * ``goods_ids``: {merchant SKU code: goods_id}; SKUs not listed are looked
      up once (``pdd.goods.list.get`` by outer_id);
    * ``courier_ids``: {courier code: Pinduoduo logistics_id}; codes not listed
      are looked up once in ``pdd.logistics.companies.get``.

    Windows longer than 30 minutes are split (the platform's limit); pages
    hold at most 100 orders and are read from the last to the first (the
    documentation: 必须采用倒序的分页方式才能避免漏单问题).
    """

    kind = "pinduoduo"
    label = "Pinduoduo"

    required_credentials = ("app_key", "app_secret", "access_token")
    max_window = timedelta(minutes=30)
    max_page_size = 100
    page_backward = True
    orders_operation = ORDERS_METHOD

    def __init__(self, **config):
        super().__init__(**config)
        self.goods_ids = self._extra_map("goods_ids")
        self.courier_ids = self._extra_map("courier_ids", upper=True)
        self._companies = None

    # -- transport
    def _params(self, api_type, business):
        params = {
            "type": api_type,
            "client_id": self.app_key,
            "access_token": self.access_token,
            "timestamp": str(_epoch(datetime.now(timezone.utc))),
            "data_type": "JSON",
            "version": "V1",
        }
        params.update({key: param_str(value) for key, value in business.items() if value is not None})
        params["sign"] = sign(params, self.app_secret)
        return params

    def _raise(self, api_type, cls, text, reason, code=None, sub_code=""):
        # every Pinduoduo error has a sub_code ("" when the platform gives none)
        return super()._raise(api_type, cls, text, reason, code, sub_code=sub_code)

    def _gateway_error(self, api_type, error):
        try:
            code = int(error.get("error_code"))
        except (TypeError, ValueError):
            code = None
        sub_code = str(error.get("sub_code") or "")
        reason = str(error.get("sub_msg") or error.get("error_msg") or "unknown error").strip()
        words = f"{error.get('error_msg') or ''} {reason}".lower()
        if code in AUTH_CODES or (code and code < 20000 and any(w in words for w in AUTH_WORDS)):
            cls, text = PlatformAuthError, "check the client id, client secret and access token"
        elif code in RATE_LIMIT_CODES or any(w in words for w in RATE_WORDS):
            cls, text = PlatformRateLimitError, "call limit reached"
        elif code is not None and code >= 50000:
            cls, text = PlatformServerError, "failed on the platform side"
        else:
            cls, text = PlatformRejectedError, "was refused"
        self._raise(api_type, cls, f"{text} (error_code {code}): {reason}", reason, code, sub_code)

    def _call(self, api_type, business):
        payload = self._gateway_request(api_type, self._params(api_type, business))
        bodies = [value for key, value in payload.items() if key.endswith("_response") and isinstance(value, dict)]
        if len(bodies) != 1:
            raise self._response_error(api_type, "returned no '..._response' object", payload)
        return bodies[0]

    # -- orders
    @staticmethod
    def map_order(order):
        """A Pinduoduo order (``order_sn_list`` item) in the public order keys."""
        lines = []
        for item in order.get("item_list") or []:
            if not isinstance(item, dict):
                lines.append(item)  # refused at staging (omni.order._prepare_staging_vals)
                continue
            lines.append(
                {
                    # outer_id: the merchant's SKU code (SKU编码), else the goods' code
                    "platform_sku": item.get("outer_id") or item.get("outer_goods_id") or item.get("sku_id"),
                    "quantity": item.get("goods_count"),
                    "unit_price": _money(item.get("goods_price", "0")),
                }
            )
        # receiver_name, receiver_phone, receiver_address (and address) are
        # 密文 (加密) for an order waiting to ship; *_mask is the masked text;
        # open_address_id names the receiver's address (equal ids: same place)
        cipher = {
            "name": order.get("receiver_name"),
            "phone": order.get("receiver_phone"),
            "address": order.get("receiver_address") or order.get("address"),
        }
        encrypted = any(key in order for key in ("receiver_name_mask", "receiver_phone_mask", "open_address_id"))
        return {
            "platform_order_no": order.get("order_sn"),
            "order_time": order.get("created_time"),
            "buyer_nick": "",
            "receiver_name": order.get("receiver_name_mask") if encrypted else order.get("receiver_name"),
            "phone": order.get("receiver_phone_mask") if encrypted else order.get("receiver_phone"),
            "province": order.get("province"),
            "city": order.get("city"),
            "district": order.get("town"),
            "address": (order.get("receiver_address_mask") or order.get("address_mask"))
            if encrypted
            else order.get("address"),
            "receiver_id": str(order.get("open_address_id") or "") if encrypted else "",
            "receiver_cipher": cipher if encrypted else {},
            # Pinduoduo has no cash on delivery: every order is paid first
            "payment_method": "prepaid",
            "paid_amount": _money(order.get("pay_amount")),
            "shipping_fee": _money(order.get("postage") or "0"),
            "buyer_note": order.get("buyer_memo"),
            "lines": lines,
        }

    def _order_state(self, item):
        """Paid and waiting to ship: 已成交 (confirm_status 1), 待发货
        (order_status 1), no after-sale open (refund_status 1), not held by
        risk control (risk_control_status 0, absent on older answers)."""
        keys = ("confirm_status", "order_status", "refund_status", "risk_control_status")
        named = {key: item.get(key) for key in keys}
        if named["risk_control_status"] is None:
            named["risk_control_status"] = 0
        status = ", ".join(f"{key} {value}" for key, value in named.items())
        states = set()
        for key, known in zip(
            keys, (CONFIRM_STATUSES, ORDER_STATUSES, REFUND_STATUSES, RISK_CONTROL_STATUSES), strict=True
        ):
            try:
                states.add(known.get(int(named[key]), UNKNOWN))
            except (TypeError, ValueError):
                states.add(UNKNOWN)
        return next(state for state in STATE_PRIORITY if state in states), status

    def _fetch_counted_page(self, start, end, page, page_size):
        body = self._call(
            ORDERS_METHOD,
            {
                "is_lucky_flag": 0,  # lottery orders too
                "order_status": 5,  # every shipping state
                "refund_status": 5,  # every after-sale state
                "start_updated_at": _epoch(start),
                "end_updated_at": _epoch(end),
                "page": page,
                "page_size": page_size,
            },
        )
        names = ("order_sn_list", "total_count")
        return self._counted(ORDERS_METHOD, page, body, body.get(names[0]), body.get(names[1]), names)

    def _fetch_page(self, start, end, page, page_size):
        orders, total = self._fetch_counted_page(start, end, page, page_size)
        return orders, page * page_size < total

    # -- refunds (optional, not part of the adapter interface)
    def pull_refunds(self, since, until):
        """After-sales (refunds, returns) updated in [since, until), 30-minute
        windows, as ``{"refund_id", "order_no", "status", "amount", "reason",
        "updated", "raw"}`` with the amount a decimal yuan string."""
        for start, end in self._windows(since, until):
            page = 1
            while True:
                body = self._call(
                    REFUNDS_METHOD,
                    {
                        "after_sales_type": 1,  # every type
                        "after_sales_status": 1,  # every state
                        "start_updated_at": _epoch(start),
                        "end_updated_at": _epoch(end),
                        "page": page,
                        "page_size": self.page_size,
                    },
                )
                items = body.get("refund_list") or []
                for item in items:
                    yield {
                        "refund_id": str(item.get("id")),
                        "order_no": str(item.get("order_sn")),
                        "status": item.get("after_sales_status"),
                        "amount": format(self._yuan(item.get("refund_amount"), item), "f"),
                        "reason": item.get("after_sale_reason") or "",
                        "updated": str(item.get("updated_time") or ""),
                        "raw": item,
                    }
                if page * self.page_size >= int(body.get("total_count") or 0) or page >= self.max_pages:
                    break
                page += 1

    def _yuan(self, amount, item):
        """Refund amounts come in yuan (退款金额（元）, a string such as "8.00")."""
        try:
            value = Decimal(str(amount).strip())
        except (InvalidOperation, ValueError):
            value = None
        if isinstance(amount, bool) or amount is None or value is None or not value.is_finite():
            raise self._response_error(REFUNDS_METHOD, f"returned a refund without amount: {amount!r}", item)
        return value.quantize(Decimal("0.01"))

    # -- settlements
    settlements_operation = BILL_URL_METHOD

    def _bill_rows(self, content, bill_date):
        """The rows of one daily bill file ({column: text}), read as the
        shop's 账务明细 export: GBK (or UTF-8) CSV, title lines before the
        header, ``#`` total lines after the rows; ``#总计：N笔`` when present
        must count the rows read (a file cut short is refused)."""
        operation = f"{BILL_DOWNLOAD} {bill_date}"
        try:
            text = bytes(content).decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = bytes(content).decode("gb18030")
            except UnicodeDecodeError as exc:
                raise self._response_error(operation, "returned a file that is neither UTF-8 nor GBK") from exc
        lines = text.splitlines()
        header_at = next((i for i, line in enumerate(lines) if line.startswith(BILL_COLUMNS["order"])), None)
        if header_at is None:
            if not text.strip():
                return []  # no bill for the day
            raise self._response_error(
                operation, f"returned a file without the header line ({BILL_COLUMNS['order']}...)"
            )
        body = [line for line in lines[header_at:] if line.strip() and not line.startswith("#")]
        reader = csv.reader(io.StringIO("\n".join(body)))
        header = [name.strip() for name in next(reader)]
        missing = [name for key, name in BILL_COLUMNS.items() if key != "memo" and name not in header]
        if missing:
            raise self._response_error(operation, f"returned a file without the columns {', '.join(missing)}")
        rows = [dict(zip(header, (value.strip() for value in row), strict=False)) for row in reader if any(row)]
        total = next((line for line in lines if line.startswith("#总计")), None)
        if total is not None:
            count = "".join(ch for ch in total.split("：", 1)[-1].split("笔", 1)[0] if ch.isdigit())
            if count and int(count) != len(rows):
                raise self._response_error(
                    operation, f"returned {len(rows)} lines where the file's total says {count}: the file is cut short"
                )
        return rows

    def _settlement_line(self, row, bill_date):
        """One row of the daily bill in the public settlement shape: income
        and expense (already negative) make the signed amount; the row has no
        id of its own, so its serial is a digest of the row (an identical row
        twice is the same line: a duplicate)."""
        try:
            amount = sum(
                (Decimal(row.get(BILL_COLUMNS[key]) or "0") for key in ("income", "expense")), Decimal()
            ).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            raise self._response_error(
                f"{BILL_DOWNLOAD} {bill_date}", "returned a line without readable amounts", row
            ) from None
        digest = hashlib.sha1(
            json.dumps(row, ensure_ascii=False, sort_keys=True).encode(), usedforsecurity=False
        ).hexdigest()
        order_ref = row.get(BILL_COLUMNS["order"]) or ""
        try:
            return public_settlement_line(
                {
                    "serial_no": f"{bill_date}/{digest[:20]}",
                    "line_at": row.get(BILL_COLUMNS["time"]),
                    "order_ref": "" if order_ref in ("-", "--") else order_ref,
                    # 业务描述 ("0010002|交易收入-订单收入") names the line more closely than 账务类型
                    "type_text": row.get(BILL_COLUMNS["description"]) or row.get(BILL_COLUMNS["type"]),
                    "amount": format(amount, "f"),
                    "fee_amount": "0.00",
                },
                row,
            )
        except ValueError as exc:
            raise self._response_error(
                f"{BILL_DOWNLOAD} {bill_date}", f"returned an unusable line: {exc}", row
            ) from exc

    def pull_settlements(self, since, until):
        """The lines of the shop's 货款 account booked in [since, until): one
        ``pdd.finance.balance.daily.bill.url.get`` a China day (its
        ``bill_date``), then the day's file downloaded from its
        ``download_url`` and read (:meth:`_bill_rows`); lines outside the
        window are left out, a line given twice is given once."""
        since_utc, until_utc = check_window(since, until)
        day = since_utc.astimezone(SHANGHAI).date()
        last = (until_utc - timedelta(microseconds=1)).astimezone(SHANGHAI).date()
        seen = set()
        while day <= last and since_utc < until_utc:
            bill_date = day.isoformat()
            day += timedelta(days=1)
            url = str(self._call(BILL_URL_METHOD, {"bill_date": bill_date}).get("download_url") or "").strip()
            if not url:
                continue  # no bill that day
            content = self.http.request(
                "GET", url, operation=f"{BILL_DOWNLOAD} {bill_date}", headers={"Accept": "*/*"}, raw=True
            )
            for row in self._bill_rows(content, bill_date):
                line = self._settlement_line(row, bill_date)
                try:
                    at = to_utc(datetime.strptime(line["line_at"], TIME_FORMAT).replace(tzinfo=SHANGHAI))
                except ValueError:
                    raise self._response_error(
                        f"{BILL_DOWNLOAD} {bill_date}",
                        f"returned a line without readable time ({line['line_at']})",
                        row,
                    ) from None
                if since_utc <= at < until_utc and line["serial_no"] not in seen:
                    seen.add(line["serial_no"])
                    yield line

    # -- stock
    def _goods_id(self, sku):
        if sku not in self.goods_ids:
            body = self._call(GOODS_METHOD, {"outer_id": sku, "page": 1, "page_size": 10})
            found = {
                str(goods.get("goods_id"))
                for goods in body.get("goods_list") or []
                for item in goods.get("sku_list") or []
                if str(item.get("outer_id")) == sku
            }
            self.goods_ids[sku] = found.pop() if len(found) == 1 else None
        return self.goods_ids[sku]

    def _push_stock_one(self, sku, quantity):
        """One ``pdd.goods.quantity.update`` (full quantity, by outer_id)."""
        goods_id = self._goods_id(sku)
        if goods_id is None:
            return f"no Pinduoduo goods with the SKU code {sku}"
        business = {"goods_id": int(goods_id), "outer_id": sku, "quantity": quantity, "update_type": 1}
        if not self._call(STOCK_METHOD, business).get("is_success"):
            self._raise(STOCK_METHOD, PlatformRejectedError, f"did not update {sku}", "stock not updated")
        return None

    # -- receivers
    #: pdd.open.decrypt.batch takes 100 ciphertexts a call: 3 an order
    decrypt_batch_size = 33

    def _decrypt_batch(self, batch):
        """One ``pdd.open.decrypt.batch``: each ciphertext with its order
        number as ``data_tag``; an item with ``error_code`` other than 0 is
        that order's refusal."""
        data_list = [{"data_tag": number, "encrypted_data": text} for number, text in self._ciphertexts(batch)]
        answers = []
        if data_list:
            for item in self._call(DECRYPT_METHOD, {"data_list": data_list}).get("data_decrypt_list") or []:
                refused = str(item.get("error_code", 0)) not in ("0", "None")
                error = str(item.get("error_msg") or f"error_code {item.get('error_code')}") if refused else None
                answers.append(
                    (str(item.get("data_tag") or ""), item.get("encrypted_data"), item.get("decrypted_data"), error)
                )
        return self._decrypted(batch, answers, DECRYPT_METHOD)

    # -- shipments
    def _logistics_id(self, code):
        if code.isdigit():
            return code
        if code.upper() not in self.courier_ids:
            if self._companies is None:
                body = self._call(COMPANIES_METHOD, {})
                self._companies = {
                    str(c.get("code") or "").upper(): str(c.get("id")) for c in body.get("logistics_companies") or []
                }
            self.courier_ids[code.upper()] = self._companies.get(code.upper())
        return self.courier_ids[code.upper()]

    def push_shipment(self, platform_order_no, courier_code, tracking_no):
        code = str(courier_code or "").strip()
        logistics_id = self._logistics_id(code) if code else None
        if not logistics_id:
            self._raise(
                SHIPMENT_METHOD,
                PlatformRejectedError,
                f"has no Pinduoduo logistics company for courier {code!r} (order {platform_order_no})",
                f"unknown courier {code}",
            )
        business = {"order_sn": platform_order_no, "logistics_id": int(logistics_id), "tracking_number": tracking_no}
        if not self._call(SHIPMENT_METHOD, business).get("is_success"):
            self._raise(
                SHIPMENT_METHOD,
                PlatformRejectedError,
                f"did not confirm the shipment of order {platform_order_no}",
                "not confirmed",
            )
