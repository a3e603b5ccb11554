# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Common part of the platform adapters: errors, the one HTTP client, the
abstract adapter and the public order shape.

No Odoo import here: the package is usable (and tested) without a database.

Public order shape, as yielded by :meth:`PlatformAdapter.pull_orders`: the
platform's order in the public keys, values as the platform gives them once
converted to the public units (yuan, not fen; one unit's price; China time)::

    {
        "platform_order_no": "T1001",
        "order_time": "2026-01-02 10:11:12",  # Asia/Shanghai local time
        "buyer_nick": "", "receiver_name": "", "phone": "",
        "province": "", "city": "", "district": "", "address": "",
        "payment_method": "prepaid",  # or "cod", or the platform's word for it
        "paid_amount": "99.50", "shipping_fee": "0.00",  # yuan
        "buyer_note": "",
        "lines": [{"platform_sku": "SKU-1", "quantity": "2", "unit_price": "49.75"}],
        "receiver_id": "",  # the platform's id of the receiver (oaid...)
        "receiver_cipher": {},  # {"name", "phone", "address"} as encrypted
        "raw": {...},  # the platform's own dict for this order
    }

Encrypted receivers (Taobao/Tmall, Pinduoduo, Douyin, JD): the platform
gives its id of the receiver (``receiver_id``: Taobao's and JD's ``oaid``,
Pinduoduo's and Douyin's ``open_address_id``: equal ids are the same receiver
and address), the ciphertexts (``receiver_cipher``, kept untouched: the
platform's e-waybill service prints from them) and masked text for the
screens in ``receiver_name``, ``phone`` and ``address``. The plain receiver
comes only from the platform's decrypt API (:meth:`PlatformAdapter.decrypt_receivers`),
within its quotas.

The adapters do not check or normalise the values: there is one normaliser
for every source (platform API, file, XML-RPC, phone order),
``omni.order._prepare_staging_vals`` in ``omni_order``, so that an order with
an odd value waits in the exception queue with its reason instead of failing
the whole pull. The adapters only make sure each order has a number (pages
are deduplicated on it).

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
import hashlib
import json as jsonlib
import logging
import time
from urllib.parse import quote, quote_plus, urlsplit
from zoneinfo import ZoneInfo

import requests
from urllib3.exceptions import ReadTimeoutError

_logger = logging.getLogger("omni_platform.platforms")

SHANGHAI = ZoneInfo("Asia/Shanghai")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
DETAIL_MAX = 500

#: text keys of the public order shape
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


class PlatformNotSupportedError(PlatformRejectedError):
    """The adapter does not offer this call for its platform (e.g. no
    settlement API): nothing was sent."""

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


def compact_json(value, sort_keys=False):
    """``value`` as the platforms sign and send their JSON parameters: no
    spaces, UTF-8 as is, the keys sorted when ``sort_keys``."""
    return jsonlib.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys)


def md5_sign(params, secret):
    """The md5 signature of the gateways made like Taobao's TOP (Taobao, JD,
    Pinduoduo): upper-case hex MD5 of ``secret + k1v1k2v2... + secret`` over
    the parameters (as sent: text) sorted by name, without ``sign`` and
    empty values."""
    text = "".join(f"{key}{params[key]}" for key in sorted(params) if key != "sign" and params[key] not in (None, ""))
    return hashlib.md5(f"{secret}{text}{secret}".encode(), usedforsecurity=False).hexdigest().upper()


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
    def _attempt(self, method, url, label, kwargs, check, raw=False):
        """Send once. Return the parsed payload (the body's bytes when
        ``raw``) or raise PlatformError."""
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
        if raw:
            return response.content
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
        self, method, url, *, params=None, json=None, data=None, headers=None, operation=None, check=None, raw=False
    ) -> dict:
        """Send ``method url`` and return the parsed JSON object (with
        ``raw``: the body's bytes as received, e.g. a bill file to download).

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
                payload = self._attempt(method, url, label, kwargs, check, raw)
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
def _text(value):
    return "" if value is None else str(value).strip()


def public_order(order, raw):
    """``order`` (public keys) with its number as text and the platform's
    ``raw`` dict; raises ValueError for an order without number."""
    number = _text(order.get("platform_order_no"))
    if not number:
        raise ValueError("order without platform_order_no")
    return {**order, "platform_order_no": number, "raw": raw}


def public_settlement_line(line, raw):
    """``line`` (public settlement keys, see
    :meth:`PlatformAdapter.pull_settlements`) with its texts stripped, its
    amounts as yuan strings and the platform's ``raw`` dict; raises
    ValueError for a line without serial number or amount."""
    serial = _text(line.get("serial_no"))
    if not serial:
        raise ValueError("settlement line without serial_no")
    if line.get("amount") in (None, ""):
        raise ValueError(f"settlement line {serial} without amount")
    public = {key: _text(line.get(key)) for key in ("line_at", "order_ref", "sub_order_ref", "type_text")}
    public.update(
        serial_no=serial,
        amount=_text(line["amount"]),
        fee_amount=_text(line.get("fee_amount") or "0.00"),
        balance=None if line.get("balance") in (None, "") else _text(line["balance"]),
        raw=raw,
    )
    return public


# --- the adapter interface ------------------------------------------------------
#: what an adapter makes of a platform order's status (:meth:`PlatformAdapter._order_state`)
READY = "ready"  # paid and waiting to ship: staged
NOT_READY = "not_ready"  # a known status that is not (unpaid, shipped, finished...)
HOLD = "hold"  # paid, but not to be shipped for now (refund requested, risk control, locked)
CANCELLED = "cancelled"  # cancelled, closed or fully refunded: never to be shipped
UNKNOWN = "unknown"  # a status the adapter does not know: not guessed
#: the public receiver key of each kind of ciphertext (an order's ``receiver_cipher``)
RECEIVER_KEYS = {"name": "receiver_name", "phone": "phone", "address": "address"}
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
