# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Classification (fee-type table), matching to platform orders and the
check of the statement's running balance: set-based SQL over the lines."""

import io

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


class OmniSettlement(models.Model):
    _inherit = "omni.settlement"

    def action_rematch(self):
        """Classify and match the lines again (after the fee-type table or the
        orders changed)."""
        self.check_access("write")
        for statement in self:
            if statement.state != "imported":
                raise UserError(self.env._("Only an imported statement (not posted) can be matched again: %(name)s.",
                                           name=statement.name))  # fmt: skip
            statement._classify()
            statement._match()
        return True

    def _classify(self):
        """Fee type and kind of every line from the channel's fee-type table:
        the distinct texts are classified once, then one UPDATE. A text no
        type covers leaves the line 'unmapped'."""
        self.ensure_one()
        cr = self.env.cr
        classify = self.env["omni.settlement.fee.type"]._classifier(self.channel_id)
        cr.execute(
            "SELECT DISTINCT type_text FROM omni_settlement_line WHERE settlement_id = %s AND state <> 'duplicate'",
            [self.id],
        )
        values = []
        for (text,) in cr.fetchall():
            fee_type = classify(text)
            if fee_type:
                values.append((text or "", fee_type.id, fee_type.kind))
        cr.execute(
            "UPDATE omni_settlement_line SET fee_type_id = NULL, kind = NULL, state = 'unmapped'"
            " WHERE settlement_id = %s AND state <> 'duplicate'",
            [self.id],
        )
        if values:
            cr.execute(
                SQL(
                    """
                    UPDATE omni_settlement_line l
                       SET fee_type_id = v.fee_type_id,
                           -- an order payment word with money going out is a refund (JD 货款 支出)
                           kind = CASE WHEN v.kind = 'sale' AND l.amount < 0 THEN 'refund' ELSE v.kind END
                      FROM (VALUES %s) AS v(type_text, fee_type_id, kind)
                     WHERE l.settlement_id = %s AND l.state <> 'duplicate' AND COALESCE(l.type_text, '') = v.type_text
                    """,
                    SQL(", ").join(SQL("(%s, %s, %s)", *value) for value in values),
                    self.id,
                )
            )
        self.env["omni.settlement.line"].invalidate_model()

    def _match(self):
        """Link each line to the platform order of its number in the channel,
        then its state: order unknown / of another channel / not shipped /
        refund without after-sales order / fee or payment matched; order
        payments and refunds are compared, per order and over every
        statement of the channel, with what the ledger booked."""
        self.ensure_one()
        cr = self.env.cr
        for model in ("omni.order", "omni.aftersale", "omni.retail.record", "omni.retail.record.line"):
            self.env[model].flush_model()
        cr.execute(
            """
            UPDATE omni_settlement_line l SET omni_order_id = o.id
              FROM omni_order o
             WHERE l.settlement_id = %(sid)s AND l.order_ref IS NOT NULL AND l.state <> 'duplicate'
               AND o.channel_id = %(channel)s AND o.platform_order_no = l.order_ref
            """,
            {"sid": self.id, "channel": self.channel_id.id},
        )
        # a line that names only a sub-order the shop keeps as its own order (split by the platform)
        cr.execute(
            """
            UPDATE omni_settlement_line l SET omni_order_id = o.id, order_ref = o.platform_order_no
              FROM omni_order o
             WHERE l.settlement_id = %(sid)s AND l.omni_order_id IS NULL AND l.sub_order_ref IS NOT NULL
               AND l.state <> 'duplicate' AND o.channel_id = %(channel)s AND o.platform_order_no = l.sub_order_ref
            """,
            {"sid": self.id, "channel": self.channel_id.id},
        )
        cr.execute(
            """
            UPDATE omni_settlement_line l
               SET order_diff = NULL,
                   state = CASE
                    WHEN l.kind IS NULL THEN 'unmapped'
                    WHEN l.order_ref IS NULL OR l.kind NOT IN ('sale', 'refund', 'fee') THEN 'no_order'
                    WHEN l.omni_order_id IS NULL THEN
                        CASE WHEN EXISTS (SELECT 1 FROM omni_order x
                                           WHERE x.platform_order_no = l.order_ref AND x.channel_id <> %(channel)s)
                             THEN 'other_channel' ELSE 'unknown_order' END
                    WHEN o.state <> 'shipped' THEN 'not_shipped'
                    WHEN l.kind = 'refund' AND NOT EXISTS (SELECT 1 FROM omni_aftersale a
                                                            WHERE a.omni_order_id = l.omni_order_id
                                                              AND a.state <> 'cancelled')
                        THEN 'refund_no_aftersale'
                    ELSE 'matched' END
              FROM omni_settlement_line l2 LEFT JOIN omni_order o ON o.id = l2.omni_order_id
             WHERE l2.id = l.id AND l.settlement_id = %(sid)s AND l.state <> 'duplicate'
            """,
            {"sid": self.id, "channel": self.channel_id.id},
        )
        self._compare_with_ledger()
        self.env["omni.settlement.line"].invalidate_model()
        self.invalidate_recordset(["line_count", "open_count", "unmapped_count", "duplicate_count", "amount_total"])

    def _compare_with_ledger(self, settled=None):
        """Order payments and refunds of the orders of this statement: what
        every statement of the channel settled for the order against what the
        ledger booked; 'amount_diff' (with the difference) where they differ,
        'matched' where they agree. ``settled``: order id -> what this
        statement settled, when the import gathered it while reading (else
        summed from the lines). The orders go through a temporary table the
        planner knows (half a million of them in the benchmark); only the
        lines of orders that differ are written."""
        cr = self.env.cr
        rematch = settled is None
        if rematch:
            cr.execute(
                """
                SELECT omni_order_id, sum(gross_amount) FROM omni_settlement_line
                 WHERE settlement_id = %s AND omni_order_id IS NOT NULL AND kind IN ('sale', 'refund')
                   AND state IN ('matched', 'amount_diff', 'refund_no_aftersale')
                 GROUP BY omni_order_id
                """,
                [self.id],
            )
            settled = dict(cr.fetchall())
            cr.execute(
                "UPDATE omni_settlement_line SET state = 'matched', order_diff = NULL"
                " WHERE settlement_id = %s AND state = 'amount_diff'",
                [self.id],
            )
        if not settled:
            return
        cr.execute(
            "CREATE TEMP TABLE IF NOT EXISTS omni_settlement_tmp_settled (order_id int, settled numeric)"
            " ON COMMIT DROP"
        )
        cr.execute("TRUNCATE omni_settlement_tmp_settled")
        data = io.StringIO("".join(f"{order_id}\t{amount}\n" for order_id, amount in settled.items()))
        cr._obj.copy_expert("COPY omni_settlement_tmp_settled FROM STDIN", data)
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
