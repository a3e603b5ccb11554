# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Import of a platform statement file: read line by line (readers.py),
each line classified (fee-type table) and matched (the channel's orders)
as it is read and written by COPY, then a few set-based SQL statements for
what needs all lines (duplicates of earlier statements, orders of another
channel, the comparison with the ledger, the running balance).

Measured in scripts/bench_settlements.py: a million Alipay lines against
500,000 orders; the per-line ORM path is some hundred times slower."""

import datetime
import gc
import time
from decimal import Decimal

from odoo import api, models
from odoo.exceptions import UserError

from odoo.addons.omni_base.tools import guard, sql, statement_file, tabular

from .. import readers
from .omni_settlement import IMPORT_LOCK_KEY

INSERTED_COLUMNS = (
    "settlement_id", "sheet", "row_no", "serial_no", "line_at", "line_date",
    "order_ref", "sub_order_ref", "type_text", "amount", "fee_amount", "gross_amount", "balance", "raw_values",
    "fee_type_id", "kind", "omni_order_id", "state",
)  # fmt: skip
# orders looked up in memory while the lines stream: those of the channel placed in the last days before the
# statement (older ones are found by one query on the lines left unknown)
ORDER_WINDOW_DAYS = 400
ORDER_KINDS = ("sale", "refund", "fee")


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
        statement_file.attach(statement, filename, content)
        return statement.with_env(self.env), content

    def _load_file(self, content):
        self.ensure_one()
        step = _Steps(self.env.context.get("omni_settlement_steps"))
        # the platform's default fee types for a channel that has none yet (a finance manager's table after)
        self.env["omni.settlement.fee.type"].sudo()._seed_defaults(self.channel_id)
        try:
            parsed = readers.read_statement(self.file_format, self.file_name, content)
            facts = self._insert_lines(parsed)
            if parsed.finish:
                parsed.finish()
        except tabular.TableError as err:
            raise UserError(self._table_message(err)) from err
        step("read, classify, match, COPY")
        if not facts.count:
            raise UserError(self.env._("File '%(filename)s' holds no statement line.", filename=self.file_name))
        self.env["omni.settlement.line"].invalidate_model()
        self._mark_earlier_duplicates()
        step("duplicates of earlier statements")
        ours = len(facts.known_refs)
        if facts.unknown_refs:
            ours += self._match_left_unknown(list(facts.unknown_refs), facts.settled)
        self._check_channel_of_orders(ours, len(facts.known_refs | facts.unknown_refs))
        step("orders unknown, channel check")
        self._compare_with_ledger(facts.settled)
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
    # Streaming: classify and match each line as it is read

    def _order_map(self, parsed):
        """platform order number -> (id, state) of the channel's recent orders."""
        self.env["omni.order"].flush_model()
        since = (parsed.period_from or datetime.datetime.now()) - datetime.timedelta(days=ORDER_WINDOW_DAYS)
        self.env.cr.execute(
            """
            SELECT platform_order_no, id, state FROM omni_order
             WHERE channel_id = %s AND (order_time IS NULL OR order_time >= %s)
            """,
            [self.channel_id.id, since],
        )
        return {number: (order_id, state) for number, order_id, state in self.env.cr.fetchall()}

    def _orders_with_aftersale(self):
        self.env["omni.aftersale"].flush_model()
        self.env.cr.execute(
            "SELECT DISTINCT omni_order_id FROM omni_aftersale WHERE channel_id = %s AND state <> 'cancelled'",
            [self.channel_id.id],
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _line_state(self, kind, order_ref, order, aftersales):
        """State of a line from its kind and its order (id, state) or None."""
        if not kind:
            return "unmapped"
        if not order_ref or kind not in ORDER_KINDS:
            return "no_order"
        if order is None:
            return "unknown_order"
        if order[1] != "shipped":
            return "not_shipped"
        if kind == "refund" and order[0] not in aftersales:
            return "refund_no_aftersale"
        return "matched"

    def _insert_lines(self, parsed):
        """COPY the lines as they are read. A serial number seen earlier in
        the file is kept as 'duplicate'. Returns what the later steps need,
        gathered on the way (a second pass over a million lines in SQL would
        cost more than the reading): line count, order numbers known and
        unknown, settled amount per order, first and last line, balances."""
        self.ensure_one()
        tz = self.company_id._omni_tz()
        classify = self.env["omni.settlement.fee.type"]._classifier(self.channel_id)
        fee_types = {}  # type text -> (fee type id, kind)
        orders = self._order_map(parsed)
        aftersales = self._orders_with_aftersale()
        line_state = self._line_state
        seen = set()
        offsets = {}
        sid = self.id
        facts = _Facts()

        def utc(local):
            day = local.date()
            offset = offsets.get(day)
            if offset is None:
                offset = offsets[day] = local.replace(tzinfo=tz).utcoffset()
            return local - offset

        def lines():
            settled, known, unknown = facts.settled, facts.known_refs, facts.unknown_refs
            for row in parsed.rows:
                facts.count += 1
                amount, text = row["amount"], row["type_text"]
                key = (row["serial_no"], amount)
                fee_type = fee_types.get(text)
                if fee_type is None:
                    found = classify(text)
                    fee_type = fee_types[text] = (found.id or None, found.kind or None)
                fee_type_id, kind = fee_type
                if kind == "sale" and amount < 0:
                    kind = "refund"  # an order payment word with money going out (JD 货款 支出)
                order_ref = row["order_ref"]
                order = orders.get(order_ref) if order_ref else None
                if order is None and row["sub_order_ref"]:
                    order = orders.get(row["sub_order_ref"])
                    if order is not None:
                        order_ref = row["sub_order_ref"]
                gross = amount - row["fee_amount"]
                if key in seen:
                    state = "duplicate"
                else:
                    seen.add(key)
                    state = line_state(kind, order_ref, order, aftersales)
                    if order_ref:
                        (known if order else unknown).add(order_ref)
                    if kind in ("sale", "refund") and state in ("matched", "refund_no_aftersale"):
                        settled[order[0]] = settled.get(order[0], 0) + gross
                    if row["balance"] is not None:
                        facts.balance(row)
                local = row["line_at"]
                if local:
                    facts.first_at = local if facts.first_at is None or local < facts.first_at else facts.first_at
                    facts.last_at = local if facts.last_at is None or local > facts.last_at else facts.last_at
                yield (
                    sid, row["sheet"], row["row_no"], row["serial_no"],
                    utc(local) if local else None, local.date() if local else None,
                    order_ref, row["sub_order_ref"], text, amount, row["fee_amount"], gross,
                    row["balance"], row["raw"], fee_type_id, kind, order[0] if order else None, state,
                )  # fmt: skip

        # a million short-lived rows: the cyclic collector would walk every live object again and again
        # (none of these rows forms a cycle)
        collecting = gc.isenabled()
        gc.disable()
        try:
            sql.bulk_copy(self.env, "omni_settlement_line", INSERTED_COLUMNS, lines(), audit=False)
        finally:
            if collecting:
                gc.enable()
        if facts.count > 10_000:
            # the planner must know the lines just written for the statements that follow (same transaction)
            self.env.cr.execute("ANALYZE omni_settlement_line")
        return facts

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

    def _match_left_unknown(self, refs, settled):
        """Lines whose order was not among the recent ones: an older order
        of the channel, or an order of another channel ('other_channel').
        Returns how many of ``refs`` are orders of the channel after all."""
        cr = self.env.cr
        cr.execute(
            """
            UPDATE omni_settlement_line l SET omni_order_id = o.id,
                   state = CASE WHEN o.state <> 'shipped' THEN 'not_shipped'
                                WHEN l.kind = 'refund' AND NOT EXISTS (
                                    SELECT 1 FROM omni_aftersale a
                                     WHERE a.omni_order_id = o.id AND a.state <> 'cancelled')
                                THEN 'refund_no_aftersale' ELSE 'matched' END
              FROM omni_order o
             WHERE l.settlement_id = %(sid)s AND l.state = 'unknown_order' AND l.order_ref = ANY(%(refs)s)
               AND o.channel_id = %(channel)s AND o.platform_order_no = l.order_ref
            RETURNING l.order_ref, l.omni_order_id, l.kind, l.state, l.gross_amount
            """,
            {"sid": self.id, "refs": refs, "channel": self.channel_id.id},
        )
        found = set()
        for order_ref, order_id, kind, state, gross in cr.fetchall():
            found.add(order_ref)
            if kind in ("sale", "refund") and state in ("matched", "refund_no_aftersale"):
                settled[order_id] = settled.get(order_id, 0) + Decimal(str(gross))
        found = len(found)
        cr.execute(
            """
            UPDATE omni_settlement_line l SET state = 'other_channel'
             WHERE l.settlement_id = %(sid)s AND l.state = 'unknown_order' AND l.order_ref = ANY(%(refs)s)
               AND EXISTS (SELECT 1 FROM omni_order x
                            WHERE x.platform_order_no = l.order_ref AND x.channel_id <> %(channel)s)
            """,
            {"sid": self.id, "refs": refs, "channel": self.channel_id.id},
        )
        return found

    def _check_channel_of_orders(self, ours, count):
        """Refuse a statement of another channel or company: its order
        numbers are orders of another channel, none (or fewer) of this one
        (``ours`` of its ``count`` order numbers are the channel's)."""
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
        other_channels, other_company = {}, 0
        for channel_id, company_id, refs in cr.fetchall():
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
        self.start = time.perf_counter()

    def __call__(self, name):
        if self.steps is not None:
            now = time.perf_counter()
            self.steps[name] = self.steps.get(name, 0.0) + now - self.start
            self.start = now


class _Facts:
    """What the import gathers while the lines stream by."""

    def __init__(self):
        self.count = 0
        self.known_refs, self.unknown_refs = set(), set()
        self.settled = {}  # order id -> payments and refunds (gross) of this statement
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
