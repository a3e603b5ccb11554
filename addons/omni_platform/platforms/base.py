# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The abstract platform adapter (:class:`PlatformAdapter`): pull orders,
push stock, push shipments, decrypt receivers, pull settlements.

What it yields is described in :mod:`.shape`; its errors are those of
:mod:`.errors`, its HTTP goes through :mod:`.transport`. The names the
addons imported from here before the split still come from here.

No Odoo import here: the package is usable (and tested) without a database.
"""

import abc
import datetime as dt
import json as jsonlib
import time

# the error family lives in .errors; every class of it is still importable
# from here, as before the split (integrators' code imports them from base)
from .errors import (  # noqa: F401
    PlatformAuthError,
    PlatformConnectionError,
    PlatformError,
    PlatformNotSupportedError,
    PlatformRateLimitError,
    PlatformRejectedError,
    PlatformResponseError,
    PlatformServerError,
    PlatformTimeout,
)
from .shape import (  # noqa: F401
    CANCELLED,
    HOLD,
    LINE_REFUNDED,
    NOT_READY,
    ORDER_TEXT_KEYS,
    READY,
    RECEIVER_KEYS,
    SHANGHAI,
    TIME_FORMAT,
    UNKNOWN,
    check_window,
    public_order,
    public_settlement_line,
    to_shanghai_str,
    to_utc,
)
from .transport import DETAIL_MAX, HttpClient, compact_json, md5_sign, redact  # noqa: F401

_SKIP = "__skipped__"


class PlatformAdapter(abc.ABC):
    """One sales platform's API: pull orders, push stock, push shipments.

    Subclasses keep every platform-specific rule (URLs, signing, field names,
    error codes); callers only see this interface and :class:`PlatformError`.
    Nothing here handles overlap of pull windows: that is the caller's.
    """

    #: registry key (see ``platforms.ADAPTERS``)
    kind = None
    #: name used in messages and logs
    label = "Platform"
    #: pages read per window at most (``extra`` key ``max_pages``): protects
    #: against a server that always says there is more
    max_pages = 10000
    #: configuration the platform cannot work without (checked at creation)
    required_credentials = ()
    #: the platform's largest page (a larger ``page_size`` is capped), or None
    max_page_size = None
    #: the platform's longest order window (longer ones are split), or None
    max_window = None
    #: True when the platform documents that only paging from the last page
    #: back to the first misses nothing (:meth:`_iter_pages_backward`)
    page_backward = False
    #: the order search call (in messages), and how one order and many are named
    orders_operation = "orders"
    order_noun = ("an order", "orders")
    #: SKUs sent in one stock call (:meth:`_push_stock_batch`)
    stock_batch_size = 1
    #: orders whose receiver is decrypted in one call (:meth:`_decrypt_batch`)
    decrypt_batch_size = 20

    def __init__(
        self,
        *,
        base_url,
        app_key=None,
        app_secret=None,
        access_token=None,
        page_size=100,
        timeout=(5, 30),
        retries=3,
        sleep=time.sleep,
        session=None,
        extra=None,
    ):
        if not base_url:
            raise ValueError(f"{self.label}: base_url is required")
        if int(page_size) < 1:
            raise ValueError(f"{self.label}: page_size must be 1 or more")
        self.base_url = base_url.rstrip("/")
        self.app_key = app_key
        self.app_secret = app_secret
        self.access_token = access_token
        missing = [name for name in self.required_credentials if not getattr(self, name)]
        if missing:
            raise ValueError(f"{self.label}: {', '.join(missing)} required")
        self.page_size = int(page_size)
        if self.max_page_size:
            self.page_size = min(self.page_size, self.max_page_size)
        self.extra = dict(extra or {})
        self.max_pages = int(self.extra.get("max_pages", self.max_pages))
        self.stock_batch_size = int(self.extra.get("stock_batch_size", self.stock_batch_size))
        self.http = HttpClient(
            name=self.label,
            timeout=timeout,
            retries=retries,
            sleep=sleep,
            session=session,
            secrets=(app_secret, access_token),
        )
        #: orders of the last pull that were not yielded (see the module doc)
        self.skipped = []
        #: end of the last window of the current pull read in full (aware UTC)
        self.pulled_until = None

    def __repr__(self):
        return f"<{type(self).__name__} {self.base_url}>"

    def close(self):
        self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    # -- helpers for subclasses
    def _extra_map(self, key, upper=False):
        """{text: text} of a mapping of ``extra`` (codes in upper case when
        ``upper``): the channel's courier codes, SKU ids..."""
        return {(str(k).upper() if upper else str(k)): str(v) for k, v in (self.extra.get(key) or {}).items()}

    def _windows(self, since, until):
        """(start, end) of [since, until) in aware UTC, cut into windows of at
        most :attr:`max_window`; nothing for an empty window."""
        start, until_utc = check_window(since, until)
        while start < until_utc:
            end = min(start + self.max_window, until_utc) if self.max_window else until_utc
            yield start, end
            start = end

    def _response_error(self, operation, text, payload=None, cls=PlatformResponseError, **kw):
        detail = ""
        if payload is not None:
            detail = jsonlib.dumps(payload, ensure_ascii=False, default=str)[:DETAIL_MAX]
        message = redact(f"{self.label}: {operation} {text}", self.http.secrets)
        return cls(
            message,
            detail=redact(detail, self.http.secrets),
            platform=self.label,
            operation=operation,
            **kw,
        )

    def _raise(self, operation, cls, text, reason, code=None, **codes):
        """Raise the ``cls`` error of a call the platform refused in its own
        words: ``text`` in the message, its ``reason`` as the detail (secrets
        redacted), its ``code`` and any other ``codes`` (``sub_code``,
        ``retry_after``...) as attributes."""
        exc = self._response_error(operation, text, cls=cls)
        exc.detail = redact(reason, self.http.secrets)
        exc.code = code
        for name, value in codes.items():
            setattr(exc, name, value)
        raise exc

    def _response_object(self, payload, operation, key):
        """The ``key`` object of an answer; an answer without it is unusable."""
        body = payload.get(key)
        if not isinstance(body, dict):
            raise self._response_error(operation, f"returned no '{key}' object", payload)
        return body

    def _counted(self, operation, page, payload, items, total, names):
        """(``items``, ``total`` as a number) of one page of a platform that
        counts the items of a window; an answer whose items are not a list or
        whose total is no number is unusable (``names``: how the answer
        calls them, for the message)."""
        try:
            total = int(total)
        except (TypeError, ValueError):
            total = None
        if not isinstance(items, list) or total is None:
            raise self._response_error(operation, f"returned no {names[0]} or no {names[1]} (page {page})", payload)
        return items, total

    # -- gateways made like Taobao's TOP (Taobao, JD, Pinduoduo): one router
    #    URL, a signed form, a refused call answered with ``error_response``
    def _gateway_request(self, operation, params):
        """POST the signed form ``params`` of ``operation`` to the router
        (:attr:`base_url`) and return the answer; an answer with an
        ``error_response`` raises what :meth:`_gateway_error` makes of it."""

        def check(payload):
            error = payload.get("error_response")
            if error is None:
                return
            if not isinstance(error, dict):
                raise self._response_error(operation, "returned an unreadable error_response", payload)
            self._gateway_error(operation, error)

        return self.http.request("POST", self.base_url, data=params, operation=operation, check=check)

    def _gateway_error(self, operation, error):
        """Raise the error of the gateway's ``error_response`` dict, its codes
        read the platform's way."""
        raise NotImplementedError

    def _public(self, order, raw, operation):
        try:
            return public_order(order, raw)
        except ValueError as exc:
            raise self._response_error(operation, f"returned an unusable order: {exc}", raw) from exc

    def _dedup(self, orders):
        """Keep one order per platform_order_no: the last version seen, at the
        place of the first. Reads the whole iterable first; the orders left
        out for their status go to :attr:`skipped`."""
        seen = {}
        try:
            for order in orders:
                seen[order["platform_order_no"]] = order
        except PlatformError as exc:
            # a pull that fails midway (token expired, call limit...) keeps
            # what it read: the caller stages it and the next pull resumes at
            # the end of the last window read in full (``pulled_until``)
            exc.partial_orders = [order for order in seen.values() if _SKIP not in order]
            exc.pulled_until = self.pulled_until
            raise
        finally:
            self.skipped = [
                {"platform_order_no": number, **order[_SKIP]} for number, order in seen.items() if _SKIP in order
            ]
        yield from (order for order in seen.values() if _SKIP not in order)

    def _page_items(self, items, page, operation, noun, to_public):
        """The public orders of one page's items; an order that is not
        paid and waiting to ship comes as a marker for :meth:`_dedup`."""
        for item in items:
            if not isinstance(item, dict):
                raise self._response_error(operation, f"returned {noun[0]} that is not an object (page {page})")
            state, status = self._order_state(item)
            if state != READY:
                number = str(to_public(item).get("platform_order_no") or "").strip()
                if not number:
                    raise self._response_error(operation, "returned an order without number", item)
                marker = {"status": status, "unknown": state == UNKNOWN, "state": state}
                if state == UNKNOWN:
                    # never guessed, but kept for a person to look at (the
                    # caller stages it in its exception queue)
                    marker["order"] = public_order(to_public(item), item)
                yield {"platform_order_no": number, _SKIP: marker}
                continue
            yield self._public(to_public(item), item, operation)

    def _iter_pages(self, start, end, operation, noun, to_public):
        """Public orders of the window [start, end), page after page
        (:meth:`_fetch_page`), up to :attr:`max_pages`. ``noun`` names one
        item and many (``("an order", "orders")``) in messages;
        ``to_public(item)`` gives the item in the public order keys."""
        page = 1
        while True:
            items, has_more = self._fetch_page(start, end, page, self.page_size)
            yield from self._page_items(items, page, operation, noun, to_public)
            if not has_more:
                return
            if page >= self.max_pages:
                raise self._response_error(operation, f"still has more {noun[1]} after {page} pages")
            page += 1

    def _iter_pages_backward(self, start, end, operation, noun, to_public):
        """As :meth:`_iter_pages`, for platforms that list the newest changes
        first and document that only paging from the last page back to the
        first misses nothing (Taobao, Pinduoduo): a first call
        (:meth:`_fetch_counted_page`) gives the total, then the pages are
        read from the last to the first. An order changed meanwhile moves to
        the front, onto a page still to be read (at worst it comes twice)."""
        items, total = self._fetch_counted_page(start, end, 1, self.page_size)
        last = max(1, -(-total // self.page_size))
        if last > self.max_pages:
            raise self._response_error(operation, f"has {total} {noun[1]}: more than {self.max_pages} pages")
        yield from self._page_items(items, 1, operation, noun, to_public)
        if last == 1:
            return
        for page in range(last, 0, -1):
            items, _total = self._fetch_counted_page(start, end, page, self.page_size)
            yield from self._page_items(items, page, operation, noun, to_public)

    @staticmethod
    def _stock_quantity(sku, quantity):
        if isinstance(quantity, bool):
            raise ValueError(f"stock quantity of {sku}: number expected")
        return max(0, int(quantity))

    # -- what each platform provides
    def _order_state(self, item):
        """(:data:`READY`, :data:`NOT_READY` or :data:`UNKNOWN`, the status as
        the platform names it) of one order as the platform gives it. By
        default every order is ready (a platform without order status)."""
        return READY, ""

    def _fetch_counted_page(self, start, end, page, page_size):
        """(items, total number of items of the window) of one page, for
        :meth:`_iter_pages_backward`."""
        raise NotImplementedError

    @abc.abstractmethod
    def _fetch_page(self, start, end, page, page_size):
        """(orders or trades as the platform gives them, whether more pages
        follow) of one page of the window [start, end) (aware UTC)."""

    def map_order(self, item):
        """One order as the platform gives it in the public order keys
        (values not normalised: see the module doc). By default the platform
        uses the public keys."""
        return item

    def _iter_orders(self, since, until):
        """Public orders of [since, until), window after window
        (:meth:`_windows`), page after page (backwards where the platform
        says so); the same order may come more than once."""
        pages = self._iter_pages_backward if self.page_backward else self._iter_pages
        self.pulled_until = None
        for start, end in self._windows(since, until):
            yield from pages(start, end, self.orders_operation, self.order_noun, self.map_order)
            self.pulled_until = end

    # -- the interface
    def pull_orders(self, since, until):
        """Yield the orders updated in [since, until), across all pages, in
        the public order shape, one per platform_order_no (the last version
        seen). Nothing is sent until iterated; all pages are read before the
        first order is yielded. Raises PlatformError; when it fails midway the
        error carries ``partial_orders`` (the orders read so far) and
        ``pulled_until`` (the end of the last window read in full, or None)."""
        return self._dedup(self._iter_orders(since, until))

    def push_stock(self, quantities):
        """Send {platform_sku: quantity}, :attr:`stock_batch_size` SKUs a call
        (:meth:`_push_stock_batch`); return {platform_sku: None or the
        platform's error message}. A call the platform refuses
        (:class:`PlatformRejectedError`) is that reason for each SKU of its
        batch; transport failures, auth errors, rate limits and unreadable
        answers raise PlatformError with ``partial_results``: the SKUs done
        before it."""
        items = [(sku, self._stock_quantity(sku, quantity)) for sku, quantity in quantities.items()]
        results = {}
        for start in range(0, len(items), self.stock_batch_size):
            batch = items[start : start + self.stock_batch_size]
            try:
                answers = self._push_stock_batch(batch)
            except PlatformError as exc:
                if exc.retryable or not isinstance(exc, PlatformRejectedError):
                    exc.partial_results = dict(results)
                    raise
                reason = self._refusal_reason(exc)
                results.update((sku, reason) for sku, _quantity in batch)
                continue
            results.update(answers)
        return results

    def _push_stock_batch(self, batch):
        """{sku: None or the platform's reason} of one call for ``batch``
        ([(sku, quantity)]). By default one SKU a call
        (:meth:`_push_stock_one`)."""
        ((sku, quantity),) = batch
        return {sku: self._push_stock_one(sku, quantity)}

    def _push_stock_one(self, sku, quantity):
        """Send one SKU's quantity: None when done, else why not (e.g. the
        platform has no such SKU). Raises PlatformError."""
        raise NotImplementedError

    def _refusal_reason(self, exc):
        """The platform's own words for a refused call."""
        return exc.detail or exc.message

    @abc.abstractmethod
    def push_shipment(self, platform_order_no, courier_code, tracking_no):
        """Write the courier and tracking number back. Raises PlatformError."""

    def decrypt_receivers(self, receivers):
        """Plain receivers of encrypted orders through the platform's decrypt
        API, :attr:`decrypt_batch_size` orders a call (:meth:`_decrypt_batch`).

        ``receivers``: ``[{"platform_order_no", "receiver_id", "cipher":
        {"name", "phone", "address"}}]`` as pulled. Returns
        ``{platform_order_no: {"receiver_name", "phone", "address"}}``, or
        ``{"error": the platform's reason}`` for an order it refused. A call
        that fails raises PlatformError with ``partial_results`` (the orders
        decrypted before it); a used-up decrypt quota is a
        :class:`PlatformRateLimitError` (retry later: nothing is lost)."""
        receivers = list(receivers)
        results = {}
        for start in range(0, len(receivers), self.decrypt_batch_size):
            try:
                results.update(self._decrypt_batch(receivers[start : start + self.decrypt_batch_size]))
            except PlatformError as exc:
                exc.partial_results = dict(results)
                raise
        return results

    @staticmethod
    def _ciphertexts(batch):
        """(platform_order_no, ciphertext) of each encrypted field of the
        receivers of a decrypt batch, in order, for platforms that decrypt
        ciphertexts one by one (Pinduoduo, Douyin)."""
        return [(r["platform_order_no"], text) for r in batch for text in (r.get("cipher") or {}).values() if text]

    def _decrypted(self, batch, answers, operation):
        """{platform_order_no: plain receiver or {"error"}} of a decrypt batch
        from the platform's ``answers`` to :meth:`_ciphertexts`: (order
        number, ciphertext, plain text, its refusal or None) each. An order
        with a refused ciphertext is refused; one without any answer was
        "not returned by" ``operation``."""
        wanted = {}
        for receiver in batch:
            for kind, text in (receiver.get("cipher") or {}).items():
                if text:
                    wanted[(receiver["platform_order_no"], text)] = kind
        results = {r["platform_order_no"]: {} for r in batch}
        for number, text, plain, error in answers:
            kind = wanted.get((number, text))
            if kind is None or "error" in results[number]:
                continue
            if error:
                results[number] = {"error": error}
                continue
            results[number][RECEIVER_KEYS[kind]] = plain or ""
        for number, answer in results.items():
            if not answer:
                results[number] = {"error": f"not returned by {operation}"}
        return results

    def _decrypt_batch(self, batch):
        """{platform_order_no: plain receiver or {"error"}} of one decrypt call.
        By default the platform gives its receivers in plain text."""
        raise self._response_error(
            "decrypt", "gives receivers in plain text: there is nothing to decrypt", cls=PlatformRejectedError
        )

    # -- settlements (bills)
    #: the platform's settlement (bill) call, in messages
    settlements_operation = "settlements"

    def pull_settlements(self, since, until):
        """Yield the lines of the shop's platform settlement (bill, 结算账单)
        booked in [since, until), across all pages, in the public settlement
        shape (:func:`public_settlement_line`)::

            {
                "serial_no": "2026110100010537983090267198",  # the platform's number of the line
                "line_at": "2026-11-01 00:01:05",  # Asia/Shanghai local time
                "order_ref": "6924000001748912919", "sub_order_ref": "",
                "type_text": "货款结算入账",  # the platform's words for the line
                "amount": "22.39",  # yuan, signed from the shop's side: money in positive
                "fee_amount": "-0.92",  # fees held inside the line (already in amount), yuan
                "balance": None,  # the wallet's balance after the line when the platform gives it
                "raw": {...},  # the platform's own dict
            }

        By default a platform has no settlement API in its adapter: raises
        :class:`PlatformNotSupportedError` (import the statement file)."""
        raise self._response_error(
            self.settlements_operation,
            "has no settlement (bill) API in this adapter: import the platform's statement file",
            cls=PlatformNotSupportedError,
        )

    def check_connection(self):
        """Make one cheap authenticated call (one order of the last minute).
        Raises PlatformError."""
        until = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        self._fetch_page(until - dt.timedelta(minutes=1), until, 1, 1)
