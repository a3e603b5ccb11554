# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The platform adapters' one error family: each says whether trying again
later may help (``retryable``). No Odoo import."""


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
