# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Receivable clearings were one row per order and month of a posted
statement; they become one row per statement and month, and by order only
the difference between what was cleared and what the month's lines settled
(``omni.settlement.clearing.diff``): the same amounts by order, month and
statement, summed from the lines and the differences."""


def migrate(cr, version):
    cr.execute(
        "SELECT count(*) FROM information_schema.columns"
        " WHERE table_name = 'omni_settlement_clearing' AND column_name = 'omni_order_id'"
    )
    if not cr.fetchone()[0]:
        return
    # what the lines of each posted month settled by order, against what was cleared for the order then
    cr.execute(
        """
        WITH settled AS (
            SELECT l.settlement_id, l.omni_order_id AS order_id, date_trunc('month', l.line_date)::date AS month,
                   sum(l.gross_amount) AS settled
              FROM omni_settlement_line l JOIN omni_settlement s ON s.id = l.settlement_id AND s.state = 'posted'
             WHERE l.state <> 'duplicate' AND l.kind IN ('sale', 'refund') AND l.omni_order_id IS NOT NULL
               AND l.line_date IS NOT NULL
             GROUP BY 1, 2, 3
        ), cleared AS (
            SELECT settlement_id, omni_order_id AS order_id, date_trunc('month', date)::date AS month,
                   max(date) AS date, sum(amount) AS cleared, min(create_uid) AS uid, min(create_date) AS at
              FROM omni_settlement_clearing WHERE omni_order_id IS NOT NULL
             GROUP BY 1, 2, 3
        ), posting AS (
            SELECT r.omni_settlement_id AS settlement_id, date_trunc('month', m.date)::date AS month,
                   max(m.date) AS date, min(m.create_uid) AS uid, min(m.create_date) AS at
              FROM account_move_omni_settlement_rel r JOIN account_move m ON m.id = r.account_move_id
             GROUP BY 1, 2
        )
        INSERT INTO omni_settlement_clearing_diff (settlement_id, omni_order_id, date, settled_amount, amount,
                                                   create_uid, write_uid, create_date, write_date)
        SELECT k.settlement_id, k.order_id, COALESCE(c.date, p.date), COALESCE(s.settled, 0),
               COALESCE(c.cleared, 0) - COALESCE(s.settled, 0), COALESCE(c.uid, p.uid), COALESCE(c.uid, p.uid),
               COALESCE(c.at, p.at), COALESCE(c.at, p.at)
          FROM (SELECT settlement_id, order_id, month FROM settled
                UNION SELECT settlement_id, order_id, month FROM cleared) k
          LEFT JOIN settled s USING (settlement_id, order_id, month)
          LEFT JOIN cleared c USING (settlement_id, order_id, month)
          LEFT JOIN posting p ON p.settlement_id = k.settlement_id AND p.month = k.month
         WHERE COALESCE(c.cleared, 0) <> COALESCE(s.settled, 0) AND COALESCE(c.date, p.date) IS NOT NULL
        """
    )
    cr.execute(
        """
        INSERT INTO omni_settlement_clearing (settlement_id, date, move_id, amount, order_count,
                                              create_uid, write_uid, create_date, write_date)
        SELECT settlement_id, date, move_id, sum(amount), count(*) FILTER (WHERE amount <> 0),
               min(create_uid), min(create_uid), min(create_date), min(create_date)
          FROM omni_settlement_clearing WHERE omni_order_id IS NOT NULL
         GROUP BY settlement_id, date, move_id
        """
    )
    cr.execute("DELETE FROM omni_settlement_clearing WHERE omni_order_id IS NOT NULL")
    cr.execute("ALTER TABLE omni_settlement_clearing DROP COLUMN omni_order_id")
