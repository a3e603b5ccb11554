# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Base class of the adapter tests against a stub platform on 127.0.0.1."""

from urllib.parse import urlsplit

from odoo.tests import BaseCase
from odoo.tests.common import HOST, _super_send


class StubTestCase(BaseCase):
    """An Odoo test case without database (run by pytest-odoo and by
    ``odoo-bin --test-enable`` alike) whose requests to the stub go out as
    the adapter sends them. BaseCase routes every ``requests`` call through
    :meth:`_request_handler`, which raises timeouts under 10 s to 10 s: the
    timeout tests (0.2 s against a 0.6 s answer) would then wait and pass
    where they must time out. Requests to other hosts stay blocked."""

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        if urlsplit(r.url).hostname in (HOST, "localhost"):
            return _super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)
