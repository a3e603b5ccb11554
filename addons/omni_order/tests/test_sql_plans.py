# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Plans at the peak: a large batch leaves the tables it filled analysed
(the next statements are planned on current statistics), and the
reconciliation query, whose plan no longer depends on them, still reports
every difference from both sides. No timing here: scripts/bench.sh
order_intake measures it on a fresh database."""

from unittest.mock import patch

from odoo.tests import TransactionCase
from odoo.tools import SQL

from odoo.addons.omni_order.models import omni_order_allocation

from .common import OmniOrderTestMixin

TABLES = ("omni_order", "omni_order_line", "omni_order_allocation")


class TestSqlPlans(OmniOrderTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.channel.auto_confirm = False  # the orders stay open, allocated
        cls.Order = cls.env["omni.order"]
        cls.Allocation = cls.env["omni.order.allocation"]

    def _import(self, count, prefix):
        orders = [
            self._order(
                f"{prefix}{i}",
                paid_amount="291.00",
                lines=[
                    {"platform_sku": "TM-TEA-250G", "quantity": "1", "unit_price": "99"},
                    {"platform_sku": "TM-GIFT-BOX", "quantity": "2", "unit_price": "93"},
                ],
            )
            for i in range(count)
        ]
        results = self.Order.import_orders("TMALL01", orders)
        return self.Order.browse([r["order_id"] for r in results])

    def _known_rows(self):
        """{table: (rows its statistics know, rows this transaction sees)}."""
        result = {}
        for table in TABLES:
            self.env.cr.execute(
                SQL(
                    "SELECT reltuples, (SELECT count(*) FROM %s) FROM pg_class WHERE relname = %s",
                    SQL.identifier(table),
                    table,
                )
            )
            result[table] = tuple(int(value) for value in self.env.cr.fetchone())
        return result

    def test_large_batch_analyses_the_tables_it_filled(self):
        with (
            patch.object(omni_order_allocation, "ANALYZE_MIN_ROWS", 3),
            patch.object(omni_order_allocation, "ANALYZE_MIN_SHARE", 0.0),
        ):
            orders = self._import(5, "BIG")
        self.assertEqual(len(orders), 5)
        # ANALYZE counts the rows of this (uncommitted) transaction: the
        # statistics know exactly the rows there are now
        for table, (known, rows) in self._known_rows().items():
            self.assertEqual(known, rows, f"{table} analysed after the batch")

    def test_threshold_counts_the_rows_written_and_those_since_the_last_analyze(self):
        refresh = omni_order_allocation.refresh_statistics
        with patch.object(omni_order_allocation, "ANALYZE_MIN_SHARE", 0.0):
            with patch.object(omni_order_allocation, "ANALYZE_MIN_ROWS", 10**12):
                self.assertEqual(refresh(self.env, {"omni_order": 5}), [], "a small batch: left to autovacuum")
            with patch.object(omni_order_allocation, "ANALYZE_MIN_ROWS", 3):
                self.assertEqual(
                    refresh(self.env, {"omni_order": 5, "omni_order_line": 0}),
                    ["omni_order"],
                    "above the threshold; a table nothing was written to is not analysed",
                )
        with patch.object(omni_order_allocation, "ANALYZE_MIN_ROWS", 3):
            # a table whose statistics know far more rows than the batch
            # changed keeps them
            self.env.cr.execute("SELECT reltuples FROM pg_class WHERE relname = 'res_country'")
            known = self.env.cr.fetchone()[0]
            self.assertGreater(known, 100)
            self.assertEqual(refresh(self.env, {"res_country": 5}), [])

    def test_reconciliation_reports_both_sides_and_restores_the_planner(self):
        orders = self._import(3, "REC")
        self.assertEqual(self.Allocation.check_reconciliation(), [])
        first, second, third = orders
        cr = self.env.cr
        # demand without allocation, allocation without demand, both but different
        cr.execute("DELETE FROM omni_order_allocation WHERE order_id = %s AND product_id = %s", [first.id, self.cup.id])
        cr.execute(
            "INSERT INTO omni_order_allocation (order_id, product_id, warehouse_id, company_id, quantity)"
            " VALUES (%s, %s, %s, %s, 2.5)",
            [second.id, self.honey.id, self.warehouse.id, self.company.id],
        )
        cr.execute(
            "UPDATE omni_order_allocation SET quantity = 1.2501 WHERE order_id = %s AND product_id = %s",
            [third.id, self.tea.id],
        )
        self.Allocation.invalidate_model()
        cr.execute("SHOW enable_nestloop")
        before = cr.fetchone()[0]
        differences = self.Allocation.check_reconciliation()
        warehouse = self.warehouse.id
        expected = [
            {"order_id": first.id, "product_id": self.cup.id, "warehouse_id": warehouse,
             "allocated": 0.0, "demand": 4.0},
            {"order_id": second.id, "product_id": self.honey.id, "warehouse_id": warehouse,
             "allocated": 2.5, "demand": 0.0},
            {"order_id": third.id, "product_id": self.tea.id, "warehouse_id": warehouse,
             "allocated": 1.2501, "demand": 1.25},
        ]  # fmt: skip
        self.assertEqual(differences, sorted(expected, key=lambda d: (d["order_id"], d["product_id"])))
        cr.execute("SHOW enable_nestloop")
        self.assertEqual(cr.fetchone()[0], before, "the planner setting is only the statement's")
        # another company's user sees none of them
        other = self.env["res.company"].create({"name": "Other company"})
        self.assertEqual(self.Allocation.with_company(other).with_context(allowed_company_ids=other.ids)
                         .check_reconciliation(), [])  # fmt: skip
