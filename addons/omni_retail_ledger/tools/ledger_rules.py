# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What 'shipped' and 'invoiced one by one' mean for the retail ledger, in
one place: the generation of retail records and the check report that
compares them with the warehouse use these same SQL fragments, so they can
never disagree on which sale orders count."""

from odoo.tools import SQL


def shipped_deliveries(sale_order_id):
    """Subquery (for a LATERAL join) over the outgoing deliveries of the sale
    order ``sale_order_id`` (an SQL expression such as ``SQL("so.id")``):

    - ``closed``: every delivery is done or cancelled;
    - ``shipped_at``: when the last one was done (NULL when none was);
    - ``courier_code``: the code of that last delivery's courier (its carrier).

    A sale order is *shipped* when ``closed AND shipped_at IS NOT NULL``
    (:func:`is_shipped`), on the day of ``shipped_at`` in the company's time
    zone: a backorder still open keeps it out of the ledger."""
    return SQL(
        """
        SELECT max(p.date_done) FILTER (WHERE p.state = 'done') AS shipped_at,
               bool_and(p.state IN ('done', 'cancel')) AS closed,
               (array_agg(dc.omni_courier_code ORDER BY p.date_done DESC, p.id DESC)
                   FILTER (WHERE p.state = 'done'))[1] AS courier_code
          FROM stock_picking p
          JOIN stock_picking_type t ON t.id = p.picking_type_id AND t.code = 'outgoing'
          LEFT JOIN delivery_carrier dc ON dc.id = p.carrier_id
         WHERE p.sale_id = %s
        """,
        sale_order_id,
    )


def is_shipped(alias):
    """Condition on the columns of :func:`shipped_deliveries` joined as ``alias``."""
    return SQL("%(a)s.closed AND %(a)s.shipped_at IS NOT NULL", a=SQL.identifier(alias))


def invoiced_order_lines():
    """FROM ... WHERE over ``sale_order_line sol`` keeping the lines of a
    posted customer invoice or credit note: an order with such a line was
    *invoiced one by one*; its revenue went through invoicing, so the ledger
    leaves it out (add ``AND sol.order_id = ...`` to it)."""
    return SQL(
        """
        sale_order_line sol
          JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = sol.id
          JOIN account_move_line aml ON aml.id = rel.invoice_line_id
          JOIN account_move am ON am.id = aml.move_id
         WHERE am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
        """
    )
