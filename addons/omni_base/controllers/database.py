# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from werkzeug.exceptions import NotFound

from odoo.tools import config

from odoo.addons.web.controllers.database import Database


class DatabaseManagerHidden(Database):
    """Hide the database manager pages when ``list_db = False``.

    Odoo already refuses the create/duplicate/drop/backup/restore calls when
    database listing is off; the manager and selector pages still render.
    This project serves one database per server: there is nothing to select,
    so those pages answer 404 instead of showing a form that only fails.
    """

    def _render_template(self, **kw):
        if not config["list_db"]:
            raise NotFound()
        return super()._render_template(**kw)
