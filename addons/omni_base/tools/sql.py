# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Multi-row INSERT and COPY for the few places that write tens of thousands
of rows at once (stock sync logs, courier statement lines): the ORM would
build every record in its cache one by one (measured in
scripts/bench_stock_sync.py and scripts/bench_courier_reconciliation.py)."""

import csv
import io
import itertools

from psycopg2.extras import execute_values

from odoo import fields
from odoo.tools import SQL

AUDIT_COLUMNS = ("create_uid", "write_uid", "create_date", "write_date")


class _CopyNull:
    """None in a COPY file: a number to the csv module (QUOTE_NONNUMERIC
    leaves it unquoted), written as COPY's NULL marker."""

    def __float__(self):
        return 0.0

    def __str__(self):
        return "\\N"


_NULL = _CopyNull()


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


def bulk_copy(env, table, columns, rows, audit=True):
    """COPY ``rows`` (tuples for ``columns``, a list or any iterable) into
    ``table``, with the audit columns set to the current user and time
    (``audit=False``: a table without them, ``_log_access = False``): for
    100,000 rows several times faster than :func:`bulk_insert` (no
    per-value quoting in Python, no statement to parse), and the rows are
    turned into CSV page by page while PostgreSQL inserts the pages before.
    Values: None (NULL), str, int, float, Decimal, date, datetime. The
    caller flushes what it depends on and invalidates the cache of the
    model it wrote to."""
    now = fields.Datetime.now()
    query = SQL(
        "COPY %s (%s) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
        SQL.identifier(table),
        SQL(", ").join(SQL.identifier(column) for column in (*columns, *(AUDIT_COLUMNS if audit else ()))),
    )
    env.cr._obj.copy_expert(query.code, _CopyReader(rows, (env.uid, env.uid, now, now) if audit else ()))


class _CopyReader:
    """The file psycopg2's copy_expert reads: the next page of rows as CSV
    at every read (of any size: psycopg2 sends what it gets)."""

    PAGE = 5000

    def __init__(self, rows, audit):
        self._rows = iter(rows)
        self._audit = audit
        self._buffer = io.StringIO()
        # every text quoted, numbers and NULL (None) not: an unquoted \N is NULL, a quoted "\N" the text
        self._writer = csv.writer(self._buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")

    # a file psycopg2 reads, not an ORM method: no super() to call
    def read(self, size=-1):  # pylint: disable=method-required-super
        page = list(itertools.islice(self._rows, self.PAGE))
        if not page:
            return ""
        audit = self._audit
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerows([_NULL if value is None else value for value in (*row, *audit)] for row in page)
        return self._buffer.getvalue()

    readline = read
