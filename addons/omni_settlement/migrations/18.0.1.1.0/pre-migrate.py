# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The channel and company of a settlement line and of a receivable clearing
are their statement's (related fields, no longer stored): the columns go,
with their foreign keys and the serial-number index that began with the
channel (``init`` makes the new one). Their values were the statement's by
construction; a row that disagrees stops the update rather than lose it.
Likewise who imported a line and when are its statement's (no audit
columns on the lines)."""

from odoo.tools import SQL


def migrate(cr, version):
    # the report view reads the lines' columns; its init() creates it again
    cr.execute("DROP VIEW IF EXISTS omni_settlement_report")
    for table in ("omni_settlement_line", "omni_settlement_clearing"):
        cr.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = %s AND column_name = 'channel_id'",
            [table],
        )
        if not cr.fetchone()[0]:
            continue
        cr.execute(
            SQL(
                """
                SELECT count(*) FROM %s t JOIN omni_settlement s ON s.id = t.settlement_id
                 WHERE t.channel_id <> s.channel_id OR t.company_id <> s.company_id
                """,
                SQL.identifier(table),
            )
        )
        disagree = cr.fetchone()[0]
        if disagree:
            raise ValueError(f"{table}: {disagree} rows whose channel or company is not their statement's")
        cr.execute(
            SQL(
                "ALTER TABLE %s DROP COLUMN channel_id, DROP COLUMN company_id",
                SQL.identifier(table),
            )
        )
    cr.execute("DROP INDEX IF EXISTS omni_settlement_line_serial")
    # who imported a line and when: its statement's (the line's own were the same, set by the import's COPY)
    cr.execute(
        """
        ALTER TABLE omni_settlement_line DROP COLUMN IF EXISTS create_uid, DROP COLUMN IF EXISTS write_uid,
                                         DROP COLUMN IF EXISTS create_date, DROP COLUMN IF EXISTS write_date
        """
    )
