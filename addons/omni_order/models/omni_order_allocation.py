# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Stock allocated to platform orders (占用库存): what is sold and not yet
reserved in the warehouse.

One row per (order, product, warehouse): the order's demand, bundles
exploded, 4 decimals. It is written set-based (one DELETE and one INSERT ...
SELECT per batch of orders) by ``omni.order._omni_allocate``, never by the
ORM, and always recomputed from the source of truth:

- an order in review (new, exception, to review), not merged into another:
  its lines and the lines of the orders merged into it, through the product
  relation table;
- a confirmed order: what its sale order's open deliveries still miss,
  i.e. the part of each customer move not yet reserved;
- any other order (merged into another, cancelled, shipped): nothing.

So an allocation is released exactly when its sale order's moves are
reserved (stock.move hooks in sale_order.py), or when the order is
cancelled, merged or split, and ``check_reconciliation`` proves that the
table equals the open demand.
"""

from odoo import api, fields, models
from odoo.tools import SQL


def demand_sql(root_filter):
    """SELECT of the open demand of the root orders that ``root_filter`` (an
    SQL condition on ``root``, the order that is merged into no other)
    keeps: one row per (order, product, warehouse, company), rounded to the
    4 decimals of the table."""
    return SQL(
        """
        SELECT order_id, product_id, warehouse_id, company_id, ROUND(SUM(qty)::numeric, 4) AS quantity
          FROM (
                SELECT root.id AS order_id, mp.product_id, ch.warehouse_id, root.company_id,
                       ln.quantity * mp.quantity AS qty
                  FROM omni_order root
                  JOIN omni_channel ch ON ch.id = root.channel_id
                  JOIN (
                        SELECT id AS order_id, id AS root_id FROM omni_order
                         UNION ALL
                        SELECT id, merged_into_id FROM omni_order WHERE merged_into_id IS NOT NULL
                       ) member ON member.root_id = root.id
                  JOIN omni_order_line ln ON ln.order_id = member.order_id
                  JOIN omni_product_mapping mp
                    ON mp.channel_id = root.channel_id AND mp.platform_sku = ln.platform_sku AND mp.active
                  JOIN product_product pp ON pp.id = mp.product_id AND pp.active
                 WHERE root.state IN ('new', 'exception', 'to_review') AND root.merged_into_id IS NULL
                   AND ch.warehouse_id IS NOT NULL AND ln.quantity > 0 AND %(filter)s
             UNION ALL
                SELECT root.id, mv.product_id, ch.warehouse_id, root.company_id,
                       mv.product_qty - mv.quantity * mv.product_qty / NULLIF(mv.product_uom_qty, 0)
                  FROM omni_order root
                  JOIN omni_channel ch ON ch.id = root.channel_id
                  JOIN sale_order_line sl ON sl.order_id = root.sale_order_id
                  JOIN stock_move mv ON mv.sale_line_id = sl.id
                  JOIN stock_location dest ON dest.id = mv.location_dest_id
                 WHERE root.state = 'confirmed' AND root.merged_into_id IS NULL AND ch.warehouse_id IS NOT NULL
                   AND mv.state NOT IN ('draft', 'done', 'cancel') AND dest.usage = 'customer' AND %(filter)s
               ) demand
         GROUP BY order_id, product_id, warehouse_id, company_id
        HAVING ROUND(SUM(qty)::numeric, 4) > 0
        """,
        filter=root_filter,
    )


class OmniOrderAllocation(models.Model):
    _name = "omni.order.allocation"
    _description = "Stock Allocated to a Platform Order"
    _order = "order_id, product_id"
    _log_access = False

    order_id = fields.Many2one("omni.order", required=True, readonly=True, index=True, ondelete="cascade")
    product_id = fields.Many2one("product.product", required=True, readonly=True, index=True, ondelete="cascade")
    warehouse_id = fields.Many2one("stock.warehouse", required=True, readonly=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    quantity = fields.Float(digits=(16, 4), readonly=True, help="Sold and not yet reserved, in the product's unit.")

    _sql_constraints = [
        (
            "order_product_uniq",
            "unique(order_id, product_id, warehouse_id)",
            "An order allocates a product once per warehouse.",
        ),
        ("quantity_positive", "CHECK(quantity > 0)", "An allocated quantity is positive."),
    ]

    @api.model
    def _allocate(self, order_ids):
        """Replace the allocations of these root orders by their open demand:
        one DELETE and one INSERT ... SELECT for the whole batch."""
        if not order_ids:
            return
        self.env.flush_all()
        ids = list(order_ids)
        cr = self.env.cr
        cr.execute(SQL("DELETE FROM omni_order_allocation WHERE order_id = ANY(%s)", ids))
        cr.execute(
            SQL(
                "INSERT INTO omni_order_allocation (order_id, product_id, warehouse_id, company_id, quantity) %s",
                demand_sql(SQL("root.id = ANY(%s)", ids)),
            )
        )
        self.invalidate_model()

    @api.model
    def _allocated_quantities(self, warehouse, product_ids):
        """{product_id: allocated and not yet reserved} in ``warehouse``."""
        if not product_ids:
            return {}
        self.flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT product_id, SUM(quantity) FROM omni_order_allocation"
                " WHERE warehouse_id = %s AND product_id = ANY(%s) GROUP BY product_id",
                warehouse.id,
                list(product_ids),
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def check_reconciliation(self):
        """XML-RPC: the differences between the allocation table and the open
        demand of the user's companies' orders, [{order_id, product_id,
        warehouse_id, allocated, demand}]; empty when they agree."""
        company_ids = self.env.companies.ids
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH demand AS (%s),
                     alloc AS (SELECT order_id, product_id, warehouse_id, quantity
                                 FROM omni_order_allocation WHERE company_id = ANY(%s))
                SELECT COALESCE(d.order_id, a.order_id), COALESCE(d.product_id, a.product_id),
                       COALESCE(d.warehouse_id, a.warehouse_id), COALESCE(a.quantity, 0), COALESCE(d.quantity, 0)
                  FROM demand d
                  FULL OUTER JOIN alloc a
                    ON a.order_id = d.order_id AND a.product_id = d.product_id AND a.warehouse_id = d.warehouse_id
                 WHERE ROUND(COALESCE(a.quantity, 0)::numeric, 4) != COALESCE(d.quantity, 0)
                 ORDER BY 1, 2
                """,
                demand_sql(SQL("root.company_id = ANY(%s)", company_ids)),
                company_ids,
            )
        )
        return [
            {"order_id": o, "product_id": p, "warehouse_id": w, "allocated": float(a), "demand": float(d)}
            for o, p, w, a, d in self.env.cr.fetchall()
        ]
