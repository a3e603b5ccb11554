# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Common part of the platform adapters: errors, the one HTTP client, the
abstract adapter and the public order shape.

No Odoo import here: the package is usable (and tested) without a database.

Public order shape, as yielded by :meth:`PlatformAdapter.pull_orders`::

    {
        "platform_order_no": "T1001",
        "order_time": "2026-01-02 10:11:12",  # Asia/Shanghai local time
        "buyer_nick": "", "receiver_name": "", "phone": "",
        "province": "", "city": "", "district": "", "address": "",
        "payment_method": "prepaid",  # or "cod"
        "paid_amount": "99.50", "shipping_fee": "0.00",  # decimal strings
        "buyer_note": "",
        "lines": [{"platform_sku": "SKU-1", "quantity": "2", "unit_price": "49.75"}],
        "raw": {...},  # the platform's own dict for this order
    }

Datetimes given to the adapters may be naive (then they are UTC, as Odoo
stores them) or timezone-aware.

Only orders paid and waiting to ship are yielded: each adapter reads its
platform's order status (:meth:`PlatformAdapter._order_state`). Orders in
another known status (unpaid, cancelled, closed, shipped...) and orders in a
status the adapter does not know are left out and listed, after the pull, in
:attr:`PlatformAdapter.skipped` as ``{"platform_order_no", "status",
"unknown", "state"}`` (``unknown`` True when the status is not one the
adapter knows: never guessed, a person looks at it, and the order in the
public shape comes along as ``order`` when it has one; ``state`` what the
adapter made of it: :data:`HOLD` for a paid order that must not ship for now,
:data:`CANCELLED` for one that never will, :data:`NOT_READY`, :data:`UNKNOWN`),
so that the caller updates the orders it staged before. A line refunded
while the rest of the order ships comes with ``"refund": "refunded"`` (and
``"refund_amount"`` when the platform gives it).
"""

import abc
import datetime as dt
import json as jsonlib
import logging
import time
from decimal import Decimal, InvalidOperation
from urllib.parse import quote, quote_plus, urlsplit
from zoneinfo import ZoneInfo

import requests
from urllib3.exceptions import ReadTimeoutError

_logger = logging.getLogger("omni_platform.platforms")

SHANGHAI = ZoneInfo("Asia/Shanghai")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
DETAIL_MAX = 500

# how platforms and files name the two payment methods (lower case)
PAYMENT_METHODS = {
    "prepaid": "prepaid",
    "在线支付": "prepaid",
    "先款后货": "prepaid",
    "已付款": "prepaid",
    "online": "prepaid",
    "cod": "cod",
    "货到付款": "cod",
    "cash on delivery": "cod",
}

ORDER_TEXT_KEYS = (
    "buyer_nick",
    "receiver_name",
    "phone",
    "province",
    "city",
    "district",
    "address",
    "buyer_note",
)


# --- errors ------------------------------------------------------------------
class PlatformError(Exception):
    """A call to a sales platform failed.

    ``retryable`` tells the caller whether trying again later may succeed,
    ``status`` is the HTTP status when there was a response, ``detail`` the
    platform's own wording (never a secret). ``platform`` and ``operation``
    name the adapter and the URL path or API method.
    """

    retryable = False

    def __init__(self, message, *, status=None, detail="", retryable=None, platform=None, operation=None):
        super().__init__(message)
        self.status = status
        self.detail = detail or ""
        if retryable is not None:
            self.retryable = retryable
        self.platform = platform
        self.operation = operation

    @property
    def message(self):
        return self.args[0] if self.args else ""


class PlatformConnectionError(PlatformError):
    """The platform could not be reached (refused, reset, DNS...)."""

    retryable = True


class PlatformTimeout(PlatformConnectionError):
    """The platform did not answer within the timeout."""

    retryable = True


class PlatformServerError(PlatformError):
    """The platform failed on its side (HTTP 5xx, TOP ``isp.*`` errors)."""

    retryable = True


class PlatformRateLimitError(PlatformError):
    """Too many calls (HTTP 429, TOP code 7): try again later."""

    retryable = True


class PlatformAuthError(PlatformError):
    """Bad credentials, expired session or bad signature: fix the settings."""

    retryable = False


class PlatformResponseError(PlatformError):
    """The answer is not what the protocol promises (bad JSON, bad shape)."""

    retryable = False


class PlatformRejectedError(PlatformResponseError):
    """The platform understood the call and refused it (business error:
    unknown order, already shipped, invalid parameter, HTTP 4xx...)."""

    retryable = False


# --- helpers -------------------------------------------------------------------
def to_utc(value):
    """Aware UTC datetime from a naive (taken as UTC) or aware datetime."""
    if not isinstance(value, dt.datetime):
        raise TypeError(f"datetime expected, got {type(value).__name__}")
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


def to_shanghai_str(value):
    """'YYYY-MM-DD HH:MM:SS' in Asia/Shanghai time from a datetime."""
    return to_utc(value).astimezone(SHANGHAI).strftime(TIME_FORMAT)


def check_window(since, until):
    since_utc, until_utc = to_utc(since), to_utc(until)
    if since_utc > until_utc:
        raise ValueError(f"Order window starts after it ends ({since} > {until})")
    return since_utc, until_utc


def redact(text, secrets):
    text = str(text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


# --- the one HTTP client ---------------------------------------------------------
class HttpClient:
    """The one place where the platform adapters do HTTP.

    * ``timeout``: seconds, ``(connect, read)`` or one number;
    * ``retries``: total number of attempts (1 = no retry); attempts are
      repeated on timeouts, connection errors, HTTP 5xx and 429, and on
      retryable :class:`PlatformError` raised by the ``check`` callable, after
      ``backoff_base * 2 ** (attempt - 1)`` seconds (0.5, 1, 2...; at least
      the ``Retry-After`` of a 429, at most ``max_backoff``);
    * ``sleep``: injectable so tests do not wait;
    * ``secrets``: strings removed from every message and log line.

    :meth:`request` returns the parsed JSON object (a dict) or raises a
    :class:`PlatformError` subclass.
    """

    def __init__(
        self,
        *,
        name="Platform",
        timeout=(5, 30),
        retries=3,
        sleep=time.sleep,
        session=None,
        backoff_base=0.5,
        max_backoff=30.0,
        secrets=(),
        user_agent="omni-order/18.0",
    ):
        if retries < 1:
            raise ValueError("retries is the number of attempts: 1 or more")
        self.name = name
        self.timeout = timeout
        self.retries = retries
        self.sleep = sleep
        self.backoff_base = backoff_base
        self.max_backoff = max_backoff
        # as given and URL-encoded (requests' error texts quote the URL)
        self.secrets = tuple(
            sorted({v for s in secrets if s for v in (s, quote(s, safe=""), quote_plus(s))}, key=len, reverse=True)
        )
        self._own_session = session is None
        self.session = session if session is not None else requests.Session()
        self.user_agent = user_agent

    def close(self):
        if self._own_session:
            self.session.close()

    # -- errors
    def _error(self, cls, label, text, *, status=None, detail="", **kw):
        message = redact(f"{self.name}: {label} {text}", self.secrets)
        detail = redact(detail, self.secrets)[:DETAIL_MAX]
        return cls(message, status=status, detail=detail, platform=self.name, operation=label, **kw)

    def _backoff(self, attempt, retry_after=None):
        delay = self.backoff_base * 2 ** (attempt - 1)
        if retry_after is not None:
            delay = max(delay, retry_after)
        return min(delay, self.max_backoff)

    @staticmethod
    def _retry_after(response):
        try:
            return max(0.0, float(response.headers.get("Retry-After", "")))
        except ValueError:
            return None

    @staticmethod
    def _body_detail(response):
        try:
            return response.text.strip()
        except Exception:  # undecodable body: the status says enough
            return ""

    @staticmethod
    def _status_error(status):
        """(error class, text) of an HTTP error status (400 or more)."""
        if status in (401, 403):
            return PlatformAuthError, f"was refused: authentication failed (HTTP {status}); check the credentials"
        if status == 429:
            return PlatformRateLimitError, "was refused: too many calls (HTTP 429)"
        if status >= 500:
            return PlatformServerError, f"failed on the platform side (HTTP {status})"
        return PlatformRejectedError, f"was refused (HTTP {status})"

    def _timed_out(self):
        if isinstance(self.timeout, tuple | list):
            return f"timed out (connect {self.timeout[0]} s, read {self.timeout[1]} s)"
        return f"timed out ({self.timeout} s)"

    # -- one attempt
    def _attempt(self, method, url, label, kwargs, check):
        """Send once. Return the parsed payload or raise PlatformError."""
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.Timeout as exc:
            raise self._error(PlatformTimeout, label, self._timed_out(), detail=str(exc)) from exc
        except requests.ConnectionError as exc:
            # a timeout while reading the body comes as ConnectionError
            if any(isinstance(arg, ReadTimeoutError) for arg in exc.args):
                raise self._error(PlatformTimeout, label, self._timed_out(), detail=str(exc)) from exc
            raise self._error(PlatformConnectionError, label, "could not connect", detail=str(exc)) from exc
        except requests.exceptions.ChunkedEncodingError as exc:
            raise self._error(PlatformConnectionError, label, "connection broken", detail=str(exc)) from exc
        except requests.RequestException as exc:
            raise self._error(PlatformError, label, "could not be sent", detail=str(exc)) from exc

        status = response.status_code
        if status >= 400:
            cls, text = self._status_error(status)
            exc = self._error(cls, label, text, status=status, detail=self._body_detail(response))
            if status == 429:
                exc.retry_after = self._retry_after(response)
            raise exc
        if not response.content.strip():
            payload = {}
        else:
            try:
                payload = response.json()
            except ValueError as exc:
                raise self._error(
                    PlatformResponseError,
                    label,
                    f"returned invalid JSON (HTTP {status})",
                    status=status,
                    detail=self._body_detail(response),
                ) from exc
        if not isinstance(payload, dict):
            raise self._error(
                PlatformResponseError,
                label,
                f"returned a JSON {type(payload).__name__} instead of an object",
                status=status,
                detail=jsonlib.dumps(payload, ensure_ascii=False)[:DETAIL_MAX],
            )
        if check is not None:
            try:
                check(payload)
            except PlatformError as exc:
                if exc.status is None:
                    exc.status = status
                raise
        return payload

    # -- public
    def request(
        self, method, url, *, params=None, json=None, data=None, headers=None, operation=None, check=None
    ) -> dict:
        """Send ``method url`` and return the parsed JSON object.

        ``operation`` names the call in messages and logs (default
        ``"METHOD /path"``); ``check(payload)`` may raise a PlatformError
        for an error carried in a successful HTTP answer (retried when the
        error is retryable). Query strings and bodies are never logged.
        """
        path = urlsplit(url).path or "/"
        request_line = f"{method.upper()} {path}"
        label = operation or request_line
        where = label if label == request_line else f"{label} ({request_line})"
        send_headers = {"User-Agent": self.user_agent, "Accept": "application/json"}
        send_headers.update(headers or {})
        kwargs = {"params": params, "json": json, "data": data, "headers": send_headers}
        attempt = 0
        while True:
            attempt += 1
            started = time.monotonic()
            try:
                payload = self._attempt(method, url, label, kwargs, check)
            except PlatformError as exc:
                elapsed = (time.monotonic() - started) * 1000
                retry_after = getattr(exc, "retry_after", None)
                # a platform asking to wait longer than max_backoff: give the
                # hand back to the caller (the error stays retryable)
                too_long = retry_after is not None and retry_after > self.max_backoff
                last = attempt >= self.retries or not exc.retryable or too_long
                _logger.warning(
                    "%s: %s -> %s %s in %.0f ms, attempt %d/%d%s",
                    self.name,
                    where,
                    exc.status or "-",
                    type(exc).__name__,
                    elapsed,
                    attempt,
                    self.retries,
                    "" if last else ", retrying",
                )
                if last:
                    if attempt > 1:
                        exc.args = (f"{exc.message} after {attempt} attempts",) + exc.args[1:]
                    raise
                self.sleep(self._backoff(attempt, retry_after))
                continue
            _logger.debug(
                "%s: %s -> OK in %.0f ms, attempt %d/%d",
                self.name,
                where,
                (time.monotonic() - started) * 1000,
                attempt,
                self.retries,
            )
            return payload


# --- order shape ---------------------------------------------------------------
def decimal_str(value, what):
    """Decimal string (no exponent, no float noise) of a number or string."""
    if isinstance(value, bool) or value is None or value == "":
        raise ValueError(f"{what}: number expected, got {value!r}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError(f"{what}: number expected, got {value!r}") from exc
    if not number.is_finite():
        raise ValueError(f"{what}: number expected, got {value!r}")
    return format(number, "f")


def normalize_time(value, what):
    """'YYYY-MM-DD HH:MM:SS' from such a string or ISO 8601; with an offset,
    converted to Asia/Shanghai time."""
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        try:
            parsed = dt.datetime.fromisoformat(str(value).strip())
        except ValueError as exc:
            raise ValueError(f"{what}: date and time expected, got {value!r}") from exc
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(SHANGHAI)
    return parsed.strftime(TIME_FORMAT)


def normalize_payment_method(value, what):
    if value is None or str(value).strip() == "":
        return "prepaid"
    method = PAYMENT_METHODS.get(str(value).strip().lower())
    if method is None:
        raise ValueError(f"{what}: unknown payment method {value!r}")
    return method


def _text(value):
    return "" if value is None else str(value).strip()


def normalize_order(order, raw):
    """Check and normalise one order to the public shape (raises ValueError)."""
    number = _text(order.get("platform_order_no"))
    if not number:
        raise ValueError("order without platform_order_no")
    what = f"order {number}"
    lines = order.get("lines")
    if lines is None:
        lines = []
    if not isinstance(lines, list):
        raise ValueError(f"{what}: lines must be a list")
    result_lines = []
    for index, line in enumerate(lines, start=1):
        if not isinstance(line, dict):
            raise ValueError(f"{what}, line {index}: object expected")
        sku = _text(line.get("platform_sku"))
        if not sku:
            raise ValueError(f"{what}, line {index}: no platform_sku")
        result_line = {
            "platform_sku": sku,
            "quantity": decimal_str(line.get("quantity"), f"{what}, line {index}, quantity"),
            "unit_price": decimal_str(line.get("unit_price", "0"), f"{what}, line {index}, unit_price"),
        }
        if line.get("refund") == LINE_REFUNDED:
            # refunded before shipping while the rest of the order ships; the
            # amount refunded when the platform says it (else the line's amount)
            result_line["refund"] = LINE_REFUNDED
            if line.get("refund_amount") not in (None, ""):
                result_line["refund_amount"] = decimal_str(line["refund_amount"], f"{what}, line {index}, refund")
        result_lines.append(result_line)
    result = {"platform_order_no": number}
    result["order_time"] = normalize_time(order.get("order_time"), f"{what}, order_time")
    for key in ORDER_TEXT_KEYS:
        result[key] = _text(order.get(key))
    result["payment_method"] = normalize_payment_method(order.get("payment_method"), what)
    result["paid_amount"] = decimal_str(order.get("paid_amount", "0"), f"{what}, paid_amount")
    result["shipping_fee"] = decimal_str(order.get("shipping_fee") or "0", f"{what}, shipping_fee")
    result["lines"] = result_lines
    result["raw"] = raw
    return result


# --- the adapter interface ------------------------------------------------------
#: what an adapter makes of a platform order's status (:meth:`PlatformAdapter._order_state`)
READY = "ready"  # paid and waiting to ship: staged
NOT_READY = "not_ready"  # a known status that is not (unpaid, shipped, finished...)
HOLD = "hold"  # paid, but not to be shipped for now (refund requested, risk control, locked)
CANCELLED = "cancelled"  # cancelled, closed or fully refunded: never to be shipped
UNKNOWN = "unknown"  # a status the adapter does not know: not guessed
#: what an order line's ``refund`` may say (a line refunded while the rest of the order ships)
LINE_REFUNDED = "refunded"
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
        self.page_size = int(page_size)
        self.extra = dict(extra or {})
        self.max_pages = int(self.extra.get("max_pages", self.max_pages))
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

    def __repr__(self):
        return f"<{type(self).__name__} {self.base_url}>"

    def close(self):
        self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    # -- helpers for subclasses
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

    def _normalize(self, order, raw, operation):
        try:
            return normalize_order(order, raw)
        except ValueError as exc:
            raise self._response_error(operation, f"returned an unusable order: {exc}", raw) from exc

    def _dedup(self, orders):
        """Keep one order per platform_order_no: the last version seen, at the
        place of the first. Reads the whole iterable first; the orders left
        out for their status go to :attr:`skipped`."""
        seen = {}
        for order in orders:
            seen[order["platform_order_no"]] = order
        self.skipped = [
            {"platform_order_no": number, **order[_SKIP]} for number, order in seen.items() if _SKIP in order
        ]
        yield from (order for order in seen.values() if _SKIP not in order)

    def _page_items(self, items, page, operation, noun, to_public):
        """The normalised orders of one page's items; an order that is not
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
                    try:
                        marker["order"] = normalize_order(to_public(item), item)
                    except ValueError:
                        pass
                yield {"platform_order_no": number, _SKIP: marker}
                continue
            yield self._normalize(to_public(item), item, operation)

    def _iter_pages(self, start, end, operation, noun, to_public):
        """Normalised orders of the window [start, end), page after page
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

    @abc.abstractmethod
    def _iter_orders(self, since, until):
        """Normalised orders of [since, until), page after page; the same
        order may come more than once."""

    # -- the interface
    def pull_orders(self, since, until):
        """Yield the orders updated in [since, until), across all pages, in
        the public order shape, one per platform_order_no (the last version
        seen). Nothing is sent until iterated; all pages are read before the
        first order is yielded. Raises PlatformError."""
        return self._dedup(self._iter_orders(since, until))

    @abc.abstractmethod
    def push_stock(self, quantities):
        """Send {platform_sku: quantity}; return {platform_sku: None or the
        platform's error message}. Transport failures and auth errors raise
        PlatformError (with ``partial_results`` of the SKUs already done)."""

    @abc.abstractmethod
    def push_shipment(self, platform_order_no, courier_code, tracking_no):
        """Write the courier and tracking number back. Raises PlatformError."""

    def check_connection(self):
        """Make one cheap authenticated call (one order of the last minute).
        Raises PlatformError."""
        until = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        self._fetch_page(until - dt.timedelta(minutes=1), until, 1, 1)
