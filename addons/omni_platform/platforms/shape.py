# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The public shapes the platform adapters yield (orders, settlement lines),
what an adapter makes of an order's status, and China time.

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

import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

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
