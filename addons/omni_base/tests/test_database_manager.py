# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tools import config


@tagged("post_install", "-at_install")
class TestDatabaseManager(HttpCase):
    """The database manager pages answer 404 when database listing is off,
    whatever the server's own configuration (the project's odoo.conf sets
    ``list_db = False``; tests/test_server.py checks the server as run)."""

    PAGES = ("/web/database/manager", "/web/database/selector")

    def test_pages_hidden_when_listing_is_off(self):
        with patch.dict(config.options, {"list_db": False}):
            for path in self.PAGES:
                self.assertEqual(self.url_open(path).status_code, 404, path)

    def test_manager_shown_when_listing_is_on(self):
        with patch.dict(config.options, {"list_db": True}):
            self.assertEqual(self.url_open("/web/database/manager").status_code, 200)
