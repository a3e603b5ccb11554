# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Generic JSON REST protocol, for a platform bridge or an in-house web shop.

Every call carries ``Authorization: Bearer <access_token>``. HTTP 401/403
means bad credentials; any answer may instead be
``{"error": {"code": ..., "message": ...}}``.

``GET {base_url}/orders?updated_from=ISO&updated_to=ISO&page=N&page_size=M``
    Orders updated in [updated_from, updated_to) (ISO 8601 with offset, UTC),
    pages numbered from 1. Answer: ``{"orders": [...], "page": N,
    "has_more": bool}``; each order uses the public order keys (see
    ``base``); ``order_time`` is ``YYYY-MM-DD HH:MM:SS`` in China time or
    ISO 8601 with an offset; ``payment_method`` is ``prepaid``/``cod`` or
    ``在线支付``/``货到付款`` (missing: prepaid).

``POST {base_url}/stock`` ``{"items": [{"sku": ..., "quantity": ...}]}``
    At most ``stock_batch_size`` (50) items a call. Answer: ``{"results":
    [{"sku": ..., "ok": true} | {"sku": ..., "ok": false, "error": "..."}]}``.

``POST {base_url}/shipments`` ``{"order_no": ..., "courier": ...,
"tracking_no": ...}``
    Answer ``{"ok": true}``; ``{"ok": false, "error": "..."}`` is a refusal.
"""

import json as jsonlib

from .base import (
    PlatformAdapter,
    PlatformRejectedError,
    redact,
)


class GenericRestAdapter(PlatformAdapter):
    """Adapter for the generic JSON REST protocol (module docstring).

    ``extra`` keys: ``stock_batch_size`` (default 50), ``max_pages``
    (default 10000, protects against a server that never says has_more=false).
    """

    kind = "generic_rest"
    label = "Generic REST"

    stock_batch_size = 50
    orders_operation = "GET /orders"

    # -- transport
    def _headers(self):
        headers = {}
        if self.access_token:
            headers["Authorization"] = f"Bearer {self.access_token}"
        return headers

    def _check(self, operation, subject=""):
        def check(payload):
            error = payload.get("error")
            if error:
                if isinstance(error, dict):
                    text = error.get("message") or error.get("code") or "unknown error"
                    code = error.get("code")
                else:
                    text, code = str(error), None
                suffix = f" (code {code})" if code not in (None, "") else ""
                exc = self._response_error(
                    operation, f"was refused{subject}: {text}{suffix}", payload, cls=PlatformRejectedError
                )
                exc.detail = redact(text, self.http.secrets)
                raise exc

        return check

    def _call(self, method, path, *, params=None, json=None, subject=""):
        operation = f"{method} /{path}"
        return self.http.request(
            method,
            f"{self.base_url}/{path}",
            params=params,
            json=json,
            headers=self._headers(),
            operation=operation,
            check=self._check(operation, subject),
        )

    # -- orders
    @staticmethod
    def _iso(value):
        return value.isoformat(timespec="seconds")

    def _fetch_page(self, since_utc, until_utc, page, page_size):
        operation = "GET /orders"
        payload = self._call(
            "GET",
            "orders",
            params={
                "updated_from": self._iso(since_utc),
                "updated_to": self._iso(until_utc),
                "page": page,
                "page_size": page_size,
            },
        )
        orders = payload.get("orders")
        has_more = payload.get("has_more", False)
        if not isinstance(orders, list) or not isinstance(has_more, bool):
            raise self._response_error(
                operation, f"returned no 'orders' list or no boolean 'has_more' (page {page})", payload
            )
        return orders, has_more

    # -- stock
    def _refusal_reason(self, exc):
        """The platform's own words for a refusal, else the message."""
        try:
            error = jsonlib.loads(exc.detail).get("error")
        except (ValueError, AttributeError):
            return exc.detail or exc.message
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
        return exc.detail or exc.message

    def _push_stock_batch(self, batch):
        payload = self._call("POST", "stock", json={"items": [{"sku": s, "quantity": q} for s, q in batch]})
        answers = payload.get("results")
        if not isinstance(answers, list):
            raise self._response_error("POST /stock", "returned no 'results' list", payload)
        by_sku = {}
        for answer in answers:
            if isinstance(answer, dict) and "sku" in answer:
                by_sku[str(answer["sku"])] = answer
        results = {}
        for sku, _qty in batch:
            answer = by_sku.get(str(sku))
            if answer is None:
                results[sku] = "no result returned by the platform for this SKU"
            elif answer.get("ok") is True:
                results[sku] = None
            else:
                results[sku] = str(answer.get("error") or "refused by the platform")
        return results

    # -- shipments
    def push_shipment(self, platform_order_no, courier_code, tracking_no):
        payload = self._call(
            "POST",
            "shipments",
            json={"order_no": platform_order_no, "courier": courier_code, "tracking_no": tracking_no},
            subject=f" for order {platform_order_no}",
        )
        if payload.get("ok") is not True:
            reason = payload.get("error") or "no 'ok': true in the answer"
            raise self._response_error(
                "POST /shipments",
                f"was refused for order {platform_order_no}: {reason}",
                payload,
                cls=PlatformRejectedError,
            )
