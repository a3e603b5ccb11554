# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""SF Express open platform (顺丰丰桥) client (pure Python).

Every call POSTs a form to one URL (``base_url``, normally
``https://bspgw.sf-express.com/std/service``; sandbox
``https://sfapi-sbox.sf-express.com/std/service``): ``partnerID`` (顾客编码),
``requestID`` (a UUID), ``serviceCode``, ``timestamp`` (Unix seconds),
``msgData`` (the business JSON) and ``msgDigest`` (see :func:`msg_digest`).
The answer is ``{"apiResultCode": "A1000", "apiErrorMsg", "apiResponseID",
"apiResultData": "<JSON text>"}``; ``apiResultData`` holds ``success``,
``errorCode``, ``errorMsg`` and ``msgData``.

* ``EXP_RECE_CREATE_ORDER``: one order (our request key as ``orderId``, never
  reused) per call: the waybill number (``waybillNoInfoList``; a mother and
  children when ``parcelQty`` > 1) and the routing label data
  (``routeLabelInfo[].routeLabelData``: ``destRouteLabel``,
  ``twoDimensionCode``, ``codingMapping``, ``proCode``…); ``filterResult`` 3
  means the address is not served (``remark`` says why). A second call with
  the same ``orderId`` is refused (8016 重复下单): the number is then read
  with ``EXP_RECE_SEARCH_ORDER_RESP`` (the retry after a timeout finds the
  number issued, never takes another);
* ``COM_RECE_CLOUD_PRINT_WAYBILLS`` (云打印面单 2.0): the labels as PDF, at most
  :data:`PRINT_LIMIT` numbers per call; each file is downloaded from its
  ``url`` with its ``token`` (``X-Auth-token`` header);
* ``EXP_RECE_UPDATE_ORDER`` with ``dealType`` 2: cancels the order (its number
  is not reused).
"""

import base64
import hashlib
import json
import time
import uuid
from urllib.parse import quote_plus

from odoo.addons.omni_platform.platforms import (
    HttpClient,
    PlatformAuthError,
    PlatformError,
    PlatformRateLimitError,
    PlatformRejectedError,
    PlatformResponseError,
    PlatformServerError,
)
from odoo.addons.omni_platform.platforms.base import redact

CREATE_SERVICE = "EXP_RECE_CREATE_ORDER"
SEARCH_SERVICE = "EXP_RECE_SEARCH_ORDER_RESP"
UPDATE_SERVICE = "EXP_RECE_UPDATE_ORDER"
PRINT_SERVICE = "COM_RECE_CLOUD_PRINT_WAYBILLS"
#: one order per EXP_RECE_CREATE_ORDER call
BATCH_LIMIT = 1
#: documents per COM_RECE_CLOUD_PRINT_WAYBILLS call (一批不要超过20个运单)
PRINT_LIMIT = 20
#: apiResultCode: A1000 success; A1006 bad digest, A1004 no right to the
#: service, A1003 IP not allowed; A1005 flow control; A1009 / A1099 SF side
AUTH_CODES = frozenset({"A1003", "A1004", "A1006"})
RATE_CODES = frozenset({"A1005"})
SERVER_CODES = frozenset({"A1009", "A1099"})
#: errorCode of a repeated orderId (重复下单) and of an unknown order
DUPLICATE_ORDER = "8016"
ORDER_NOT_FOUND = frozenset({"8018", "6150"})
#: routeLabelData fields kept for the label (路由标签)
ROUTING_KEYS = (
    "destRouteLabel",
    "twoDimensionCode",
    "codingMapping",
    "codingMappingOut",
    "proCode",
    "destTeamCode",
    "sourceTransferCode",
    "destTransferCode",
    "printIcon",
    "abFlag",
)
#: filterResult: 1 人工确认, 2 可收派, 3 不可以收派
NOT_SERVED = "3"


def msg_digest(msg_data, timestamp, check_word):
    """``msgDigest``: base64 of the MD5 of the URL-encoded (UTF-8, ``+`` for
    spaces) ``msgData + timestamp + checkword``."""
    text = quote_plus(f"{msg_data}{timestamp}{check_word}", encoding="utf-8")
    return base64.b64encode(hashlib.md5(text.encode(), usedforsecurity=False).digest()).decode()


def chunks(items, size):
    return [items[i : i + size] for i in range(0, len(items), size)]


def _contact(contact_type, values):
    return {
        "contactType": contact_type,
        "contact": values.get("name") or "",
        "mobile": values.get("mobile") or "",
        "tel": values.get("phone") or values.get("mobile") or "",
        "country": "CN",
        "province": values.get("province") or "",
        "city": values.get("city") or "",
        "county": values.get("district") or "",
        "address": "".join(filter(None, [values.get("town"), values.get("address")])),
    }


class SfExpressClient:
    """SF Express open platform of one customer code (``partner_id``) and
    check word. ``monthly_card`` (月结卡号) and ``express_type`` (快件产品类别,
    1 顺丰特快, 2 顺丰标快…) as agreed with SF; ``template_code`` the cloud
    print template (``fm_76130_standard_{partnerID}``)."""

    label = "SF Express"
    batch_limit = BATCH_LIMIT
    print_limit = PRINT_LIMIT

    def __init__(
        self,
        *,
        base_url,
        partner_id,
        check_word,
        sender,
        monthly_card="",
        express_type=2,
        template_code="",
        timeout=(5, 30),
        retries=3,
        sleep=time.sleep,
        session=None,
    ):
        if not (base_url and partner_id and check_word):
            raise ValueError(f"{self.label}: base_url, partner_id and check_word are required")
        self.base_url = base_url
        self.partner_id = partner_id
        self.check_word = check_word
        self.sender = dict(sender or {})
        self.monthly_card = monthly_card or ""
        self.express_type = int(express_type or 2)
        self.template_code = template_code or f"fm_76130_standard_{partner_id}"
        self.http = HttpClient(
            name=self.label, timeout=timeout, retries=retries, sleep=sleep, session=session, secrets=(check_word,)
        )

    def close(self):
        self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    # -- transport
    def _error(self, cls, service, text, reason, code=None):
        exc = cls(
            redact(f"{self.label}: {service} {text}", self.http.secrets),
            detail=redact(reason, self.http.secrets)[:500],
            platform=self.label,
            operation=service,
        )
        exc.code = code
        return exc

    def _check(self, service):
        def check(payload):
            code = str(payload.get("apiResultCode") or "")
            if code == "A1000":
                return
            reason = str(payload.get("apiErrorMsg") or code or "no apiResultCode")
            if code in AUTH_CODES:
                cls, text = PlatformAuthError, "check the customer code and check word"
            elif code in RATE_CODES:
                cls, text = PlatformRateLimitError, "call limit reached"
            elif code in SERVER_CODES:
                cls, text = PlatformServerError, "failed on SF's side"
            else:
                cls, text = PlatformRejectedError, "was refused"
            raise self._error(cls, service, f"{text} ({code}): {reason}", reason, code)

        return check

    def call(self, service, msg_data):
        """The ``apiResultData`` object of one call; ``success`` false raises
        :class:`PlatformRejectedError` with SF's ``errorCode`` as ``code``."""
        text = json.dumps(msg_data, ensure_ascii=False, separators=(",", ":"))
        timestamp = str(int(time.time()))
        form = {
            "partnerID": self.partner_id,
            "requestID": str(uuid.uuid4()),
            "serviceCode": service,
            "timestamp": timestamp,
            "msgData": text,
            "msgDigest": msg_digest(text, timestamp, self.check_word),
        }
        payload = self.http.request("POST", self.base_url, data=form, operation=service, check=self._check(service))
        raw = payload.get("apiResultData")
        try:
            result = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            result = None
        if not isinstance(result, dict):
            raise self._error(PlatformResponseError, service, "returned no apiResultData object", str(raw))
        if result.get("success") is False or (result.get("errorCode") not in (None, "", "S0000")):
            code = str(result.get("errorCode") or "")
            reason = str(result.get("errorMsg") or code or "refused")
            raise self._error(PlatformRejectedError, service, f"was refused ({code}): {reason}", reason, code)
        return result

    # -- numbers
    def _order(self, parcel):
        items = [
            {"name": item["name"], "count": float(item["count"]), "unit": item.get("unit") or "件"}
            for item in parcel.get("items") or []
        ]
        order = {
            "language": "zh-CN",
            "orderId": parcel["key"],
            "cargoDetails": items or [{"name": "-", "count": 1, "unit": "件"}],
            "contactInfoList": [_contact(1, self.sender), _contact(2, parcel["receiver"])],
            "payMethod": 1,
            "expressTypeId": self.express_type,
            "parcelQty": int(parcel.get("parcel_count") or 1),
            "isReturnRoutelabel": 1,
            "custReferenceNo": str(parcel.get("order_no") or ""),
        }
        if self.monthly_card:
            order["monthlyCard"] = self.monthly_card
        if parcel.get("weight_g"):
            order["totalWeight"] = round(int(parcel["weight_g"]) / 1000, 3)
        if parcel.get("order_source"):
            order["orderSource"] = parcel["order_source"]
        return order

    @staticmethod
    def _numbers(msg):
        """(mother number, child numbers) of a create/search answer."""
        mother, children = "", []
        for info in msg.get("waybillNoInfoList") or []:
            kind = str(info.get("waybillType") or "1")
            if kind == "1" and not mother:
                mother = str(info.get("waybillNo") or "")
            elif kind == "2":
                children.append(str(info.get("waybillNo")))
        return mother, children

    @staticmethod
    def _routing(msg, number):
        for info in msg.get("routeLabelInfo") or []:
            data = info.get("routeLabelData") or {}
            for label in data if isinstance(data, list) else [data]:
                if not label.get("waybillNo") or str(label.get("waybillNo")) == number:
                    return {key: label[key] for key in ROUTING_KEYS if label.get(key) not in (None, "")}
        return {}

    def _result(self, parcel, msg):
        if str(msg.get("filterResult") or "") == NOT_SERVED:
            return self._failed(parcel, f"不可以收派: {msg.get('remark') or ''}".strip(), "filterResult 3")
        number, children = self._numbers(msg)
        if not number:
            return self._failed(parcel, "no waybill number in the answer")
        routing = self._routing(msg, number)
        routing.update({"originCode": msg.get("originCode") or "", "destCode": msg.get("destCode") or ""})
        return {"key": parcel["key"], "tracking_number": number, "child_tracking_numbers": children,
                "print_data": {"routing": routing}, "routing": routing, "error": None, "code": None}  # fmt: skip

    @staticmethod
    def _failed(parcel, reason, code=None):
        return {"key": parcel["key"], "tracking_number": "", "print_data": {}, "routing": {}, "error": reason,
                "code": code}  # fmt: skip

    def search(self, key):
        """The create answer (``msgData``) of the order ``key``, or None when
        SF does not know it."""
        try:
            result = self.call(SEARCH_SERVICE, {"orderId": key, "searchType": "1", "language": "zh-CN"})
        except PlatformRejectedError as exc:
            if exc.code in ORDER_NOT_FOUND:
                return None
            raise
        return result.get("msgData") or None

    def find_waybill(self, key):
        """The number already issued for the request key ``key``, or None."""
        msg = self.search(key)
        return self._numbers(msg)[0] or None if msg else None

    def _create(self, parcel):
        try:
            msg = self.call(CREATE_SERVICE, self._order(parcel)).get("msgData") or {}
        except PlatformRejectedError as exc:
            if exc.code != DUPLICATE_ORDER:
                return self._failed(parcel, exc.detail or exc.message, exc.code)
            # this orderId was sent before (a timeout after SF issued it):
            # the number issued then, never a second one
            msg = self.search(parcel["key"])
            if not msg:
                return self._failed(parcel, exc.detail or exc.message, exc.code)
        return self._result(parcel, msg)

    def request_waybills(self, parcels, with_labels=True):
        """Numbers, routing codes and (``with_labels``) PDF labels of
        ``parcels``: one create call per parcel, one print call per
        :attr:`print_limit` numbers. The label is in ``label_pdf`` (bytes)."""
        results = [self._create(parcel) for parcel in parcels]
        if with_labels:
            self.attach_labels([r for r in results if r["tracking_number"]])
        return results

    # -- labels
    def labels(self, numbers):
        """{number: PDF bytes} of ``numbers`` (cloud print 2.0, synchronous)."""
        found = {}
        for batch in chunks(list(numbers), self.print_limit):
            result = self.call(
                PRINT_SERVICE,
                {"templateCode": self.template_code, "version": "2.0", "fileType": "pdf", "sync": True,
                 "documents": [{"masterWaybillNo": number} for number in batch]},
            )  # fmt: skip
            obj = result.get("obj") or (result.get("msgData") or {}).get("obj") or {}
            for file in obj.get("files") or []:
                number = str(file.get("waybillNo") or "")
                if number in batch and file.get("url"):
                    found[number] = self._download(file["url"], file.get("token") or "")
        return found

    def _download(self, url, token):
        response = self.http.session.get(url, headers={"X-Auth-token": token}, timeout=self.http.timeout)
        if response.status_code != 200 or not response.content.startswith(b"%PDF"):
            raise self._error(
                PlatformResponseError, PRINT_SERVICE, f"label download failed (HTTP {response.status_code})", url
            )
        return response.content

    def attach_labels(self, results):
        pdfs = self.labels([r["tracking_number"] for r in results])
        for result in results:
            pdf = pdfs.get(result["tracking_number"])
            if pdf:
                result["label_pdf"] = pdf
            else:
                result["print_error"] = "no label in the cloud print answer"

    # -- cancel
    def cancel(self, tracking_number, key):
        """Cancel the order ``key`` (the request key sent as ``orderId``) of
        ``tracking_number``. Raises PlatformError when SF refuses."""
        result = self.call(
            UPDATE_SERVICE,
            {"orderId": key, "dealType": 2, "waybillNoInfoList": [{"waybillType": 1, "waybillNo": tracking_number}]},
        )
        if str((result.get("msgData") or {}).get("resStatus")) != "2":
            raise self._error(
                PlatformRejectedError, UPDATE_SERVICE, f"did not cancel {tracking_number}", "resStatus is not 2"
            )
        return True


__all__ = ["BATCH_LIMIT", "PRINT_LIMIT", "PlatformError", "SfExpressClient", "msg_digest"]
