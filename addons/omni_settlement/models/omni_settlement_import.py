# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Import of a platform statement file.

A reader thread reads the file line by line (readers.py) into pages of a
temporary staging table, while this thread COPies the pages in and, chunk
by chunk, moves them into the lines with one INSERT .. SELECT that
classifies and matches them set-based: the line-state rules of *Match
Again*, the same SQL (omni_settlement_match.py). PostgreSQL inserts on the
other core while Python reads. Then a few set-based statements for what
needs all lines (duplicates of earlier statements, orders of another
channel, the comparison with the ledger).

Measured in scripts/bench_settlements.py: a million Alipay lines against
500,000 orders."""

import csv
import datetime
import gc
import io
import queue
import threading
import time

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.omni_base.tools import guard, statement_file, tabular

from .. import readers
from .omni_settlement import IMPORT_LOCK_KEY
from .omni_settlement_match import planner_settings

# the staging table: a line as read (its time as in the file), flagged when its serial number came earlier
STAGE_COLUMNS = (
    "row_no", "sheet", "serial_no", "line_at", "order_ref", "sub_order_ref", "type_text",
    "amount", "fee_amount", "balance", "raw_values", "duplicate",
)  # fmt: skip
# lines per page handed from the reader thread, and per INSERT .. SELECT into the lines
PAGE_LINES = 10_000
CHUNK_LINES = 200_000


class OmniSettlement(models.Model):
    _inherit = "omni.settlement"

    @api.model
    def import_file(self, channel_code, filename, content_base64):
        """Import a platform's settlement statement (base64 file content)
        for the channel with unit code ``channel_code`` of the current
        company; return the statement id. The same file again returns the
        same statement, nothing added. A bad file (another channel's or
        company's, cut in the middle, unreadable row) is refused as a whole:
        nothing recorded."""
        with self.env.cr.savepoint():
            statement, content = self._start_import(channel_code, filename, content_base64)
            if statement.state == "draft":
                statement._load_file(content)
        return statement.id

    @api.model
    def _start_import(self, channel_code, filename, content_base64):
        self.check_access("create")
        company = self.env.company
        channel = self.env["omni.channel"]._get_by_code(channel_code, company=company)
        if channel.platform not in readers.PLATFORM_FORMATS:
            raise UserError(
                self.env._(
                    "Channel %(channel)s is on platform %(platform)s, whose settlement statements cannot be "
                    "imported (Tmall/Taobao Alipay, JD, Pinduoduo and Douyin can).",
                    channel=channel.display_name,
                    platform=dict(channel._fields["platform"]._description_selection(self.env))[channel.platform],
                )
            )
        content, sha = statement_file.decode(self.env, filename, content_base64)
        # imports of one channel wait for each other: a serial number is recorded once per channel
        self.env.cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", [IMPORT_LOCK_KEY, channel.id])
        existing = self.search(
            [("company_id", "=", company.id), ("channel_id", "=", channel.id), ("file_sha256", "=", sha)], limit=1
        )
        if existing:
            statement_file.note_imported_again(existing, filename)
            return existing, content
        statement = guard.internal(self).create(
            {
                "channel_id": channel.id,
                "company_id": company.id,
                "file_format": readers.PLATFORM_FORMATS[channel.platform],
                "file_name": filename,
                "file_sha256": sha,
            }
        )
        # kept, not indexed for full-text search (ir_attachment.py)
        statement_file.attach(statement.with_context(omni_settlement_file=True), filename, content)
        return statement.with_env(self.env), content

    def _load_file(self, content):
        self.ensure_one()
        step = _Steps(self.env.context.get("omni_settlement_steps"))
        # the platform's default fee types for a channel that has none yet (a finance manager's table after)
        self.env["omni.settlement.fee.type"].sudo()._seed_defaults(self.channel_id)
        with planner_settings(self.env.cr):
            try:
                parsed = readers.read_statement(self.file_format, self.file_name, content)
                facts = self._insert_lines(parsed, step)
            except tabular.TableError as err:
                raise UserError(self._table_message(err)) from err
            if not facts.count:
                raise UserError(self.env._("File '%(filename)s' holds no statement line.", filename=self.file_name))
            self.env["omni.settlement.line"].invalidate_model()
            self._mark_earlier_duplicates()
            step("duplicates of earlier statements")
            self._check_channel_of_orders()
            step("orders of another channel")
            self._compare_with_ledger()
            step("comparison with the ledger")
        self._set_period(parsed, facts)
        self._set_balance_break(facts)
        guard.internal(self).write({"state": "imported"})
        self.invalidate_recordset(["line_count", "open_count", "unmapped_count", "duplicate_count", "amount_total"])
        step("period, balance")

    def _table_message(self, err):
        if err.template in readers.OUR_TEMPLATES:
            return self.env._(err.template) % err.params  # pylint: disable=translation-required
        return tabular.error_message(self.env, err)

    # ------------------------------------------------------------------
    # Reading (a thread of its own) and inserting (this thread) at once

    def _insert_lines(self, parsed, step):
        """Insert the lines of ``parsed``: a reader thread turns its rows into
        CSV pages (:func:`_stage_pages`, pure Python: no cursor, no
        environment) while this thread COPies them into the staging table
        and, every CHUNK_LINES lines, moves them into the lines through the
        matching SQL (:meth:`_insert_staged`). PostgreSQL inserts while
        Python reads (measured: the two took as long each, one after the
        other before). The reader's error (a bad row, a file cut short)
        stops both and is raised here; the caller's savepoint drops what was
        inserted. Returns what the reader gathered (:class:`_Facts`)."""
        self.ensure_one()
        cr = self.env.cr
        for model in ("omni.order", "omni.aftersale", "omni.settlement.fee.type"):
            self.env[model].flush_model()
        cr.execute(
            """
            CREATE TEMP TABLE IF NOT EXISTS omni_settlement_stage (
                row_no int, sheet varchar, serial_no varchar, line_at timestamp, order_ref varchar,
                sub_order_ref varchar, type_text varchar, amount numeric, fee_amount numeric, balance numeric,
                raw_values text, duplicate boolean
            ) ON COMMIT DROP
            """
        )
        cr.execute("TRUNCATE omni_settlement_stage")
        copy = SQL(
            "COPY omni_settlement_stage (%s) FROM STDIN WITH (FORMAT csv)",
            SQL(", ").join(SQL.identifier(column) for column in STAGE_COLUMNS),
        ).code
        facts = _Facts()
        # room for a chunk and a bit: the reader goes on reading while a chunk is inserted
        pages = queue.Queue(maxsize=CHUNK_LINES // PAGE_LINES + 4)
        stop = threading.Event()
        reader = threading.Thread(
            target=_stage_pages, args=(parsed, facts, pages, stop), name="omni_settlement_reader", daemon=True
        )
        types = None
        staged = 0
        # a million short-lived rows: the cyclic collector would walk every live object again and again
        # (none of these rows forms a cycle)
        collecting = gc.isenabled()
        gc.disable()
        reader.start()
        try:
            while True:
                page = pages.get()
                step.part("waiting for the reader")
                if isinstance(page, BaseException):
                    raise page
                if page is None:
                    break
                text, count = page
                # the page in one read: psycopg2 would read it 8 kB at a time, each read waiting for the
                # interpreter lock the reader thread holds (up to 5 ms a time: seconds per page, measured)
                cr._obj.copy_expert(copy, io.StringIO(text), size=len(text) + 1)
                step.part("COPY into the staging table")
                staged += count
                if staged >= CHUNK_LINES:
                    types = self._insert_staged(types)
                    step.part("INSERT .. SELECT (classify, match)")
                    staged = 0
            if staged:
                types = self._insert_staged(types)
                step.part("INSERT .. SELECT (classify, match)")
        finally:
            stop.set()
            reader.join()
            if collecting:
                gc.enable()
        if facts.count > 10_000:
            # the planner must know the lines just written for the statements that follow (same transaction)
            cr.execute("ANALYZE omni_settlement_line")
            step.part("ANALYZE")
        step.add("- reader thread (CPU)", facts.reader_cpu)
        step("read, classify, match, insert")
        return facts

    def _insert_staged(self, types):
        """Move the staged lines into the statement's lines, classified and
        matched by :meth:`_matching_sql` (its time from the company's time
        zone to UTC); ``types``: the fee-type texts classified so far."""
        cr = self.env.cr
        cr.execute("SELECT DISTINCT type_text FROM omni_settlement_stage")
        types = self._fee_type_map([text for (text,) in cr.fetchall()], types)
        cr.execute("ANALYZE omni_settlement_stage")
        cr.execute(
            SQL(
                """
                INSERT INTO omni_settlement_line (
                    settlement_id, sheet, row_no, serial_no, line_at, line_date, order_ref, sub_order_ref,
                    type_text, amount, fee_amount, gross_amount, balance, raw_values, fee_type_id, kind,
                    omni_order_id, state)
                SELECT %(sid)s, r.sheet, r.row_no, r.serial_no, (r.line_at AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC',
                       r.line_at::date, r.matched_ref, r.sub_order_ref, r.type_text, r.amount, r.fee_amount,
                       r.amount - r.fee_amount, r.balance, r.raw_values, r.fee_type_id, r.kind,
                       r.omni_order_id, r.state
                  FROM (%(matching)s) r
                """,
                sid=self.id,
                tz=self.company_id._omni_tz().zone,
                matching=self._matching_sql(SQL("SELECT * FROM omni_settlement_stage")),
            )
        )
        cr.execute("TRUNCATE omni_settlement_stage")
        return types

    # ------------------------------------------------------------------
    # What needs every line

    def _mark_earlier_duplicates(self):
        """A line whose serial number (and amount) another statement of the
        channel already holds is a duplicate (an overlapping export)."""
        self.env.cr.execute(
            """
            UPDATE omni_settlement_line l SET state = 'duplicate', omni_order_id = NULL
              FROM omni_settlement_line e
             WHERE l.settlement_id = %(sid)s AND l.state <> 'duplicate'
               AND e.serial_no = l.serial_no AND e.amount = l.amount AND e.state <> 'duplicate'
               AND e.settlement_id IN (SELECT id FROM omni_settlement WHERE channel_id = %(channel)s AND id <> %(sid)s)
            """,
            {"sid": self.id, "channel": self.channel_id.id},
        )

    def _check_channel_of_orders(self):
        """Refuse a statement of another channel or company: its order
        numbers are orders of another channel, none (or fewer) of this one."""
        channel = self.channel_id
        cr = self.env.cr
        cr.execute(
            """
            SELECT o.channel_id, o.company_id, count(DISTINCT l.order_ref)
              FROM omni_settlement_line l
              JOIN omni_order o ON o.platform_order_no = l.order_ref AND o.channel_id <> %(channel)s
             WHERE l.settlement_id = %(sid)s AND l.state = 'other_channel'
             GROUP BY o.channel_id, o.company_id
            """,
            {"sid": self.id, "channel": channel.id},
        )
        found = cr.fetchall()
        if not found:
            return
        # the statement's order numbers: all, and those of orders of this channel
        cr.execute(
            """
            SELECT count(DISTINCT order_ref) FILTER (WHERE omni_order_id IS NOT NULL), count(DISTINCT order_ref)
              FROM omni_settlement_line
             WHERE settlement_id = %s AND order_ref IS NOT NULL AND state <> 'duplicate'
            """,
            [self.id],
        )
        ours, count = cr.fetchone()
        other_channels, other_company = {}, 0
        for channel_id, company_id, refs in found:
            if company_id == channel.company_id.id:
                other_channels[channel_id] = refs
            else:
                other_company += refs
        best = max(other_channels.items(), key=lambda item: item[1], default=(None, 0))
        if best[1] > ours:
            other = self.env["omni.channel"].browse(best[0])
            raise UserError(
                self.env._(
                    "File '%(filename)s' looks like a statement of channel %(other)s, not %(channel)s: "
                    "%(other_count)s of its %(count)s order numbers are orders of %(other)s, %(ours)s of "
                    "%(channel)s. Import it for channel %(other)s; nothing was recorded.",
                    filename=self.file_name,
                    other=other.display_name,
                    channel=channel.display_name,
                    other_count=best[1],
                    count=count,
                    ours=ours,
                )
            )
        if other_company > ours:
            raise UserError(
                self.env._(
                    "File '%(filename)s': %(ours)s of its %(count)s order numbers are orders of channel "
                    "%(channel)s of %(company)s. Is it a statement of another company? Nothing was recorded.",
                    filename=self.file_name,
                    ours=ours,
                    count=count,
                    channel=channel.display_name,
                    company=channel.company_id.name,
                )
            )

    def _set_period(self, parsed, facts):
        """Period from the file's title (Alipay, PDD) or its lines; opening
        and closing balance from its balance column."""
        date_from = (parsed.period_from or facts.first_at).date() if (parsed.period_from or facts.first_at) else None
        date_to = facts.last_at.date() if facts.last_at else None
        if parsed.period_to:
            end = parsed.period_to
            if end.time() == datetime.time():  # Alipay's end is exclusive
                end -= datetime.timedelta(seconds=1)
            date_to = end.date()
        guard.internal(self).write(
            {
                "date_from": date_from,
                "date_to": date_to,
                "opening_balance": facts.opening,
                "closing_balance": facts.closing,
            }
        )

    def _set_balance_break(self, facts):
        """The first line whose balance is not the one before plus its amount
        (found while reading), kept with the difference: it blocks posting
        until a Settlement Manager accepts it."""
        line = False
        if facts.break_at:
            sheet, row_no = facts.break_at
            line = self.env["omni.settlement.line"].search(
                [("settlement_id", "=", self.id), ("sheet", "=", sheet), ("row_no", "=", row_no)], limit=1
            )
        guard.internal(self).write(
            {
                "balance_break_line_id": line.id if line else False,
                "balance_break_amount": float(facts.break_amount) if line else 0.0,
                "balance_accepted_by_id": False,
                "balance_accepted_at": False,
            }
        )


class _Steps:
    """Time of each step into ``steps`` (a dict the caller put in the
    context: scripts/bench_settlements.py prints them); nothing otherwise."""

    def __init__(self, steps):
        self.steps = steps if isinstance(steps, dict) else None
        self.start = self.part_start = time.perf_counter()

    def __call__(self, name):
        if self.steps is not None:
            now = time.perf_counter()
            self.steps[name] = self.steps.get(name, 0.0) + now - self.start
            self.start = now
            self.part_start = now

    def add(self, name, seconds):
        if self.steps is not None:
            self.steps[name] = self.steps.get(name, 0.0) + seconds

    def part(self, name):
        """Time since the last part into ``- name`` (a part of the step that
        follows, e.g. how long the import waited for its reader thread)."""
        if self.steps is not None:
            now = time.perf_counter()
            key = f"- {name}"
            self.steps[key] = self.steps.get(key, 0.0) + now - self.part_start
            self.part_start = now


def _stage_pages(parsed, facts, pages, stop):
    """The reader thread: the rows of ``parsed`` as CSV pages of the staging
    table (STAGE_COLUMNS) into the queue ``pages``, then None; an error
    instead, once. Gathers ``facts`` on the way (count, first and last time,
    running balance); a serial number (with its amount) seen earlier in the
    file is flagged duplicate. Touches neither the cursor nor the
    environment (they are the other thread's); gives up when ``stop`` is
    set (the other thread failed)."""

    def put(item):
        while not stop.is_set():
            try:
                pages.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    started = time.thread_time()
    try:
        seen = set()
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        page = []
        for row in parsed.rows:
            facts.count += 1
            amount, local = row["amount"], row["line_at"]
            key = (row["serial_no"], amount)
            duplicate = key in seen
            if not duplicate:
                seen.add(key)
                if row["balance"] is not None:
                    facts.balance(row)
            if local:
                if facts.first_at is None or local < facts.first_at:
                    facts.first_at = local
                if facts.last_at is None or local > facts.last_at:
                    facts.last_at = local
            # None: an empty unquoted field, COPY's NULL in CSV
            page.append(
                (
                    row["row_no"], row["sheet"], row["serial_no"], local, row["order_ref"], row["sub_order_ref"],
                    row["type_text"], amount, row["fee_amount"], row["balance"], row["raw"], duplicate,
                )
            )  # fmt: skip
            if len(page) == PAGE_LINES:
                writer.writerows(page)
                if not put((buffer.getvalue(), len(page))):
                    return
                buffer.seek(0)
                buffer.truncate()
                page = []
        if page:
            writer.writerows(page)
            if not put((buffer.getvalue(), len(page))):
                return
        if parsed.finish:
            parsed.finish()  # the control totals: a file cut short is refused here
        facts.reader_cpu = time.thread_time() - started
        put(None)
    except Exception as err:  # noqa: BLE001 - handed to the other thread, which raises it
        put(err)


class _Facts:
    """What the import gathers while the lines stream by."""

    def __init__(self):
        self.count = 0
        self.reader_cpu = 0.0
        self.first_at = self.last_at = None
        self.opening = self.closing = None
        self.previous = {}  # sheet -> balance of its last line
        self.break_at, self.break_amount = None, 0

    def balance(self, row):
        amount, balance, sheet = row["amount"], row["balance"], row["sheet"]
        if self.opening is None:
            self.opening = balance - amount
        self.closing = balance
        previous = self.previous.get(sheet)
        if previous is not None and self.break_at is None and previous + amount != balance:
            self.break_at, self.break_amount = (sheet, row["row_no"]), balance - previous - amount
        self.previous[sheet] = balance
