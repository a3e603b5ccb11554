# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Classification (fee-type table), matching to platform orders and the
check of the statement's running balance: set-based SQL over the lines."""

from decimal import Decimal

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.omni_channel.tools import guard

# what the ledger booked as platform receivable per platform order: its sale less its returns, posted
# records only, cash-on-delivery parts excluded (the courier collects those)
BOOKED_SQL = """
    SELECT o.id AS order_id, sum(rl.amount_total) AS booked
      FROM omni_order o
      JOIN omni_retail_record_line rl ON rl.kind = 'sale' AND rl.sale_order_id = o.sale_order_id
      JOIN omni_retail_record r ON r.id = rl.record_id AND r.state = 'posted'
     WHERE o.id = ANY(%(orders)s) AND rl.is_cod IS NOT TRUE AND rl.released IS NOT TRUE
     GROUP BY o.id
    UNION ALL
    SELECT a.omni_order_id, -sum(rl.amount_total)
      FROM omni_aftersale a
      JOIN omni_retail_record_line rl ON rl.kind = 'return' AND rl.aftersale_id = a.id
      JOIN omni_retail_record r ON r.id = rl.record_id AND r.state = 'posted'
     WHERE a.omni_order_id = ANY(%(orders)s) AND rl.is_cod IS NOT TRUE AND rl.released IS NOT TRUE
     GROUP BY a.omni_order_id
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
             WHERE l.settlement_id = %s AND l.order_ref IS NOT NULL AND l.state <> 'duplicate'
               AND o.channel_id = l.channel_id AND o.platform_order_no = l.order_ref
            """,
            [self.id],
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
                                           WHERE x.platform_order_no = l.order_ref AND x.channel_id <> l.channel_id)
                             THEN 'other_channel' ELSE 'unknown_order' END
                    WHEN o.state <> 'shipped' THEN 'not_shipped'
                    WHEN l.kind = 'refund' AND NOT EXISTS (SELECT 1 FROM omni_aftersale a
                                                            WHERE a.omni_order_id = l.omni_order_id
                                                              AND a.state <> 'cancelled')
                        THEN 'refund_no_aftersale'
                    ELSE 'matched' END
              FROM omni_settlement_line l2 LEFT JOIN omni_order o ON o.id = l2.omni_order_id
             WHERE l2.id = l.id AND l.settlement_id = %s AND l.state <> 'duplicate'
            """,
            [self.id],
        )
        self._compare_with_ledger()
        self.env["omni.settlement.line"].invalidate_model()
        self.invalidate_recordset(["line_count", "open_count", "unmapped_count", "duplicate_count", "amount_total"])

    def _compare_with_ledger(self):
        """Order payments and refunds of the orders of this statement: what
        every statement of the channel settled for the order against what the
        ledger booked; 'amount_diff' (with the difference) where they differ.
        Lines of posted statements keep their state (frozen)."""
        cr = self.env.cr
        cr.execute(
            """
            SELECT DISTINCT omni_order_id FROM omni_settlement_line
             WHERE settlement_id = %s AND state = 'matched' AND kind IN ('sale', 'refund')
            """,
            [self.id],
        )
        orders = [row[0] for row in cr.fetchall()]
        if not orders:
            return
        cr.execute(
            f"""
            WITH booked AS (
                SELECT order_id, sum(booked) AS booked FROM ({BOOKED_SQL}) b GROUP BY order_id
            ), settled AS (
                SELECT l.omni_order_id AS order_id, sum(l.gross_amount) AS settled
                  FROM omni_settlement_line l
                 WHERE l.omni_order_id = ANY(%(orders)s) AND l.kind IN ('sale', 'refund')
                   AND l.state IN ('matched', 'amount_diff', 'refund_no_aftersale')
                 GROUP BY l.omni_order_id
            )
            UPDATE omni_settlement_line l
               SET order_diff = s.settled - COALESCE(b.booked, 0),
                   state = CASE WHEN s.settled = COALESCE(b.booked, 0) THEN 'matched' ELSE 'amount_diff' END
              FROM settled s
              LEFT JOIN booked b ON b.order_id = s.order_id
             WHERE l.omni_order_id = s.order_id AND l.kind IN ('sale', 'refund')
               AND l.state IN ('matched', 'amount_diff')
               AND EXISTS (SELECT 1 FROM omni_settlement st WHERE st.id = l.settlement_id AND st.state <> 'posted')
            """,  # noqa: S608 - BOOKED_SQL is a constant of this module
            {"orders": orders},
        )

    def _check_balance(self):
        """The statement's own running balance (账户余额): every line's
        balance is the balance before it plus its amount. The first line
        where it is not is kept with the difference; it blocks posting until
        a Settlement Manager accepts it."""
        self.ensure_one()
        self.env.cr.execute(
            """
            SELECT id, sheet, amount, balance FROM omni_settlement_line
             WHERE settlement_id = %s AND balance IS NOT NULL AND state <> 'duplicate'
             ORDER BY sheet NULLS FIRST, row_no
            """,
            [self.id],
        )
        previous, sheet_seen = None, object()
        break_line, break_amount = False, 0.0
        for line_id, sheet, amount, balance in self.env.cr.fetchall():
            amount, balance = Decimal(str(amount)), Decimal(str(balance))
            if sheet != sheet_seen:
                previous, sheet_seen = None, sheet
            if previous is not None and previous + amount != balance:
                break_line, break_amount = line_id, float(balance - previous - amount)
                break
            previous = balance
        guard.internal(self).write(
            {
                "balance_break_line_id": break_line,
                "balance_break_amount": break_amount,
                "balance_accepted_by_id": False,
                "balance_accepted_at": False,
            }
        )
