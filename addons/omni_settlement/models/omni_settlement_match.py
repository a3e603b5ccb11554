# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Classification (fee-type table) and matching to platform orders: the
line-state rules, written once in SQL (:meth:`_matching_sql`) and run by
both the import (INSERT .. SELECT from its staging table) and *Match Again*
(UPDATE of the lines); then the comparison with the ledger."""

import contextlib

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

# what the ledger booked as platform receivable per platform order: its sale less its returns, posted
# records only, cash-on-delivery parts excluded (the courier collects those); {orders}: a query of order ids
BOOKED_SQL = """
    SELECT o.id AS order_id, sum(rl.amount_total) AS booked
      FROM omni_order o
      JOIN omni_retail_record_line rl ON rl.kind = 'sale' AND rl.sale_order_id = o.sale_order_id
      JOIN omni_retail_record r ON r.id = rl.record_id AND r.state = 'posted'
     WHERE o.id IN ({orders}) AND rl.is_cod IS NOT TRUE AND rl.released IS NOT TRUE
     GROUP BY o.id
    UNION ALL
    SELECT a.omni_order_id, -sum(rl.amount_total)
      FROM omni_aftersale a
      JOIN omni_retail_record_line rl ON rl.kind = 'return' AND rl.aftersale_id = a.id
      JOIN omni_retail_record r ON r.id = rl.record_id AND r.state = 'posted'
     WHERE a.omni_order_id IN ({orders}) AND rl.is_cod IS NOT TRUE AND rl.released IS NOT TRUE
     GROUP BY a.omni_order_id
"""
# the orders of a statement's order payments and refunds
STATEMENT_ORDERS = """
    SELECT DISTINCT omni_order_id FROM omni_settlement_line
     WHERE settlement_id = %(sid)s AND omni_order_id IS NOT NULL AND kind IN ('sale', 'refund')
       AND state <> 'duplicate'
"""


@contextlib.contextmanager
def planner_settings(cr):
    """PostgreSQL settings for the set-based statements of the import and
    of *Match Again*, restored after (a failure rolls them back with the
    import's savepoint or the transaction): no JIT compilation (1.5 s per
    chunk of the import's INSERT .. SELECT, measured, for queries whose cost
    estimate is large but which run in seconds) and the memory for their
    hash joins (a chunk of lines, half a million orders: spilled to disk in
    8 batches with the default 4 MB)."""
    cr.execute("SELECT current_setting('jit'), current_setting('work_mem')")
    jit, work_mem = cr.fetchone()
    cr.execute("SELECT set_config('jit', 'off', true), set_config('work_mem', '128MB', true)")
    yield
    cr.execute("SELECT set_config('jit', %s, true), set_config('work_mem', %s, true)", [jit, work_mem])


class OmniSettlement(models.Model):
    _inherit = "omni.settlement"

    def action_rematch(self):
        """Classify and match the lines again (after the fee-type table or the
        orders changed): the import's own rules (:meth:`_matching_sql`)."""
        self.check_access("write")
        for statement in self:
            if statement.state != "imported":
                raise UserError(self.env._("Only an imported statement (not posted) can be matched again: %(name)s.",
                                           name=statement.name))  # fmt: skip
            with planner_settings(self.env.cr):
                statement._match()
        return True

    # ------------------------------------------------------------------
    # The rules, once

    def _fee_type_map(self, texts, known=None):
        """Classify the platform's words ``texts`` (the distinct ones: a few
        dozen in a million lines) through the channel's fee-type table into
        the temporary table omni_settlement_tmp_types (type text -> fee type,
        kind) that :meth:`_matching_sql` joins; a text no type covers gets no
        row (its lines wait as 'unmapped'). ``known``: the set of texts put
        there already (the import adds those of each chunk); without it the
        table is emptied first. Returns the set."""
        cr = self.env.cr
        cr.execute(
            "CREATE TEMP TABLE IF NOT EXISTS omni_settlement_tmp_types"
            " (type_text varchar PRIMARY KEY, fee_type_id int, kind varchar) ON COMMIT DROP"
        )
        if known is None:
            cr.execute("TRUNCATE omni_settlement_tmp_types")
            known = set()
        new = {text or "" for text in texts} - known
        if new:
            classify = self.env["omni.settlement.fee.type"]._classifier(self.channel_id)
            values = []
            for text in sorted(new):
                fee_type = classify(text)
                if fee_type:
                    values.append(SQL("(%s, %s, %s)", text, fee_type.id, fee_type.kind))
            if values:
                cr.execute(SQL("INSERT INTO omni_settlement_tmp_types VALUES %s", SQL(", ").join(values)))
            known |= new
        return known

    def _matching_sql(self, source):
        """The line-state rules, the one implementation of them: a SELECT of
        every row of ``source`` (SQL of a relation with the columns
        order_ref, sub_order_ref, type_text, amount and duplicate, any others
        passed through) with what the matching makes of it:

        - ``fee_type_id``, ``kind``: the fee type of its words (the temporary
          table of :meth:`_fee_type_map`); an order payment word with money
          going out is a refund (JD 货款 支出);
        - ``omni_order_id``, ``matched_ref``: the channel's order of its order
          number, else of its sub-order number (a sub-order the shop keeps as
          its own order, split by the platform), whose number it then takes;
        - ``state``: duplicate (flagged by the caller) / fee type unknown /
          without order (no number, or a payout, deposit, ...) / order of
          another channel / order unknown / order not shipped / refund
          without after-sales order / matched. 'Amount differs from the
          ledger' comes after, per order (:meth:`_compare_with_ledger`).

        The import runs it in its INSERT .. SELECT from the staging table,
        *Match Again* in its UPDATE of the lines."""
        self.ensure_one()
        return SQL(
            """
            SELECT m.*,
                   CASE
                    WHEN m.duplicate THEN 'duplicate'
                    WHEN m.kind IS NULL THEN 'unmapped'
                    WHEN m.matched_ref IS NULL OR m.kind NOT IN ('sale', 'refund', 'fee') THEN 'no_order'
                    WHEN m.omni_order_id IS NULL THEN
                        CASE WHEN EXISTS (SELECT 1 FROM omni_order x
                                           WHERE x.platform_order_no = m.matched_ref AND x.channel_id <> %(channel)s)
                             THEN 'other_channel' ELSE 'unknown_order' END
                    WHEN m.order_state <> 'shipped' THEN 'not_shipped'
                    WHEN m.kind = 'refund' AND NOT EXISTS (SELECT 1 FROM omni_aftersale a
                                                            WHERE a.omni_order_id = m.omni_order_id
                                                              AND a.state <> 'cancelled')
                        THEN 'refund_no_aftersale'
                    ELSE 'matched' END AS state
              FROM (
                SELECT s.*, f.fee_type_id,
                       CASE WHEN f.kind = 'sale' AND s.amount < 0 THEN 'refund' ELSE f.kind END AS kind,
                       COALESCE(o.id, so.id) AS omni_order_id,
                       COALESCE(o.state, so.state) AS order_state,
                       CASE WHEN o.id IS NULL AND so.id IS NOT NULL THEN so.platform_order_no
                            ELSE s.order_ref END AS matched_ref
                  FROM (%(source)s) s
                  LEFT JOIN omni_settlement_tmp_types f ON f.type_text = COALESCE(s.type_text, '')
                  LEFT JOIN omni_order o ON o.channel_id = %(channel)s AND o.platform_order_no = s.order_ref
                  -- looked up (by index) only for the lines whose order number is no order of the channel
                  -- (OFFSET 0: not flattened into a hash of every order of the channel, for each chunk)
                  LEFT JOIN LATERAL (
                    SELECT x.id, x.state, x.platform_order_no FROM omni_order x
                     WHERE o.id IS NULL AND x.channel_id = %(channel)s AND x.platform_order_no = s.sub_order_ref
                    OFFSET 0
                  ) so ON TRUE
              ) m
            """,
            source=source,
            channel=self.channel_id.id,
        )

    def _match(self):
        """*Match Again*: every line but the duplicates through
        :meth:`_matching_sql`, then compared with the ledger."""
        self.ensure_one()
        cr = self.env.cr
        for model in ("omni.order", "omni.aftersale", "omni.retail.record", "omni.retail.record.line"):
            self.env[model].flush_model()
        cr.execute(
            "SELECT DISTINCT type_text FROM omni_settlement_line WHERE settlement_id = %s AND state <> 'duplicate'",
            [self.id],
        )
        self._fee_type_map([text for (text,) in cr.fetchall()])
        source = SQL(
            """
            SELECT id AS line_id, order_ref, sub_order_ref, type_text, amount, FALSE AS duplicate
              FROM omni_settlement_line WHERE settlement_id = %s AND state <> 'duplicate'
            """,
            self.id,
        )
        cr.execute(
            SQL(
                """
                UPDATE omni_settlement_line l
                   SET fee_type_id = r.fee_type_id, kind = r.kind, omni_order_id = r.omni_order_id,
                       order_ref = r.matched_ref, state = r.state, order_diff = NULL
                  FROM (%s) r
                 WHERE l.id = r.line_id
                """,
                self._matching_sql(source),
            )
        )
        self._compare_with_ledger()
        self.env["omni.settlement.line"].invalidate_model()
        self.invalidate_recordset(["line_count", "open_count", "unmapped_count", "duplicate_count", "amount_total"])

    def _compare_with_ledger(self):
        """Order payments and refunds of the orders of this statement: what
        every statement of the channel settled for the order against what the
        ledger booked; 'amount_diff' (with the difference) where they differ.
        The orders go through a temporary table the planner knows (half a
        million of them in the benchmark); only the lines of orders that
        differ are written."""
        cr = self.env.cr
        cr.execute(
            "CREATE TEMP TABLE IF NOT EXISTS omni_settlement_tmp_settled (order_id int, settled numeric)"
            " ON COMMIT DROP"
        )
        cr.execute("TRUNCATE omni_settlement_tmp_settled")
        cr.execute(
            """
            INSERT INTO omni_settlement_tmp_settled
            SELECT omni_order_id, sum(gross_amount) FROM omni_settlement_line
             WHERE settlement_id = %s AND omni_order_id IS NOT NULL AND kind IN ('sale', 'refund')
               AND state IN ('matched', 'amount_diff', 'refund_no_aftersale')
             GROUP BY omni_order_id
            """,
            [self.id],
        )
        if not cr.rowcount:
            return
        cr.execute("ANALYZE omni_settlement_tmp_settled")
        booked = BOOKED_SQL.format(orders="SELECT order_id FROM omni_settlement_tmp_settled")
        cr.execute(
            f"""
            WITH earlier AS (
                SELECT l.omni_order_id AS order_id, sum(l.gross_amount) AS settled
                  FROM omni_settlement_line l JOIN omni_settlement_tmp_settled t ON t.order_id = l.omni_order_id
                 WHERE l.kind IN ('sale', 'refund') AND l.state IN ('matched', 'amount_diff', 'refund_no_aftersale')
                   -- the orders are the channel's: the lines of its other statements only (none the first time)
                   AND l.settlement_id IN (SELECT id FROM omni_settlement
                                            WHERE channel_id = %(channel)s AND id <> %(sid)s)
                 GROUP BY l.omni_order_id
            ), booked AS (
                SELECT order_id, sum(booked) AS booked FROM ({booked}) b GROUP BY order_id
            )
            SELECT t.order_id, t.settled + COALESCE(e.settled, 0) - COALESCE(b.booked, 0)
              FROM omni_settlement_tmp_settled t
              LEFT JOIN earlier e ON e.order_id = t.order_id
              LEFT JOIN booked b ON b.order_id = t.order_id
             WHERE t.settled + COALESCE(e.settled, 0) - COALESCE(b.booked, 0) <> 0
            """,  # noqa: S608 - constant SQL of this module
            {"sid": self.id, "channel": self.channel_id.id},
        )
        diffs = cr.fetchall()
        if diffs:
            cr.execute(
                SQL(
                    """
                    UPDATE omni_settlement_line l SET state = 'amount_diff', order_diff = v.diff
                      FROM (VALUES %s) AS v(order_id, diff)
                     WHERE l.omni_order_id = v.order_id AND l.kind IN ('sale', 'refund')
                       AND l.state IN ('matched', 'amount_diff')
                       AND EXISTS (SELECT 1 FROM omni_settlement st
                                    WHERE st.id = l.settlement_id AND st.state <> 'posted')
                    """,
                    SQL(", ").join(SQL("(%s, %s::numeric)", order_id, diff) for order_id, diff in diffs),
                )
            )
        self.env["omni.settlement.line"].invalidate_model(["state", "order_diff"])
