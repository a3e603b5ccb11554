# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The one place where the platform adapters do HTTP: the client (timeouts,
capped backoff, ``Retry-After``, secret redaction) and what the platforms
sign and send (compact JSON, TOP's md5 signature). No Odoo import."""

import hashlib
import json as jsonlib
import logging
import time
from urllib.parse import quote, quote_plus, urlsplit

import requests
from urllib3.exceptions import ReadTimeoutError

from .errors import (
    PlatformAuthError,
    PlatformConnectionError,
    PlatformError,
    PlatformRateLimitError,
    PlatformRejectedError,
    PlatformResponseError,
    PlatformServerError,
    PlatformTimeout,
)

_logger = logging.getLogger("omni_platform.platforms")

DETAIL_MAX = 500


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
