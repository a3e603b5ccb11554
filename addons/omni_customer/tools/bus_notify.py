# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The bus's NOTIFY on a connection kept per process.

Odoo's bus (``bus.bus._sendone``) wakes the browsers after the commit with
``pg_notify('imbus', ...)`` sent on the ``postgres`` database, where the bus
listens; it opens that connection anew for every transaction that sent
something, because Odoo's pool never keeps a connection to ``postgres``
(``sql_db.Cursor.close``). A new PostgreSQL connection is a new server
process: about 5 ms of the caller's time and a fork's CPU on the database
machine, the second largest cost of a screen pop after the API key hashing.
The screen pop sends the same NOTIFY through :func:`notify`, on one
connection per Odoo process (and per fork of it), in autocommit, opened
when first needed and opened again when the database dropped it.
"""

import logging
import os
import threading

import psycopg2
from psycopg2 import sql

from odoo import sql_db

from odoo.addons.bus.models.bus import ODOO_NOTIFY_FUNCTION, get_notify_payloads

_logger = logging.getLogger(__name__)

_lock = threading.Lock()
# the connection and the process that opened it (a forked worker opens its own)
_state = {"pid": None, "connection": None}


def _connection():
    connection = _state["connection"]
    if connection is None or connection.closed or _state["pid"] != os.getpid():
        # a connection inherited from the parent process is left alone (closing it would close the parent's)
        _dbname, info = sql_db.connection_info_for("postgres")
        connection = psycopg2.connect(**info)
        connection.autocommit = True
        _state.update(pid=os.getpid(), connection=connection)
    return connection


def _drop():
    connection = _state["connection"]
    if connection is not None and _state["pid"] == os.getpid() and not connection.closed:
        connection.close()
    _state.update(pid=None, connection=None)


def notify(channels):
    """``pg_notify('imbus', ...)`` for ``channels`` (``(dbname, ...)``
    tuples, as ``bus.bus`` builds them), as the bus's own post-commit hook
    sends it. Call it after the commit of the bus rows (``cr.postcommit``)."""
    payloads = get_notify_payloads(list(channels))
    query = sql.SQL("SELECT {}('imbus', %s)").format(sql.Identifier(ODOO_NOTIFY_FUNCTION))
    with _lock:
        for attempt in (1, 2):
            try:
                with _connection().cursor() as cr:
                    for payload in payloads:
                        cr.execute(query, [payload])
                return
            except (psycopg2.OperationalError, psycopg2.InterfaceError):
                # the database closed the kept connection (restart, idle timeout): once more on a new one
                _drop()
                if attempt == 2:
                    raise
                _logger.info("bus notify connection lost; reconnecting")
