# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Sales platform adapters (pure Python, no Odoo import).

adapter = get_adapter("taobao_top", base_url=..., app_key=..., app_secret=..., access_token=...)
for order in adapter.pull_orders(since, until): ...
errors = adapter.push_stock({"SKU-1": 10})
adapter.push_shipment("T1001", "SF", "SF123")

A platform of its own addon registers its adapter class here when Python
imports it (``@register_adapter``) and offers it to channels with
``adapter_kind = fields.Selection(selection_add=[(kind, label)])`` on
``omni.channel``: see ``omni_platform_jd`` for a complete example.
"""

from .base import PlatformAdapter
from .errors import (
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
from .shape import public_order, public_settlement_line
from .transport import HttpClient
from .generic_rest import GenericRestAdapter
from .taobao_top import TaobaoTopAdapter, sign

ADAPTERS = {
    "generic_rest": GenericRestAdapter,
    "taobao_top": TaobaoTopAdapter,
}


def register_adapter(cls):
    """Class decorator: make ``cls`` (a :class:`PlatformAdapter` with its
    ``kind``) known to :func:`get_adapter`."""
    if not (isinstance(cls, type) and issubclass(cls, PlatformAdapter)) or not cls.kind:
        raise TypeError(f"{cls!r} is not a PlatformAdapter with a kind")
    ADAPTERS[cls.kind] = cls
    return cls


def get_adapter(kind, **config):
    """A new adapter of the registered ``kind`` built with ``config`` (the
    keyword arguments of :class:`PlatformAdapter`)."""
    try:
        cls = ADAPTERS[kind]
    except KeyError:
        known = ", ".join(sorted(ADAPTERS))
        raise ValueError(f"Unknown platform adapter {kind!r} (known: {known})") from None
    return cls(**config)


__all__ = [
    "ADAPTERS",
    "GenericRestAdapter",
    "HttpClient",
    "PlatformAdapter",
    "PlatformAuthError",
    "PlatformConnectionError",
    "PlatformError",
    "PlatformNotSupportedError",
    "PlatformRateLimitError",
    "PlatformRejectedError",
    "PlatformResponseError",
    "PlatformServerError",
    "PlatformTimeout",
    "TaobaoTopAdapter",
    "get_adapter",
    "public_order",
    "public_settlement_line",
    "register_adapter",
    "sign",
]
