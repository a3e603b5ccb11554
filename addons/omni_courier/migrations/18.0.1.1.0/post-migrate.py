# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The carriers' statement columns, written 'key = header, header' a line in
the text field ``omni_statement_columns``, become lines
(``omni.courier.statement.column``)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["omni.courier.statement.column"]._omni_migrate_text(cr)
