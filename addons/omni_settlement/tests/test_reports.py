# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import PostingCase, truth


@tagged("post_install", "-at_install")
class TestReports(PostingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        book = truth("TMALL01")["orders"]
        cls.booked = {o["order"]: float(o["paid"]) for o in book}
        cls.unsettled = [o["order"] for o in book if not o["settled_in_file"]]
        # shipped on 20 November 2026, 11:00 China time; two unsettled orders on 1 September
        cls._book("TMALL01", cls.booked, shipped={n: datetime(2026, 9, 1, 3, 0) for n in cls.unsettled[:2]})

    def test_monthly_summary_counts_posted_statements_only(self):
        """An imported statement is not settled yet (it may be corrected or
        deleted): the report counts it once posted, not before."""
        statement = self.import_sample("TMALL01")
        Report = self.env["omni.settlement.report"]
        channel = self.channels["TMALL01"]
        self.assertFalse(Report.search([("channel_id", "=", channel.id)]), "nothing posted: nothing settled")
        summary = Report.monthly_summary("TMALL01", "2026-11-01")
        self.assertEqual((summary["gross_sales"], summary["refunds"], summary["fee_total"]), (0, 0, 0))
        self.assertEqual(summary["fees"], {})
        statement.action_post()
        self.assertEqual(
            sum(Report.search([("channel_id", "=", channel.id)]).mapped("line_count")),
            len(
                statement.line_ids.filtered(
                    lambda line: line.state != "duplicate" and line.kind and line.kind != "internal"
                )
            ),
        )
        self.assertGreater(Report.monthly_summary("TMALL01", "2026-11-01")["gross_sales"], 0)

    def test_monthly_summary(self):
        statement = self.import_sample("TMALL01")
        statement.action_post()
        summary = self.env["omni.settlement.report"].monthly_summary("TMALL01", "2026-11-01")
        lines = statement.line_ids.filtered(lambda line: line.state != "duplicate")
        sales = round(sum(lines.filtered(lambda line: line.kind == "sale").mapped("amount")), 2)
        fees = round(sum(lines.filtered(lambda line: line.kind == "fee").mapped("amount")), 2)
        self.assertEqual(summary["gross_sales"], sales)
        self.assertEqual(summary["fee_total"], fees)
        self.assertLess(summary["refunds"], 0)
        self.assertEqual(summary["fees"]["天猫佣金(类目)"], round(sum(
            lines.filtered(lambda line: line.fee_type_id.name == "天猫佣金(类目)").mapped("amount")), 2))  # fmt: skip
        self.assertEqual(summary["net_received"], round(sales + summary["refunds"] + fees, 2))
        self.assertEqual(summary["fee_rate"], round(-fees / sales * 100, 2))

    @freeze_time("2026-12-10 04:00:00")
    def test_aging_and_receivable_check(self):
        channel = self.channels["TMALL01"]
        statement = self.import_sample("TMALL01")
        statement.action_post()
        Open = self.env["omni.settlement.open.order"]
        rows = Open.search([("channel_id", "=", channel.id)])
        open_orders = set(rows.mapped("omni_order_id.platform_order_no"))
        self.assertTrue(set(self.unsettled) <= open_orders, "orders never settled stay open")
        summary = Open.aging_summary(["TMALL01"])["TMALL01"]
        old_total = round(sum(self.booked[n] for n in self.unsettled[:2]), 2)
        self.assertEqual(summary["60_plus"], old_total, "shipped 1 September: 100 days")
        self.assertEqual(summary["16_30"], round(summary["total"] - old_total, 2), "shipped 20 November: 20 days")
        overdue = Open.search([("channel_id", "=", channel.id), ("is_overdue", "=", True)])
        self.assertEqual(overdue, rows, "15 days allowed: all are overdue")
        channel.omni_settlement_days = 30
        self.assertEqual(
            set(Open.search([("is_overdue", "=", True)]).mapped("omni_order_id.platform_order_no")),
            set(self.unsettled[:2]),
        )
        self.assertEqual(Open.search([("aging_bucket", "=", "60_plus")]).omni_order_id.mapped("platform_order_no"),
                         self.unsettled[:2])  # fmt: skip
        check = channel.check_settlement_receivable()
        self.assertTrue(check["ok"], check)
        self.assertEqual(check["open_orders"], summary["total"])
