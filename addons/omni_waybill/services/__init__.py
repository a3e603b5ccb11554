# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a waybill provider raises (no Odoo import: the providers' clients
and their stand-ins use it as well)."""


class WaybillError(Exception):
    """A waybill service refused or failed a call. ``reason`` is the
    service's own wording (no balance, address not served, account not
    authorised...), shown to the packer as it is; ``code`` the service's
    error code when it gives one. ``retryable``: trying again later may
    succeed (timeout, service down)."""

    retryable = False

    def __init__(self, reason, *, code=None, retryable=None):
        super().__init__(reason)
        self.reason = reason
        self.code = code
        if retryable is not None:
            self.retryable = retryable


class WaybillTimeout(WaybillError):
    """No answer in time: the service may have issued the number anyway,
    so the retry asks it by the request key before asking again."""

    retryable = True
