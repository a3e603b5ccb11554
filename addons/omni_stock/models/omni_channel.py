# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from odoo.addons.omni_order.models.omni_order_allocation import planner_settings

# the plan of a sync's statements, whatever the statistics say (they know neither the arrays passed
# nor, right after an import or a burst, the tables' new rows): every look-up into a large table is
# an index look-up per row (LATERAL ... OFFSET 0: not flattened into a join), every other join a hash
# join; no JIT compilation. Planned on the estimates, the statement of 8 channels ran 16.6 s (nested
# loops over aggregates it took for one row; 0.26 s of JIT compiling) where this plan takes 0.3 s
SYNC_PLANNER = {"enable_nestloop": "off", "jit": "off"}
# the tables a sync's statements read, analysed when a bulk write made their statistics stale (the SKU
# states: by the sync that added them, at its end; the updates of a sync change no plan)
STATISTICS_TABLES = ("omni_product_mapping", "omni_stock_change", "stock_quant")

_logger = logging.getLogger(__name__)

# first key of the advisory lock taken while a channel's stock is synced
SYNC_LOCK_KEY = 7_146_001
# key of the transaction's changed stock in cr.precommit.data
PUSH_DIRTY_KEY = "omni_stock.changed"
# channels whose pushes run at once in a sync of several channels (_sync_stock_channels)
PUSH_WORKERS = 8


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    stock_ratio = fields.Float(
        string="Stock Share",
        default=1.0,
        digits=(4, 4),
        help="Share of the sellable stock offered on this channel, e.g. 0.8 for 80 %.",
    )
    stock_safety_qty = fields.Float(
        string="Safety Quantity",
        digits="Product Unit of Measure",
        help="Kept back from every product before the share is applied.",
    )
    stock_sync_interval = fields.Integer(string="Incremental Sync Every (minutes)", default=15)
    stock_full_sync_hour = fields.Float(string="Full Sync At", default=3.0, help="Local time, every night.")
    stock_push_on_change = fields.Boolean(
        string="Push on Stock Change",
        default=True,
        help="A stock change of a product sold here (delivery, receipt, order allocated or released) queues an "
        "incremental sync of this channel, run after the delay below: the changes of that delay go in one push.",
    )
    stock_push_delay = fields.Integer(
        string="Push Delay (seconds)",
        default=20,
        help="Seconds between the first stock change and its push; the changes made meanwhile wait for the "
        "same push.",
    )
    last_incremental_sync_at = fields.Datetime(readonly=True)
    last_full_sync_at = fields.Datetime(readonly=True)
    stock_change_snapshot = fields.Char(
        readonly=True,
        copy=False,
        help="Technical: the transactions the last stock sync saw (a PostgreSQL snapshot); the next incremental "
        "sync recomputes the SKUs that the others changed.",
    )
    stock_failed_sku_count = fields.Integer(compute="_compute_stock_failed_sku_count", string="SKUs Failing")
    last_stock_sync_id = fields.Many2one("omni.stock.sync", compute="_compute_last_stock_sync_id")
    last_stock_sync_state = fields.Selection(
        selection=lambda self: self.env["omni.stock.sync"]._fields["state"].selection,
        compute="_compute_last_stock_sync_id",
        string="Last Stock Sync Result",
    )

    _sql_constraints = [
        ("stock_ratio_range", "CHECK(stock_ratio >= 0 AND stock_ratio <= 1)", "The stock share is between 0 and 1."),
        ("stock_push_delay_positive", "CHECK(stock_push_delay >= 0)", "The push delay is not negative."),
    ]

    def _compute_stock_failed_sku_count(self):
        counts = dict(
            self.env["omni.stock.sku.state"]._read_group(
                [("channel_id", "in", self.ids), ("failed", "=", True)], ["channel_id"], ["__count"]
            )
        )
        for channel in self:
            channel.stock_failed_sku_count = counts.get(channel, 0)

    def _compute_last_stock_sync_id(self):
        last = dict(
            self.env["omni.stock.sync"]._read_group([("channel_id", "in", self.ids)], ["channel_id"], ["id:max"])
        )
        for channel in self:
            channel.last_stock_sync_id = last.get(channel, False)
            channel.last_stock_sync_state = channel.last_stock_sync_id.state

    def action_open_last_stock_sync(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "omni.stock.sync",
            "res_id": self.last_stock_sync_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # --- sellable stock ---------------------------------------------------------
    @api.model
    def get_sellable_stock(self, channel_code, platform_skus=None):
        """XML-RPC: {platform_sku: quantity} the channel may sell: free
        quantity (on hand minus reserved minus what platform orders of every
        channel allocated and is not reserved yet) in the channel's
        warehouse, minus the safety quantity, times the share, rounded down,
        never negative; a bundle gives what its scarcest component allows."""
        channel = self._get_by_code(channel_code)
        return channel._sellable_quantities(platform_skus)

    def _sellable_quantities(self, platform_skus=None):
        """{platform_sku: sellable quantity} of the channel's SKUs (all, or
        ``platform_skus``); the caller needs read access to the quants."""
        self.ensure_one()
        self.env["stock.quant"].check_access("read")
        return dict(self._compute_sellable(None if platform_skus is None else list(platform_skus)))

    def _compute_sellable(self, skus):
        """[(platform_sku, quantity)] of the channel's SKUs (all, or the list
        ``skus``), computed by :meth:`_compute_sellable_channels`."""
        self.ensure_one()
        return [(sku, quantity) for _channel, sku, quantity in self._compute_sellable_channels({self.id: skus})]

    def _compute_sellable_channels(self, skus, compare=False):
        """[(channel id, platform_sku, quantity)] of the SKUs of the channels
        of ``self``, ``skus`` saying which ({channel id: list of SKUs, or None
        for all of them}), in one statement whatever the number of channels:
        free quantity (on hand minus reserved in the channel warehouse's
        stock location and below, minus what platform orders of every
        channel and company allocated there and is not reserved yet), minus
        the channel's safety quantity, times its share, floored, never
        negative; a bundle gives what its scarcest component allows; a SKU
        with an archived product is left out. In float8 like the Python
        formula it replaced (same IEEE operations in the same order: the
        same result to the unit).

        The SKUs are passed as arrays, never joined to the relation table,
        so that the plan stays linear when the statistics do not know the
        channels' rows yet, e.g. right after a relation table was imported
        (a self-join planned for one row ran for minutes).

        ``compare``: [(channel id, platform_sku, quantity, to_send, known,
        last_quantity, last_sent_at)]: to_send when the platform has not
        accepted that quantity (never sent, failed or different); known,
        last_quantity and last_sent_at: the SKU state before this sync (a
        failed push puts them back, _record_sync_failures)."""
        for channel in self:
            if not channel.warehouse_id:
                raise ValidationError(self.env._("Channel %(channel)s has no warehouse.", channel=channel.display_name))
        self.env.flush_all()
        listed = [(channel.id, sku) for channel in self if skus[channel.id] is not None for sku in skus[channel.id]]
        computed = SQL(
            """
            WITH ch AS (
                SELECT * FROM unnest(%(ids)s::int[], %(warehouses)s::int[], %(paths)s::varchar[],
                                     %(safety)s::float8[], %(ratio)s::float8[])
                           AS ch(id, warehouse_id, path, safety, ratio)
            ),
            parts AS MATERIALIZED (
                SELECT k.channel_id, mp.platform_sku, mp.product_id, mp.quantity::float8 AS quantity, p.active
                  FROM unnest(%(listed_channels)s::int[], %(listed_skus)s::varchar[]) AS k(channel_id, platform_sku)
                 CROSS JOIN LATERAL (
                       SELECT mp.platform_sku, mp.product_id, mp.quantity FROM omni_product_mapping mp
                        WHERE mp.channel_id = k.channel_id AND mp.platform_sku = k.platform_sku AND mp.active
                       OFFSET 0
                 ) mp
                 CROSS JOIN LATERAL (SELECT p.active FROM product_product p WHERE p.id = mp.product_id OFFSET 0) p
                 UNION ALL
                SELECT mp.channel_id, mp.platform_sku, mp.product_id, mp.quantity::float8 AS quantity, p.active
                  FROM omni_product_mapping mp
                  JOIN product_product p ON p.id = mp.product_id
                 WHERE mp.channel_id = ANY(%(everything)s::int[]) AND mp.active
            ),
            locations AS MATERIALIZED (
                SELECT w.warehouse_id, loc.id AS location_id
                  FROM (SELECT DISTINCT warehouse_id, path FROM ch) w
                  JOIN stock_location loc ON loc.parent_path LIKE w.path
            ),
            products AS MATERIALIZED (
                SELECT DISTINCT ch.warehouse_id, parts.product_id FROM parts JOIN ch ON ch.id = parts.channel_id
            ),
            quants AS (
                SELECT pr.warehouse_id, pr.product_id,
                       SUM(q.quantity)::float8 AS quantity, SUM(q.reserved_quantity)::float8 AS reserved
                  FROM products pr
                 CROSS JOIN LATERAL (
                       SELECT q.location_id, q.quantity, q.reserved_quantity FROM stock_quant q
                        WHERE q.product_id = pr.product_id
                       OFFSET 0
                 ) q
                  JOIN locations l ON l.warehouse_id = pr.warehouse_id AND l.location_id = q.location_id
                 GROUP BY pr.warehouse_id, pr.product_id
            ),
            allocated AS (
                SELECT pr.warehouse_id, pr.product_id, SUM(a.quantity)::float8 AS quantity
                  FROM products pr
                 CROSS JOIN LATERAL (
                       SELECT a.quantity FROM omni_order_allocation a
                        WHERE a.product_id = pr.product_id AND a.warehouse_id = pr.warehouse_id
                       OFFSET 0
                 ) a
                 GROUP BY pr.warehouse_id, pr.product_id
            ),
            free AS (
                SELECT pr.warehouse_id, pr.product_id,
                       COALESCE(quants.quantity, 0) - COALESCE(quants.reserved, 0)
                       - COALESCE(allocated.quantity, 0) AS free
                  FROM products pr
                  LEFT JOIN quants ON quants.warehouse_id = pr.warehouse_id AND quants.product_id = pr.product_id
                  LEFT JOIN allocated
                    ON allocated.warehouse_id = pr.warehouse_id AND allocated.product_id = pr.product_id
            ),
            computed AS (
                SELECT parts.channel_id, parts.platform_sku,
                       GREATEST(0, FLOOR(MIN(GREATEST(0::float8, (free.free - ch.safety) * ch.ratio) / parts.quantity)
                                         + 1e-6::float8))::int AS quantity
                  FROM parts
                  JOIN ch ON ch.id = parts.channel_id
                  JOIN free ON free.warehouse_id = ch.warehouse_id AND free.product_id = parts.product_id
                 GROUP BY parts.channel_id, parts.platform_sku
                HAVING bool_and(parts.active)
            )
            SELECT c.channel_id, c.platform_sku, c.quantity %(compared)s
              FROM computed c %(states)s
            """,
            ids=self.ids,
            warehouses=[channel.warehouse_id.id for channel in self],
            paths=[channel.warehouse_id.lot_stock_id.parent_path + "%" for channel in self],
            safety=[float(channel.stock_safety_qty) for channel in self],
            ratio=[float(channel.stock_ratio) for channel in self],
            listed_channels=[channel_id for channel_id, _sku in listed],
            listed_skus=[sku for _channel, sku in listed],
            everything=[channel.id for channel in self if skus[channel.id] is None],
            compared=SQL(
                """, st.id IS NULL OR st.failed OR st.last_quantity IS DISTINCT FROM c.quantity,
                     st.id IS NOT NULL, st.last_quantity, st.last_sent_at"""
            )
            if compare
            else SQL(),
            states=SQL(
                """LEFT JOIN LATERAL (
                       SELECT st.id, st.failed, st.last_quantity, st.last_sent_at FROM omni_stock_sku_state st
                        WHERE st.channel_id = c.channel_id AND st.platform_sku = c.platform_sku
                       OFFSET 0
                   ) st ON true"""
            )
            if compare
            else SQL(),
        )
        with planner_settings(self.env.cr, **SYNC_PLANNER):
            self.env.cr.execute(computed)
            return self.env.cr.fetchall()
