# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""JD open platform (京东开放平台 / JOS) adapter: POP shop orders, SKU stock,
shipments.

Every call POSTs a form to the router (``base_url``, normally
``https://api.jd.com/routerjson``) with the system parameters ``method,
app_key, access_token, timestamp`` (``yyyy-MM-dd HH:mm:ss``, GMT+8), ``v=2.0,
format=json, sign_method=md5``, the business parameters as one compact JSON
string ``360buy_param_json`` and ``sign`` (see :func:`sign`).

Answers: ``{"<method, dots as underscores>_responce": {...}}`` (JD's own
spelling) or ``{"error_response": {"code": "19", "zh_desc": ..., "en_desc":
...}}``; business results carry their own success flag inside the body.
"""

from datetime import datetime, timedelta, timezone

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
    UNKNOWN,
    compact_json,
    md5_sign,
    to_shanghai_str,
)

ORDERS_METHOD = "jingdong.pop.order.search"
SKU_METHOD = "jingdong.sku.read.searchSkuList"
STOCK_METHOD = "jingdong.stock.write.updateSkuStock"
SHIPMENT_METHOD = "jingdong.pop.order.shipment"
DECRYPT_METHOD = "jingdong.jos.order.oaid.decrypt"

#: order states asked by default: paid, waiting to leave the warehouse, and
#: the states an order waiting to ship moves to when it must not ship (a
#: refund locks it, it is paused or cancelled), so that a staged order is held
#: or cancelled
DEFAULT_ORDER_STATES = "WAIT_SELLER_STOCK_OUT,LOCKED,POP_ORDER_PAUSE,PAUSE,TRADE_CANCELED"
#: orderState of an order staged: 等待出库 (paid, waiting to ship)
READY_STATES = frozenset({"WAIT_SELLER_STOCK_OUT"})
#: the other order states of jingdong.pop.order.search: not staged
NOT_READY_STATES = frozenset(
    {
        "WAIT_SELLER_DELIVERY",  # 等待发货 (海外购: 境内发货)
        "WAIT_GOODS_RECEIVE_CONFIRM",  # 等待确认收货
        "FINISHED_L",  # 完成
        "WAIT_SEND_CODE",  # 等待发码
    }
)
#: a staged order is held (LOCKED: 已锁定, a refund asked; paused) or cancelled
HOLD_STATES = frozenset({"LOCKED", "POP_ORDER_PAUSE", "PAUSE"})
CANCELLED_STATES = frozenset({"TRADE_CANCELED"})  # 取消
OPTIONAL_FIELDS = (
    "orderId,orderState,orderStartTime,modified,payType,orderTotalPrice,orderPayment,freightPrice,"
    "orderRemark,pin,consigneeInfo,itemInfoList,oaid"
)
#: error_response codes: app key, signature, token problems
AUTH_CODES = frozenset({"12", "14", "15", "16", "17", "18", "19", "20"})
#: call limits
RATE_LIMIT_CODES = frozenset({"7", "87", "88"})
#: platform side failures
SERVER_CODES = frozenset({"1", "2", "66", "67"})
#: logiCoprId of common couriers (JD's own logistics company ids); a channel
#: adds or overrides them (extra ``courier_ids``), a numeric code goes as is
COURIER_IDS = {
    "SF": "467",
    "EMS": "465",
    "YTO": "463",
    "STO": "470",
    "ZTO": "1499",
    "YUNDA": "1327",
    "JD": "2087",
    "DBL": "3046",
}


def param_json(business):
    """The ``360buy_param_json`` value: compact JSON, keys sorted, UTF-8."""
    return compact_json(business, sort_keys=True)


#: JD md5 signature: TOP's (upper-case hex MD5 of ``secret + k1v1k2v2... +
#: secret`` over the parameters sorted by name, without ``sign`` and empty values)
sign = md5_sign


def _flag(value):
    return value is True or str(value).lower() == "true"


@register_adapter
class JdAdapter(PlatformAdapter):
    """JD POP shop. ``app_key``, ``app_secret`` and ``access_token`` are
    required. ``extra`` keys:

    * ``order_states``: ``order_state`` of the order search (comma list,
      default ``WAIT_SELLER_STOCK_OUT``);
    * ``courier_ids``: {courier code: JD logiCoprId} added to :data:`COURIER_IDS`;
    * ``sku_ids``: {merchant SKU code: JD skuId}; SKUs not listed are looked
      up once by their outer id (``jingdong.sku.read.searchSkuList``).

    Windows longer than :attr:`max_window` (28 days: never more than the
    documented one month) are split; pages hold at most 100 orders.
    """

    kind = "jd"
    label = "JD"

    required_credentials = ("app_key", "app_secret", "access_token")
    max_window = timedelta(days=28)
    max_page_size = 100
    orders_operation = ORDERS_METHOD

    def __init__(self, **config):
        super().__init__(**config)
        self.order_states = self.extra.get("order_states") or DEFAULT_ORDER_STATES
        self.courier_ids = {**COURIER_IDS, **self._extra_map("courier_ids", upper=True)}
        self.sku_ids = self._extra_map("sku_ids")

    # -- transport
    def _params(self, api_method, business):
        params = {
            "method": api_method,
            "app_key": self.app_key,
            "access_token": self.access_token,
            "timestamp": to_shanghai_str(datetime.now(timezone.utc)),
            "v": "2.0",
            "format": "json",
            "sign_method": "md5",
            "360buy_param_json": param_json(business),
        }
        params["sign"] = sign(params, self.app_secret)
        return params

    def _gateway_error(self, api_method, error):
        code = str(error.get("code", "")).strip()
        reason = str(error.get("zh_desc") or error.get("en_desc") or "unknown error").strip()
        if code in AUTH_CODES:
            cls, text = PlatformAuthError, "check the app key, app secret and access token"
        elif code in RATE_LIMIT_CODES:
            cls, text = PlatformRateLimitError, "call limit reached"
        elif code in SERVER_CODES:
            cls, text = PlatformServerError, "failed on the platform side"
        else:
            cls, text = PlatformRejectedError, "was refused"
        self._raise(api_method, cls, f"{text} (code {code}): {reason}", reason, code)

    def _call(self, api_method, business):
        payload = self._gateway_request(api_method, self._params(api_method, business))
        return self._response_object(payload, api_method, api_method.replace(".", "_") + "_responce")

    # -- orders
    @staticmethod
    def map_order(order):
        """A JD order (``orderInfoList`` item) in the public order keys."""
        consignee = order.get("consigneeInfo") or {}
        lines = []
        for item in order.get("itemInfoList") or []:
            if not isinstance(item, dict):
                lines.append(item)  # refused at staging (omni.order._prepare_staging_vals)
                continue
            lines.append(
                {
                    # the merchant's own SKU code (商家SKU编码), else JD's sku id
                    "platform_sku": item.get("outerSkuId") or item.get("skuId"),
                    "quantity": item.get("itemTotal"),
                    "unit_price": item.get("jdPrice", "0"),
                }
            )
        pay_type = str(order.get("payType") or "")
        # an order with an oaid has its consignee masked (fullname, mobile,
        # fullAddress): jingdong.jos.order.oaid.decrypt by orderId and oaid
        oaid = str(order.get("oaid") or "").strip()
        return {
            "platform_order_no": order.get("orderId"),
            "order_time": order.get("orderStartTime"),
            "buyer_nick": order.get("pin"),
            "receiver_name": consignee.get("fullname"),
            "phone": consignee.get("mobile") or consignee.get("telephone"),
            "province": consignee.get("province"),
            "city": consignee.get("city"),
            "district": consignee.get("county"),
            "address": consignee.get("fullAddress"),
            # payType "1-货到付款" is cash on delivery, "4-在线支付" online...
            "payment_method": "cod" if pay_type.split("-")[0] == "1" or "货到付款" in pay_type else "prepaid",
            # orderPayment: what the buyer pays (or the courier collects)
            "paid_amount": order.get("orderPayment", "0"),
            "shipping_fee": order.get("freightPrice") or "0",
            "buyer_note": order.get("orderRemark"),
            "lines": lines,
            "receiver_id": oaid,
            "receiver_cipher": {
                "name": consignee.get("fullname"),
                "phone": consignee.get("mobile") or consignee.get("telephone"),
                "address": consignee.get("fullAddress"),
            }
            if oaid
            else {},
        }

    def _order_state(self, item):
        state = str(item.get("orderState") or "").strip()
        if state in READY_STATES:
            return READY, state
        if state in HOLD_STATES:
            return HOLD, state
        if state in CANCELLED_STATES:
            return CANCELLED, state
        return (NOT_READY if state in NOT_READY_STATES else UNKNOWN), state or "?"

    def _fetch_page(self, start, end, page, page_size):
        body = self._call(
            ORDERS_METHOD,
            {
                "start_date": to_shanghai_str(start),
                "end_date": to_shanghai_str(end),
                "order_state": self.order_states,
                "optional_fields": OPTIONAL_FIELDS,
                "page": str(page),
                "page_size": str(page_size),
                "dateType": 0,  # by modification time
                "sortType": 0,  # oldest first
            },
        )
        result = body.get("searchorderinfo_result")
        if not isinstance(result, dict):
            raise self._response_error(ORDERS_METHOD, "returned no searchorderinfo_result", body)
        api_result = result.get("apiResult") or {}
        if not _flag(api_result.get("success", True)):
            reason = str(api_result.get("chineseErrCode") or api_result.get("englishErrCode") or "unknown error")
            self._raise(ORDERS_METHOD, PlatformRejectedError, f"was refused: {reason}", reason)
        orders = result.get("orderInfoList") or []
        names = ("order list", "orderTotal")
        orders, total = self._counted(ORDERS_METHOD, page, body, orders, result.get("orderTotal", 0), names)
        return orders, page * page_size < total

    # -- receivers
    decrypt_batch_size = 20

    def _decrypt_batch(self, batch):
        """One ``jingdong.jos.order.oaid.decrypt`` (``getReceiverInfoListReqVO``
        with ``orderInfos`` of orderId and oaid); the answer's ``returnType``
        carries ``code``, ``message`` and ``data``: customerName,
        consMobilePhone (else customerPhone) and address per orderId."""
        infos = [{"orderId": r["platform_order_no"], "oaid": r["receiver_id"]} for r in batch if r.get("receiver_id")]
        results = {r["platform_order_no"]: {"error": "no oaid: nothing to decrypt"} for r in batch}
        if not infos:
            return results
        body = self._call(DECRYPT_METHOD, {"getReceiverInfoListReqVO": {"orderType": "POP", "orderInfos": infos}})
        answer = body.get("returnType") or {}
        if str(answer.get("code")) not in ("0", "200"):
            reason = str(answer.get("message") or f"code {answer.get('code')}")
            self._raise(DECRYPT_METHOD, PlatformRejectedError, f"was refused: {reason}", reason, answer.get("code"))
        for info in infos:
            results[info["orderId"]] = {"error": "not returned by jingdong.jos.order.oaid.decrypt"}
        for item in answer.get("data") or []:
            number = str(item.get("orderId") or "")
            if number in results:
                results[number] = {
                    "receiver_name": item.get("customerName") or "",
                    "phone": item.get("consMobilePhone") or item.get("customerPhone") or "",
                    "address": item.get("address") or "",
                }
        return results

    # -- stock
    def _sku_id(self, sku):
        """JD skuId of a merchant SKU code (None when JD has none)."""
        if sku not in self.sku_ids:
            # parameter names of jingdong.sku.read.searchSkuList: outId (外部ID),
            # pageNo, page_size; the answer's SKUs carry outerId
            body = self._call(SKU_METHOD, {"outId": sku, "pageNo": 1, "page_size": 20, "field": "skuId,outerId"})
            found = [s for s in ((body.get("page") or {}).get("data") or []) if str(s.get("outerId")) == sku]
            self.sku_ids[sku] = str(found[0]["skuId"]) if len(found) == 1 else None
        return self.sku_ids[sku]

    def _push_stock_one(self, sku, quantity):
        """One ``jingdong.stock.write.updateSkuStock`` (full quantity)."""
        sku_id = self._sku_id(sku)
        if sku_id is None:
            return f"no JD SKU with the merchant code {sku}"
        body = self._call(STOCK_METHOD, {"skuId": int(sku_id), "stockNum": quantity})
        if not _flag(body.get("success")):
            self._raise(STOCK_METHOD, PlatformRejectedError, f"did not update {sku}", "stock not updated")
        return None

    # -- shipments
    def push_shipment(self, platform_order_no, courier_code, tracking_no):
        code = str(courier_code or "").strip()
        courier_id = code if code.isdigit() else self.courier_ids.get(code.upper())
        if not courier_id:
            self._raise(
                SHIPMENT_METHOD,
                PlatformRejectedError,
                f"has no JD logistics company id for courier {code!r} (order {platform_order_no})",
                f"unknown courier {code}",
            )
        body = self._call(
            SHIPMENT_METHOD, {"orderId": str(platform_order_no), "logiCoprId": courier_id, "logiNo": tracking_no}
        )
        result = body.get("sopjosshipment_result")
        if not isinstance(result, dict) or not _flag(result.get("success")):
            reason = str(
                (result or {}).get("chineseErrCode") or (result or {}).get("englishErrCode") or "not confirmed"
            )
            self._raise(
                SHIPMENT_METHOD,
                PlatformRejectedError,
                f"did not confirm the shipment of order {platform_order_no}: {reason}",
                reason,
            )
