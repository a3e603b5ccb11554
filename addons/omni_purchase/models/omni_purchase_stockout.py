# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

HISTORY_DAYS = 90


class OmniPurchaseStockout(models.Model):
    """A day a product had no free stock in a warehouse: its sales of that
    day say nothing about demand, so the suggestion's averages skip it."""

    _name = "omni.purchase.stockout"
    _description = "Out-of-Stock Day"
    _order = "day desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", required=True, readonly=True, check_company=True)
    product_id = fields.Many2one("product.product", required=True, readonly=True, ondelete="cascade")
    day = fields.Date(required=True, readonly=True)

    _sql_constraints = [
        ("day_uniq", "unique(warehouse_id, product_id, day)", "A product is out of stock once a day per warehouse."),
    ]

    @api.model
    def _cron_record_stockouts(self):
        """Record today (the company's day) for every product to buy that has
        no free stock in each warehouse. Safe to run twice. A warehouse with
        no day recorded yet (the module was just installed on a running
        business) first gets its last 90 days from the stock history."""
        for warehouse in self.env["stock.warehouse"].search([("company_id", "!=", False)]):
            if not self.search_count([("warehouse_id", "=", warehouse.id)], limit=1):
                self._record_history(warehouse)
            self._record_stockouts(warehouse)

    @api.model
    def _record_history(self, warehouse, days=HISTORY_DAYS):
        """Record the out-of-stock days of the ``days`` complete days before
        today from the stock history: a product's quantity on hand at the end
        of a day (company time) in the warehouse's stock locations is today's
        quantity minus what came into them since, plus what left them since
        (done moves; moves between two of them change nothing). A day that
        ended with nothing (or less) on hand is recorded. Reservations of the
        past are not known, so this reads on hand where the daily cron reads
        free stock. Safe to run twice (existing days are kept)."""
        company = warehouse.company_id
        tz = company._omni_tz()
        today = company._omni_today()
        start = today - timedelta(days=days)
        start_utc = tz.localize(datetime.combine(start, time.min)).astimezone(pytz.utc).replace(tzinfo=None)
        self.env.flush_all()
        stock_locations = self.env["stock.location"].search(
            [("id", "child_of", warehouse.lot_stock_id.id), ("usage", "=", "internal")]
        )
        engine = self.env["omni.purchase.engine"]
        # a large cost estimate would make PostgreSQL compile the statement (JIT) for longer than it runs
        self.env.cr.execute("SET LOCAL jit = off")
        self.env.cr.execute(
            SQL(
                """
                WITH prod AS (
                    SELECT pp.id AS product_id, pt.uom_id, u.factor::numeric AS uom_factor
                      FROM product_product pp
                      JOIN product_template pt ON pt.id = pp.product_tmpl_id
                      JOIN uom_uom u ON u.id = pt.uom_id
                     WHERE pp.active AND pt.active AND pt.is_storable AND pt.purchase_ok
                       AND (pt.company_id IS NULL OR pt.company_id = %(company)s)
                ), flows AS (
                    -- what came into the stock locations (+) or left them (-), per product and day
                    SELECT sm.product_id, %(move_day)s AS day, SUM(%(move_qty)s) AS qty
                      FROM stock_move sm
                      JOIN prod ON prod.product_id = sm.product_id
                     WHERE sm.state = 'done' AND sm.date >= %(start_utc)s
                       AND (sm.location_dest_id = ANY(%(locations)s)) <> (sm.location_id = ANY(%(locations)s))
                     GROUP BY 1, 2
                ), on_hand AS (
                    SELECT q.product_id, SUM(q.quantity) AS qty
                      FROM stock_quant q
                     WHERE q.location_id = ANY(%(locations)s)
                     GROUP BY q.product_id
                ), days AS (
                    SELECT d::date AS day FROM generate_series(%(start)s::date, %(today)s::date, '1 day') d
                ), grid AS (
                    -- every day of the window and today, with the flows of that day
                    SELECT prod.product_id, days.day, COALESCE(f.qty, 0) AS qty
                      FROM prod
                     CROSS JOIN days
                      LEFT JOIN flows f ON f.product_id = prod.product_id AND f.day = days.day
                ), end_of_day AS (
                    -- on hand at the end of a day = today's on hand − the flows of the days after it
                    SELECT g.product_id, g.day,
                           COALESCE(oh.qty, 0) - COALESCE(SUM(g.qty) OVER (
                               PARTITION BY g.product_id ORDER BY g.day DESC
                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS qty
                      FROM grid g
                      LEFT JOIN on_hand oh ON oh.product_id = g.product_id
                )
                INSERT INTO omni_purchase_stockout (company_id, warehouse_id, product_id, day,
                                                    create_uid, create_date, write_uid, write_date)
                SELECT %(company)s, %(warehouse)s, e.product_id, e.day, %(uid)s, now() at time zone 'UTC',
                       %(uid)s, now() at time zone 'UTC'
                  FROM end_of_day e
                 WHERE e.day < %(today)s AND e.qty <= 0
                ON CONFLICT (warehouse_id, product_id, day) DO NOTHING
                """,
                company=company.id,
                warehouse=warehouse.id,
                move_day=engine._local_day_sql("sm.date", tz.zone, engine._fixed_utc_offset(tz, start, today)),
                move_qty=engine._signed_move_qty_sql(stock_locations.ids or [0]),
                start=start,
                today=today,
                start_utc=start_utc,
                uid=self.env.uid,
                locations=stock_locations.ids or [0],
            )
        )
        self.invalidate_model()

    @api.model
    def _record_stockouts(self, warehouse, day=None):
        day = day or warehouse.company_id._omni_today()
        self.env.flush_all()
        stock_locations = self.env["stock.location"].search(
            [("id", "child_of", warehouse.lot_stock_id.id), ("usage", "=", "internal")]
        )
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO omni_purchase_stockout (company_id, warehouse_id, product_id, day,
                                                    create_uid, create_date, write_uid, write_date)
                SELECT %(company)s, %(warehouse)s, pp.id, %(day)s, %(uid)s, now() at time zone 'UTC',
                       %(uid)s, now() at time zone 'UTC'
                  FROM product_product pp
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE pp.active AND pt.active AND pt.is_storable AND pt.purchase_ok
                   AND (pt.company_id IS NULL OR pt.company_id = %(company)s)
                   AND COALESCE((SELECT SUM(q.quantity - q.reserved_quantity) FROM stock_quant q
                                  WHERE q.product_id = pp.id AND q.location_id = ANY(%(locations)s)), 0) <= 0
                ON CONFLICT (warehouse_id, product_id, day) DO NOTHING
                """,
                company=warehouse.company_id.id,
                warehouse=warehouse.id,
                day=day,
                uid=self.env.uid,
                locations=stock_locations.ids,
            )
        )
        self.invalidate_model()
