# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Taobao Open Platform (TOP) style signed API (Taobao, Tmall).

Every call POSTs a form to the router URL (``base_url``, e.g.
``https://eco.taobao.com/router/rest``) with the system parameters
``method, app_key, session, timestamp, format=json, v=2.0, sign_method=md5``,
the business parameters and ``sign`` (see :func:`sign`). Times are
``YYYY-MM-DD HH:MM:SS`` in Asia/Shanghai time.

Errors come as ``{"error_response": {"code": 25, "msg": ..., "sub_code": ...,
"sub_msg": ...}}`` (usually with HTTP 200).
"""

import json as jsonlib
import re
from datetime import datetime, timedelta, timezone

from .base import (
    CANCELLED,
    HOLD,
    LINE_REFUNDED,
    NOT_READY,
    READY,
    UNKNOWN,
    PlatformAdapter,
    md5_sign,
    public_settlement_line,
    to_shanghai_str,
)
from .errors import PlatformAuthError, PlatformRateLimitError, PlatformRejectedError, PlatformServerError

TRADES_METHOD = "taobao.trades.sold.increment.get"
STOCK_METHOD = "taobao.item.quantity.update"
SKUS_METHOD = "taobao.skus.custom.get"
ITEMS_METHOD = "taobao.items.custom.get"
SHIPMENT_METHOD = "taobao.logistics.offline.send"
DECRYPT_METHOD = "taobao.top.oaid.decrypt"
# the shop's bills (账单明细, 自研发商家) and the names of their fee accounts (费用科目)
BILLS_METHOD = "taobao.bill.bills.get"
BILL_ACCOUNTS_METHOD = "taobao.bill.accounts.get"
BILL_FIELDS = "bid,account_id,trade_id,order_id,amount,total_amount,book_time,biz_time,pay_time,alipay_notice,num_iid"
#: taobao.bill.accounts.get account_type: 1 虚拟账户, 2 交易 (money of the buyers' payments and refunds: money in
#: positive, refunds negative); the others (3 交易佣金, 4 服务费, 5 天猫积分, 6 其他) are charged to the shop
BILL_MONEY_IN_TYPES = frozenset({1, 2})
#: taobao.bill.bills.get: 每页大小 40~100
BILL_PAGE_SIZES = (40, 100)

#: signature, session, app key problems
AUTH_CODES = frozenset({25, 26, 27, 28, 29})
#: call limits (retry later)
RATE_LIMIT_CODES = frozenset({7})

DEFAULT_TRADE_FIELDS = (
    "tid,type,status,created,modified,buyer_nick,receiver_name,receiver_mobile,receiver_phone,"
    "receiver_state,receiver_city,receiver_district,receiver_address,oaid,payment,post_fee,buyer_message,"
    "orders.num_iid,orders.sku_id,orders.outer_iid,orders.outer_sku_id,orders.num,orders.price,orders.title,"
    "orders.oid,orders.status,orders.refund_status,orders.payment"
)

#: trade status of a paid trade waiting to be shipped (等待卖家发货,即:买家已付款)
READY_STATUSES = frozenset({"WAIT_SELLER_SEND_GOODS"})
#: trade statuses of a trade that will never ship: an order staged before is cancelled
CANCELLED_STATUSES = frozenset(
    {
        "TRADE_CLOSED",  # 付款以后用户退款成功，交易自动关闭
        "TRADE_CLOSED_BY_TAOBAO",  # 付款以前，卖家或买家主动关闭交易
    }
)
#: paid but not to be shipped for now: an order staged before is held
HOLD_STATUSES = frozenset({"PAID_FORBID_CONSIGN"})  # 已付款但禁止发货
#: shipped (in part or all): not staged; a refund asked is an after-sales matter
SHIPPED_STATUSES = frozenset(
    {
        "SELLER_CONSIGNED_PART",  # 卖家部分发货
        "WAIT_BUYER_CONFIRM_GOODS",  # 卖家已发货
        "TRADE_BUYER_SIGNED",  # 买家已签收 (货到付款)
        "TRADE_FINISHED",  # 交易成功
    }
)
#: the other documented trade statuses: not staged, nothing to change
NOT_READY_STATUSES = SHIPPED_STATUSES | frozenset(
    {
        "TRADE_NO_CREATE_PAY",  # 没有创建支付宝交易
        "WAIT_BUYER_PAY",  # 等待买家付款
        "PAY_PENDING",  # 国际信用卡支付付款确认中
        "WAIT_PRE_AUTH_CONFIRM",  # 0元购合约中
    }
)
#: refund_status of a sub-order (orders.order): a refund asked and not settled yet
REFUND_REQUESTED = frozenset(
    {
        "WAIT_SELLER_AGREE",  # 买家已经申请退款，等待卖家同意
        "WAIT_BUYER_RETURN_GOODS",  # 卖家已经同意退款，等待买家退货
        "WAIT_SELLER_CONFIRM_GOODS",  # 买家已经退货，等待卖家确认收货
    }
)
REFUND_DONE = frozenset({"SUCCESS"})  # 退款成功
#: no refund, or one refused or withdrawn: the line ships
REFUND_NONE = frozenset({"NO_REFUND", "SELLER_REFUSE_BUYER", "CLOSED"})

_BAN_SECONDS = re.compile(r"(\d+)\s*more\s*seconds?", re.IGNORECASE)


def param_str(value):
    """A TOP parameter value as sent and signed."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return to_shanghai_str(value)
    return str(value)


def sign(params, secret):
    """TOP md5 signature (:func:`~.base.md5_sign`) of the parameters as sent
    (:func:`param_str`), leaving out ``sign`` and values that are None or ''."""
    return md5_sign({key: param_str(value) for key, value in params.items() if value is not None}, secret)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _fen_to_yuan(fen):
    """Yuan string of an integer amount in fen (``-1386`` → ``"-13.86"``)."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


class TaobaoTopAdapter(PlatformAdapter):
    """Adapter for the Taobao/Tmall TOP API.

    ``app_key``, ``app_secret`` and ``access_token`` (the TOP session) are
    required. ``extra`` keys:

    * ``fields``: trade fields asked from ``taobao.trades.sold.increment.get``;
    * ``num_iid_by_sku``: {platform_sku: num_iid} sent with the stock
      updates (TOP needs the item id, 商品数字ID, 必填); SKUs not listed
      are looked up once by their outer id (``taobao.skus.custom.get``,
      then ``taobao.items.custom.get`` for items without SKUs);
    * ``max_pages``: safety limit per day window (default 10000).

    Windows longer than one day are split: TOP accepts at most one day per
    call.
    """

    kind = "taobao_top"
    label = "Taobao TOP"

    required_credentials = ("app_key", "app_secret", "access_token")
    max_window = timedelta(days=1)
    # trades come newest first: read from the last page back (the TOP
    # documentation: 必须采用倒序的分页方式才能避免漏单)
    page_backward = True
    orders_operation = TRADES_METHOD
    order_noun = ("a trade", "trades")

    def __init__(self, **config):
        super().__init__(**config)
        self.fields = self.extra.get("fields") or DEFAULT_TRADE_FIELDS
        # {outer id: the item parameters of its stock update, or None when
        # Taobao has no single item with it}; a configured num_iid goes with
        # the outer id (TOP then finds the SKU by its 商家编码)
        self._items = {
            str(k): {"num_iid": str(v), "outer_id": str(k)} for k, v in (self.extra.get("num_iid_by_sku") or {}).items()
        }

    # -- transport
    def _params(self, api_method, business):
        params = {
            "method": api_method,
            "app_key": self.app_key,
            "session": self.access_token,
            "timestamp": to_shanghai_str(datetime.now(timezone.utc)),
            "format": "json",
            "v": "2.0",
            "sign_method": "md5",
        }
        params.update(business)
        params = {key: param_str(value) for key, value in params.items() if value is not None and value != ""}
        params["sign"] = sign(params, self.app_secret)
        return params

    def _gateway_error(self, api_method, error):
        code = _int(error.get("code"))
        msg = str(error.get("msg") or "").strip()
        sub_code = str(error.get("sub_code") or "").strip()
        sub_msg = str(error.get("sub_msg") or "").strip()
        reason = sub_msg or msg or "unknown error"
        codes = f"code {error.get('code')}" + (f", {sub_code}" if sub_code else "")
        retry_after = None
        if code in AUTH_CODES:
            cls = PlatformAuthError
            text = f"was refused: {msg or reason} ({codes}); check the app key, app secret and session"
        elif code in RATE_LIMIT_CODES or any(word in sub_code.lower() for word in ("limit", "quota")):
            cls = PlatformRateLimitError
            text = f"was refused: call limit reached ({codes}): {reason}"
            ban = _BAN_SECONDS.search(sub_msg or msg)
            retry_after = float(ban.group(1)) if ban else None
        elif sub_code.startswith("isp."):
            cls = PlatformServerError
            text = f"failed on the platform side ({codes}): {reason}"
        else:
            cls = PlatformRejectedError
            text = f"was refused ({codes}): {reason}"
        self._raise(api_method, cls, text, reason, code, sub_code=sub_code, retry_after=retry_after)

    def _call(self, api_method, **business):
        return self._gateway_request(api_method, self._params(api_method, business))

    def _body(self, payload, api_method):
        key = api_method.removeprefix("taobao.").replace(".", "_") + "_response"
        return self._response_object(payload, api_method, key)

    # -- orders
    @staticmethod
    def map_trade(trade):
        """A TOP trade dict in the public order keys (not yet normalised)."""
        box = trade.get("orders") or {}
        items = box.get("order") if isinstance(box, dict) else box
        lines = []
        for item in items or []:
            if not isinstance(item, dict):
                lines.append(item)  # refused at staging (omni.order._prepare_staging_vals)
                continue
            sku = item.get("outer_sku_id") or item.get("outer_iid") or item.get("sku_id") or item.get("num_iid")
            line = {"platform_sku": sku, "quantity": item.get("num"), "unit_price": item.get("price", "0")}
            if str(item.get("refund_status") or "") in REFUND_DONE:
                # orders.payment: 子订单实付金额, what the buyer got back
                line.update(refund=LINE_REFUNDED, refund_amount=item.get("payment"))
            lines.append(line)
        # receiver_name, receiver_mobile, receiver_phone, receiver_address are
        # 加密 (masked text) on an order with an oaid (Open Addressee ID): the
        # plain receiver comes from taobao.top.oaid.decrypt by tid and oaid
        oaid = str(trade.get("oaid") or "").strip()
        phone = trade.get("receiver_mobile") or trade.get("receiver_phone")
        return {
            "platform_order_no": trade.get("tid"),
            "order_time": trade.get("created"),
            "buyer_nick": trade.get("buyer_nick"),
            "receiver_name": trade.get("receiver_name"),
            "phone": phone,
            "province": trade.get("receiver_state"),
            "city": trade.get("receiver_city"),
            "district": trade.get("receiver_district"),
            "address": trade.get("receiver_address"),
            "payment_method": "cod" if trade.get("type") == "cod" else "prepaid",
            "paid_amount": trade.get("payment", "0"),
            "shipping_fee": trade.get("post_fee") or "0",
            "buyer_note": trade.get("buyer_message"),
            "lines": lines,
            "receiver_id": oaid,
            "receiver_cipher": {
                "name": trade.get("receiver_name"),
                "phone": phone,
                "address": trade.get("receiver_address"),
            }
            if oaid
            else {},
        }

    map_order = map_trade

    def _order_state(self, item):
        """The trade status and its sub-orders' refund_status: a refund asked
        holds a paid trade (before shipping: 退款拦截; after: an after-sales
        matter), every line refunded cancels it, a line refunded alone leaves
        the rest to ship."""
        status = str(item.get("status") or "").strip()
        if status in CANCELLED_STATUSES:
            return CANCELLED, status
        if status in HOLD_STATUSES:
            return HOLD, status
        if status not in READY_STATUSES | SHIPPED_STATUSES:
            return (NOT_READY if status in NOT_READY_STATUSES else UNKNOWN), status or "?"
        box = item.get("orders") or {}
        lines = [
            line for line in ((box.get("order") if isinstance(box, dict) else box) or []) if isinstance(line, dict)
        ]
        refunds = [str(line.get("refund_status") or "NO_REFUND") for line in lines]
        unknown = sorted({r for r in refunds if r not in REFUND_REQUESTED | REFUND_DONE | REFUND_NONE})
        if unknown:
            return UNKNOWN, f"{status}, refund_status {', '.join(unknown)}"
        asked = sorted({r for r in refunds if r in REFUND_REQUESTED})
        if asked:
            return HOLD, f"{status}, refund_status {', '.join(asked)}"
        if refunds and all(r in REFUND_DONE for r in refunds):
            return CANCELLED, f"{status}, refund_status SUCCESS"
        if status in SHIPPED_STATUSES:
            return NOT_READY, status
        return READY, status

    def _fetch_counted_page(self, start, end, page, page_size):
        payload = self._call(
            TRADES_METHOD,
            fields=self.fields,
            start_modified=to_shanghai_str(start),
            end_modified=to_shanghai_str(end),
            page_no=page,
            page_size=page_size,
        )
        body = self._body(payload, TRADES_METHOD)
        box = body.get("trades") or {}
        trades = box.get("trade", []) if isinstance(box, dict) else None
        total = body.get("total_results", 0 if not trades else None)
        return self._counted(TRADES_METHOD, page, payload, trades, total, ("trade list", "total_results"))

    def _fetch_page(self, start, end, page, page_size):
        trades, total = self._fetch_counted_page(start, end, page, page_size)
        return trades, page * page_size < total

    # -- settlements
    settlements_operation = BILLS_METHOD

    def _bill_accounts(self):
        """{account_id: (name, type)} of the shop's fee accounts."""
        body = self._body(self._call(BILL_ACCOUNTS_METHOD, fields="account_id,account_name,account_type"),
                          BILL_ACCOUNTS_METHOD)  # fmt: skip
        box = body.get("accounts") or {}
        accounts = box.get("account", []) if isinstance(box, dict) else None
        if not isinstance(accounts, list):
            raise self._response_error(BILL_ACCOUNTS_METHOD, "returned no account list", body)
        return {
            str(account.get("account_id")): (str(account.get("account_name") or "").strip(),
                                             _int(account.get("account_type")))
            for account in accounts
            if isinstance(account, dict)
        }  # fmt: skip

    def _settlement_line(self, bill, accounts):
        """One bill in the public settlement shape: its account's name as the
        platform's words (an account the list does not name stays ``科目 <id>``:
        the fee-type table then waits for it), the amount in yuan from the
        shop's side."""
        account_id = str(bill.get("account_id") or "")
        name, account_type = accounts.get(account_id, ("", None))
        fen = _int(bill.get("amount"))
        if fen is None:
            raise self._response_error(BILLS_METHOD, "returned a bill without amount", bill)
        sign = 1 if account_type in BILL_MONEY_IN_TYPES else -1
        try:
            return public_settlement_line(
                {
                    "serial_no": bill.get("bid"),
                    "line_at": bill.get("pay_time") or bill.get("book_time") or bill.get("biz_time"),
                    "order_ref": bill.get("trade_id"),
                    "sub_order_ref": bill.get("order_id") if str(bill.get("order_id")) != str(bill.get("trade_id"))
                    else "",
                    "type_text": name or f"科目 {account_id}",
                    "amount": _fen_to_yuan(sign * fen),
                    "fee_amount": "0.00",
                },
                bill,
            )  # fmt: skip
        except ValueError as exc:
            raise self._response_error(BILLS_METHOD, f"returned an unusable bill: {exc}", bill) from exc

    def pull_settlements(self, since, until):
        """The shop's bills (taobao.bill.bills.get, by payment time) of
        [since, until), day window after day window (TOP's limit), page
        after page (``has_next``); a bill that comes in two windows is given
        once."""
        accounts = self._bill_accounts()
        page_size = min(max(self.page_size, BILL_PAGE_SIZES[0]), BILL_PAGE_SIZES[1])
        seen = set()
        for start, end in self._windows(since, until):
            page = 1
            while True:
                body = self._body(
                    self._call(
                        BILLS_METHOD,
                        fields=BILL_FIELDS,
                        start_time=to_shanghai_str(start),
                        end_time=to_shanghai_str(end),
                        time_type=2,  # 支付宝扣款时间 pay_time
                        page_no=page,
                        page_size=page_size,
                    ),
                    BILLS_METHOD,
                )
                box = body.get("bills") or {}
                bills = box.get("bill", []) if isinstance(box, dict) else None
                if not isinstance(bills, list):
                    raise self._response_error(BILLS_METHOD, f"returned no bill list (page {page})", body)
                for bill in bills:
                    if not isinstance(bill, dict):
                        raise self._response_error(BILLS_METHOD, f"returned a bill that is not an object (page {page})")
                    line = self._settlement_line(bill, accounts)
                    if line["serial_no"] not in seen:
                        seen.add(line["serial_no"])
                        yield line
                if not body.get("has_next"):
                    break
                if page >= self.max_pages:
                    raise self._response_error(BILLS_METHOD, f"still has more bills after {page} pages")
                page += 1

    # -- stock
    def _item_of(self, sku):
        """{"num_iid", "sku_id"} (or {"num_iid"} for an item without SKUs) of a
        merchant code, None when Taobao has
        no single item with it: first the SKUs (``taobao.skus.custom.get``),
        then the items without SKUs (``taobao.items.custom.get``)."""
        if sku not in self._items:
            body = self._body(self._call(SKUS_METHOD, fields="sku_id,num_iid,outer_id", outer_id=sku), SKUS_METHOD)
            box = body.get("skus") or {}
            found = {
                (("num_iid", str(s.get("num_iid"))), ("sku_id", str(s.get("sku_id"))))
                for s in (box.get("sku") if isinstance(box, dict) else box) or []
                if isinstance(s, dict) and str(s.get("outer_id")) == sku and s.get("num_iid") and s.get("sku_id")
            }
            if not found:
                body = self._body(self._call(ITEMS_METHOD, fields="num_iid,outer_id", outer_id=sku), ITEMS_METHOD)
                box = body.get("items") or {}
                found = {
                    (("num_iid", str(i.get("num_iid"))),)
                    for i in (box.get("item") if isinstance(box, dict) else box) or []
                    if isinstance(i, dict) and str(i.get("outer_id")) == sku and i.get("num_iid")
                }
            self._items[sku] = dict(found.pop()) if len(found) == 1 else None
        return self._items[sku]

    def _push_stock_one(self, sku, quantity):
        """One ``taobao.item.quantity.update`` (full update, type=1), with the
        item's ``num_iid`` (required) and the SKU's ``sku_id``."""
        item = self._item_of(sku)
        if item is None:
            return f"no single Taobao item or SKU with the outer id {sku}"
        self._body(self._call(STOCK_METHOD, **item, quantity=quantity, type=1), STOCK_METHOD)
        return None

    # -- receivers
    decrypt_batch_size = 20  # taobao.top.oaid.decrypt: 解密请求列表，最多支持20个

    def _decrypt_batch(self, batch):
        """One ``taobao.top.oaid.decrypt`` by (oaid, tid); the answer's
        ``receiver_list`` gives name, mobile/phone and address_detail."""
        query = [{"oaid": r["receiver_id"], "tid": r["platform_order_no"]} for r in batch if r.get("receiver_id")]
        results = {r["platform_order_no"]: {"error": "no oaid: nothing to decrypt"} for r in batch}
        if not query:
            return results
        body = self._body(self._call(DECRYPT_METHOD, query_list=jsonlib.dumps(query)), DECRYPT_METHOD)
        box = body.get("receiver_list") or {}
        receivers = box.get("receiver") if isinstance(box, dict) else box
        for receiver in receivers or []:
            if not isinstance(receiver, dict):
                continue
            number = str(receiver.get("tid") or "")
            if number not in results:
                continue
            results[number] = {
                "receiver_name": receiver.get("name") or "",
                "phone": receiver.get("mobile") or receiver.get("phone") or "",
                "address": receiver.get("address_detail") or "",
            }
        for number, answer in results.items():
            if answer.get("error") and any(q["tid"] == number for q in query):
                results[number] = {"error": "not returned by taobao.top.oaid.decrypt (oaid changed?)"}
        return results

    # -- shipments
    def push_shipment(self, platform_order_no, courier_code, tracking_no):
        payload = self._call(SHIPMENT_METHOD, tid=platform_order_no, out_sid=tracking_no, company_code=courier_code)
        shipping = self._body(payload, SHIPMENT_METHOD).get("shipping")
        if not isinstance(shipping, dict) or shipping.get("is_success") not in (True, "true"):
            raise self._response_error(
                SHIPMENT_METHOD,
                f"did not confirm the shipment of trade {platform_order_no}",
                payload,
                cls=PlatformRejectedError,
            )
