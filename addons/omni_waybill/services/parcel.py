# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Helpers for provider addons whose client speaks in flat parcels (no Odoo
import): the framework's parcel (readme/PROVIDERS.md) as such a client
takes it, and a client error as a :class:`WaybillError`."""

import contextlib
import math

from odoo.addons.omni_platform.platforms import PlatformError, PlatformTimeout

from . import WaybillError, WaybillTimeout

#: receiver fields a platform may give instead of the plain text (the parcel's
#: ``encrypted``): they replace the receiver's, untouched
CIPHER_KEYS = ("name", "phone", "mobile", "province", "city", "district", "town", "address")


def client_parcel(parcel):
    """``{"key", "order_no", "order_numbers", "package_id", "receiver",
    "items" [{"name", "count"}], "weight_g", "parcel_count"}`` of one
    framework parcel: the receiver as the platform gave it (ciphertext from
    ``encrypted`` untouched, ``mobile`` beside ``phone``), the weight in
    grams, whole item counts. The request key is the package id: a new key
    (after a cancellation) is a new package, hence a new number."""
    encrypted = parcel.get("encrypted") or {}
    receiver = dict(parcel.get("receiver") or {})
    for key in CIPHER_KEYS:
        if encrypted.get(key):
            receiver[key] = encrypted[key]
    receiver["mobile"] = (
        encrypted.get("mobile") or encrypted.get("phone") or receiver.get("mobile") or (receiver.get("phone") or "")
    )
    numbers = [str(n) for n in parcel.get("order_numbers") or []]
    return {
        "key": parcel["request_key"],
        "order_no": numbers[0] if numbers else parcel["request_key"],
        "order_numbers": numbers,
        "package_id": parcel["request_key"],
        "receiver": receiver,
        "items": [
            {"name": (item.get("name") or "-")[:60], "count": max(1, math.ceil(item.get("quantity") or 1))}
            for item in parcel.get("items") or []
        ],
        "weight_g": round((parcel.get("weight") or 0) * 1000),
        "parcel_count": parcel.get("parcel_count") or 1,
    }


def sender_of(parcel):
    """The parcel's sender with ``mobile`` beside ``phone``."""
    sender = dict(parcel.get("sender") or {})
    sender.setdefault("mobile", sender.get("phone") or "")
    return sender


def waybill_error(err, timeout=False):
    """The :class:`WaybillError` of a client's error: its ``detail`` (the
    service's own words) or message, its ``code`` and ``retryable``;
    ``timeout`` when the client gave up waiting (the service may have issued
    the number)."""
    reason = getattr(err, "detail", "") or getattr(err, "message", "") or str(err)
    if timeout:
        return WaybillTimeout(reason, code=getattr(err, "code", None))
    return WaybillError(reason, code=getattr(err, "code", None), retryable=bool(getattr(err, "retryable", False)))


@contextlib.contextmanager
def platform_errors():
    """Around a platform client's calls (the client's ``with`` block
    included): its :class:`PlatformError` raised as :func:`waybill_error`'s
    :class:`WaybillError`, a :class:`PlatformTimeout` as a
    :class:`WaybillTimeout`."""
    try:
        yield
    except PlatformError as err:
        raise waybill_error(err, timeout=isinstance(err, PlatformTimeout)) from err
