# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Multi-row INSERT for the few places that write tens of thousands of rows
at once (stock sync logs, courier statement lines): the ORM would build every
record in its cache one by one (measured in scripts/bench_stock_sync.py and
scripts/bench_courier_reconciliation.py)."""

from psycopg2.extras import execute_values

from odoo import fields
from odoo.tools import SQL

AUDIT_COLUMNS = ("create_uid", "write_uid", "create_date", "write_date")


def bulk_insert(env, table, columns, rows, on_conflict=None, page_size=5000):
    """INSERT ``rows`` (tuples for ``columns``) into ``table`` in pages of
    ``page_size``, with the audit columns set to the current user and time.
    ``on_conflict``: an ``odoo.tools.SQL`` clause appended to the INSERT.
    The caller flushes what the INSERT depends on and invalidates the cache
    of the model it wrote to."""
    if not rows:
        return
    now = fields.Datetime.now()
    audit = (env.uid, env.uid, now, now)
    query = SQL(
        "INSERT INTO %s (%s) VALUES %%s %s",
        SQL.identifier(table),
        SQL(", ").join(SQL.identifier(column) for column in (*columns, *AUDIT_COLUMNS)),
        on_conflict or SQL(),
    )
    execute_values(env.cr._obj, query.code, [tuple(row) + audit for row in rows], page_size=page_size)
