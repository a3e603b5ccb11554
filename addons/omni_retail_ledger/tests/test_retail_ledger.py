# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime, timedelta
from unittest.mock import patch

import psycopg2
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase
from odoo.tools import mute_logger

from odoo.addons.omni_base.tools import guard
from odoo.addons.omni_order.tests.common import JobsMixin
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from .common import DAY, RetailLedgerTestMixin

NEXT_DAY = "2026-11-21"
# The night the cron tests run in: 02:00 in Shanghai on 26 November, so the
# nightly run's "yesterday" is the 25th, four days after the last shipment.
# Frozen, so that the window the cron computes never depends on the day the
# suite runs.
NIGHT = datetime(2026, 11, 25, 18, 0, 0)
YESTERDAY = date(2026, 11, 25)


class TestRetailLedger(JobsMixin, RetailLedgerTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_retail_ledger()
        # odd amounts, two VAT rates (13 % tea and cups, 9 % honey and shipping), prepaid and COD
        cls.t1 = cls._import("TMALL01", "T1", [("TM-TEA-250G", "3", "33.33"), ("TM-HONEY-500G", "2", "19.99")],
                             shipping_fee="7.77")  # fmt: skip
        cls.t2 = cls._import("TMALL01", "T2", [("TM-CUP-SET", "1", "88.88"), ("TM-HONEY-500G", "1", "12.34")],
                             payment_method="cod")  # fmt: skip
        cls.t3 = cls._import("TMALL01", "T3", [("TM-GIFT-BOX", "1", "128.87")])
        cls.j1 = cls._import("JD01", "J1", [("JD-TEA", "7", "14.29")])
        cls.j2 = cls._import("JD01", "J2", [("JD-HONEY", "3", "9.99")], shipping_fee="5.55", payment_method="cod")
        cls.j3 = cls._import("JD01", "J3", [("JD-HONEY", "1", "10.01")])
        for order in (cls.t1, cls.t2, cls.t3, cls.j1, cls.j2):
            cls._ship(order)
        # 17:00 UTC on the 20th is 01:00 on the 21st in Shanghai
        cls._ship(cls.j3, when=datetime(2026, 11, 20, 17, 0, 0))
        cls.tmall_orders = (cls.t1 | cls.t2 | cls.t3).sale_order_id
        cls.jd_orders = (cls.j1 | cls.j2).sale_order_id

    def _records(self, result, channel=None):
        records = self.Record.browse(result["records"])
        return records.filtered(lambda r: r.channel_id == channel) if channel else records

    def test_totals_to_the_cent_per_channel_and_day(self):
        result = self.Record.generate(DAY)
        self.assertEqual(result["sales"], 5)
        self.assertEqual(result["created"], 2)
        for channel, orders, clearing, revenue in (
            (self.channel, self.tmall_orders, self.clearing_tmall, self.revenue_tmall),
            (self.channel_jd, self.jd_orders, self.clearing_jd, self.revenue_jd),
        ):
            record = self._records(result, channel)
            self.assertEqual(len(record), 1)
            self.assertEqual((record.date, record.kind, record.state), (date(2026, 11, 20), "sale", "draft"))
            self.assertEqual(record.line_ids.sale_order_id, orders)
            total = round(sum(orders.mapped("amount_total")), 2)
            untaxed = round(sum(orders.mapped("amount_untaxed")), 2)
            tax = round(sum(orders.mapped("amount_tax")), 2)
            cod = round(sum(orders.filtered(lambda o: o.omni_payment_method == "cod").mapped("amount_total")), 2)
            self.assertEqual(
                (record.amount_untaxed, record.amount_tax, record.amount_total, record.amount_cod),
                (untaxed, tax, total, cod),
            )
            expected_taxes = self._expected_taxes(orders)
            self.assertEqual(len(expected_taxes), 2, "both VAT rates are used")
            self.assertEqual(
                {
                    row.tax_id.tax_group_id.name: (round(row.base, 2), round(row.amount, 2))
                    for row in record.tax_line_ids
                },
                expected_taxes,
            )
            record.action_post()
            move = record.move_id
            self.assertEqual((record.state, move.state, move.date), ("posted", "posted", record.date))
            self.assertEqual(move.journal_id.code, "RETL")
            self.assertEqual(self._move_balance(move, clearing), round(total - cod, 2))
            self.assertEqual(self._move_balance(move, self.cod_sf), cod)
            cod_line = move.line_ids.filtered(lambda ln: ln.account_id == self.cod_sf)
            self.assertEqual(cod_line.partner_id, self.sf_partner)
            self.assertEqual(self._move_balance(move, revenue), -untaxed)
            tax_lines = move.line_ids.filtered("tax_repartition_line_id")
            self.assertEqual(round(sum(tax_lines.mapped("balance")), 2), -tax)
            # the orders' taxes: 13 % and 9 %, in their price-included form (platform prices include tax)
            self.assertEqual(len(orders.order_line.tax_id), 2)
            self.assertTrue(all(orders.order_line.tax_id.mapped("price_include")))
            for tax_record in orders.order_line.tax_id:
                group = tax_record.tax_group_id.name
                posted = sum(tax_lines.filtered(lambda ln, t=tax_record: ln.tax_line_id == t).mapped("balance"))
                self.assertEqual(round(posted, 2), -expected_taxes[group][1])
                base_lines = move.line_ids.filtered(lambda ln, t=tax_record: t in ln.tax_ids)
                self.assertEqual(round(sum(base_lines.mapped("balance")), 2), -expected_taxes[group][0])
            check = self.env["omni.retail.check.report"].search([("date", "=", DAY), ("channel_id", "=", channel.id)])
            self.assertEqual(len(check), 1)
            self.assertEqual((check.warehouse_total, check.posted_total), (total, total))
            self.assertFalse(check.has_difference)
        revenue_rows = self.env["omni.retail.revenue.report"].search([("date", "=", DAY)])
        self.assertEqual(
            round(sum(revenue_rows.mapped("amount_untaxed")), 2),
            round(sum((self.tmall_orders | self.jd_orders).mapped("amount_untaxed")), 2),
        )

    def test_day_follows_company_timezone(self):
        result = self.Record.generate(DAY, channel_codes=["jd01"])
        self.assertNotIn(self.j3.sale_order_id, self._records(result).line_ids.sale_order_id)
        result = self.Record.generate(NEXT_DAY, channel_codes=["JD01"])
        record = self._records(result)
        self.assertEqual((record.date, record.line_ids.sale_order_id), (date(2026, 11, 21), self.j3.sale_order_id))

    def test_generation_twice_creates_nothing(self):
        first = self.Record.generate(DAY, NEXT_DAY)
        self.assertEqual(first["sales"], 6)
        lines = self.env["omni.retail.record.line"].search_count([])
        second = self.Record.generate(DAY, NEXT_DAY)
        self.assertEqual((second["sales"], second["returns"], second["created"], second["records"]), (0, 0, 0, []))
        self.assertIn("Nothing new", second["message"])
        self.assertEqual(self.env["omni.retail.record.line"].search_count([]), lines)

    def test_a_document_cannot_be_covered_twice(self):
        result = self.Record.generate(DAY)
        record = self._records(result, self.channel)
        with self.assertRaises(psycopg2.IntegrityError) as err, mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            guard.internal(self.env["omni.retail.record.line"]).create(
                {"record_id": record.id, "company_id": self.company.id, "kind": "sale",
                 "sale_order_id": self.t1.sale_order_id.id}
            )  # fmt: skip
            self.env.flush_all()
        self.assertIn("omni_retail_record_line_sale_once", str(err.exception))
        with self.assertRaises(UserError):
            self.env["omni.retail.record.line"].create({"record_id": record.id, "company_id": self.company.id})

    def test_concurrent_generation_waits_for_the_running_one(self):
        """A second transaction generating for the same company waits on the
        first (here: until the lock timeout); once the first is gone, the
        run covers every document once."""
        other = self.registry.cursor()
        try:
            other.execute(
                "INSERT INTO omni_retail_generation_lock (company_id, generated_at) VALUES (%s, now()) "
                "ON CONFLICT (company_id) DO UPDATE SET generated_at = now()",
                [self.company.id],
            )
            self.env.cr.execute("SET LOCAL lock_timeout = '300ms'")
            with self.assertRaises(psycopg2.errors.LockNotAvailable), mute_logger("odoo.sql_db"):
                with self.env.cr.savepoint():
                    self.Record.generate(DAY)
        finally:
            other.rollback()
            other.close()
        self.env.cr.execute("SET LOCAL lock_timeout = 0")
        self.assertFalse(self.Record.search([]))
        result = self.Record.generate(DAY)
        self.assertEqual(result["sales"], 5)
        self.assertEqual(self.Record.generate(DAY)["sales"], 0)

    def test_late_orders_join_the_draft_or_a_follow_up_record(self):
        result = self.Record.generate(DAY, channel_codes=["TMALL01"])
        record = self._records(result)
        self.assertEqual(record.name, f"TMALL01/{DAY}/S")
        late = self._ship(self._import("TMALL01", "T4", [("TM-HONEY-500G", "1", "29.90")]))
        result = self.Record.generate(DAY, channel_codes=["TMALL01"])
        self.assertEqual((result["created"], result["extended"], self._records(result)), (0, 1, record))
        self.assertEqual(record.document_count, 4)
        record.action_post()
        later = self._ship(self._import("TMALL01", "T5", [("TM-HONEY-500G", "2", "29.90")]))
        result = self.Record.generate(DAY, channel_codes=["TMALL01"])
        follow_up = self._records(result)
        self.assertNotEqual(follow_up, record)
        self.assertEqual(follow_up.name, f"TMALL01/{DAY}/S/2")
        self.assertEqual(follow_up.line_ids.sale_order_id, later.sale_order_id)
        self.assertIn(late.sale_order_id, record.line_ids.sale_order_id)

    def test_return_posts_the_reverse(self):
        self.Record.browse(self.Record.generate(DAY)["records"]).action_post()
        # 50.00 back for goods paid 73.31 (a jar of honey 19.99, 250 g of tea 33.33)
        aftersale = self._return(self.t1, 50.0, datetime(2026, 11, 21, 2, 0, 0), [(self.honey, 1), (self.tea, 0.25)])
        result = self.Record.generate(NEXT_DAY)
        self.assertEqual(result["returns"], 1)
        record = self._records(result, self.channel)
        self.assertEqual((record.kind, record.line_ids.aftersale_id), ("return", aftersale))
        self.assertEqual(record.amount_total, 50.0)
        self.assertEqual(round(record.amount_untaxed + record.amount_tax, 2), 50.0)
        order = self.t1.sale_order_id
        ratio = 50.0 / order.amount_total
        expected = self._expected_taxes(order)
        for row in record.tax_line_ids:
            self.assertAlmostEqual(row.amount, expected[row.tax_id.tax_group_id.name][1] * ratio, delta=0.011)
        record.action_post()
        move = record.move_id
        self.assertEqual(self._move_balance(move, self.clearing_tmall), -50.0)
        self.assertEqual(self._move_balance(move, self.revenue_tmall), record.amount_untaxed)
        self.assertEqual(round(sum(move.line_ids.filtered("tax_repartition_line_id").mapped("balance")), 2),
                         record.amount_tax)  # fmt: skip
        check = self.env["omni.retail.check.report"].search(
            [("date", "=", NEXT_DAY), ("channel_id", "=", self.channel.id), ("kind", "=", "return")]
        )
        self.assertEqual((check.warehouse_total, check.posted_total, check.has_difference), (50.0, 50.0, False))

    def test_order_shipped_and_returned_the_same_day(self):
        order_total = self.t2.sale_order_id.amount_total
        self._return(self.t2, order_total, datetime(2026, 11, 20, 8, 0, 0), [(self.cup, 4), (self.honey, 1)])
        result = self.Record.generate(DAY)
        records = self._records(result, self.channel)
        self.assertEqual(sorted(records.mapped("kind")), ["return", "sale"])
        self._records(result).action_post()
        jd_cod = self.j2.sale_order_id.amount_total
        # T2 was cash on delivery: the return takes it back off the courier's COD receivable
        cod_balance = sum(self.env["account.move.line"].search([("account_id", "=", self.cod_sf.id)]).mapped("balance"))
        self.assertEqual(round(cod_balance, 2), round(jd_cod, 2))
        self.assertFalse(
            self.env["omni.retail.check.report"].search([("date", "=", DAY), ("has_difference", "=", True)])
        )
        # the JD order shipped after midnight (Shanghai) is not generated yet: the check shows it
        late = self.env["omni.retail.check.report"].search([("has_difference", "=", True)])
        self.assertEqual(
            (late.date, late.unit_code, late.difference),
            (date(2026, 11, 21), "JD01", self.j3.sale_order_id.amount_total),
        )

    def test_locked_period(self):
        self.company.fiscalyear_lock_date = DAY
        with self.assertRaises(UserError) as err:
            self.Record.generate(DAY)
        self.assertIn("locked", str(err.exception))
        self.assertFalse(self.Record.search([]))
        self.company.fiscalyear_lock_date = False
        records = self.Record.browse(self.Record.generate(DAY)["records"])
        self.company.sale_lock_date = DAY
        with self.assertRaises(UserError) as err:
            records.action_post()
        self.assertIn("locked", str(err.exception))
        self.assertEqual(set(records.mapped("state")), {"draft"})
        self.assertFalse(records.move_id)

    def test_missing_accounts_are_named_and_nothing_is_posted(self):
        records = self.Record.browse(self.Record.generate(DAY)["records"])
        self.channel_jd.omni_clearing_account_id = False
        with self.assertRaises(UserError) as err:
            records.action_post()
        self.assertIn("[JD01] JD store", str(err.exception))
        self.assertIn("Platform Receivable Account", str(err.exception))
        self.assertEqual(set(records.mapped("state")), {"draft"}, "nothing half-posted")
        self.assertFalse(self.env["account.move"].search([("journal_id.code", "=", "RETL")]))
        self.sf.with_company(self.company).omni_cod_account_id = False
        tmall = records.filtered(lambda r: r.channel_id == self.channel)
        with self.assertRaises(UserError) as err:
            tmall.action_post()
        self.assertIn("Courier SF Express has no COD Receivable Account", str(err.exception))

    def test_cod_order_shipped_without_courier(self):
        order = self._ship(self._import("TMALL01", "T9", [("TM-HONEY-500G", "1", "9.90")], payment_method="cod"),
                           courier=False)  # fmt: skip
        record = self.Record.browse(self.Record.generate(DAY, channel_codes=["TMALL01"])["records"])
        self.assertIn(order.sale_order_id, record.line_ids.sale_order_id)
        with self.assertRaises(UserError) as err:
            record.action_post()
        self.assertIn("shipped without a courier", str(err.exception))

    def test_channel_orders_are_not_invoiced_one_by_one(self):
        sale_order = self.t1.sale_order_id
        with self.assertRaises(UserError) as err:
            sale_order._create_invoices()
        self.assertIn("not invoiced one by one", str(err.exception))
        wizard = self.env["sale.advance.payment.inv"].with_context(active_ids=sale_order.ids).create({})
        with self.assertRaises(UserError):
            wizard.create_invoices()

    def test_orders_invoiced_before_are_left_out(self):
        sale_order = self.t3.sale_order_id
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": sale_order.partner_id.id,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": line.product_id.id, "quantity": line.product_uom_qty,
                         "price_unit": line.price_unit, "tax_ids": [Command.set(line.tax_id.ids)],
                         "sale_line_ids": [Command.set(line.ids)]}
                    )
                    for line in sale_order.order_line
                ],
            }
        )  # fmt: skip
        invoice.action_post()
        result = self.Record.generate(DAY, channel_codes=["TMALL01"])
        self.assertEqual([s["document"] for s in result["skipped"]], [sale_order.name])
        record = self._records(result)
        self.assertNotIn(sale_order, record.line_ids.sale_order_id)
        record.action_post()
        check = self.env["omni.retail.check.report"].search([("date", "=", DAY), ("channel_id", "=", self.channel.id)])
        self.assertEqual(check.invoiced_total, sale_order.amount_total)
        self.assertFalse(check.has_difference)

    def test_posted_record_is_frozen_and_reversed(self):
        result = self.Record.generate(DAY, channel_codes=["TMALL01"])
        record = self._records(result)
        record.action_post()
        with self.assertRaises(UserError):
            record.amount_total = 1.0
        with self.assertRaises(UserError):
            record.unlink()
        move = record.move_id
        record.action_reverse()
        self.assertEqual(record.state, "reversed")
        reversal = record.reversal_move_id
        self.assertEqual((reversal.state, reversal.reversed_entry_id), ("posted", move))
        self.assertEqual(
            self._move_balance(reversal, self.clearing_tmall), -self._move_balance(move, self.clearing_tmall)
        )
        self.assertTrue(all(record.line_ids.mapped("released")))
        # released documents are covered again by a new record
        result = self.Record.generate(DAY, channel_codes=["TMALL01"])
        again = self._records(result)
        self.assertEqual(again.name, f"TMALL01/{DAY}/S/2")
        self.assertEqual(again.line_ids.sale_order_id, self.tmall_orders)
        again.action_post()
        check = self.env["omni.retail.check.report"].search([("date", "=", DAY), ("channel_id", "=", self.channel.id)])
        self.assertFalse(check.has_difference)

    def test_draft_record_deleted_frees_its_documents(self):
        record = self._records(self.Record.generate(DAY, channel_codes=["TMALL01"]))
        record.unlink()
        self.assertEqual(self.Record.generate(DAY, channel_codes=["TMALL01"])["sales"], 3)

    def test_unknown_unit_code(self):
        with self.assertRaises(UserError) as err:
            self.Record.generate(DAY, channel_codes=["NOPE"])
        self.assertIn("NOPE", str(err.exception))

    def test_wizard_generates_and_posts(self):
        wizard = self.env["omni.retail.generate"].create(
            {"date_from": DAY, "date_to": DAY, "channel_ids": [Command.set(self.channel_jd.ids)], "post": True}
        )
        wizard.action_generate()
        self.assertIn("2 shipped orders", wizard.result_message)
        record = self.Record.search([("channel_id", "=", self.channel_jd.id)])
        self.assertEqual(record.state, "posted")

    def test_wizard_generates_a_long_range_in_a_job(self):
        """More than a week: the wizard enqueues a job (once, even when asked
        twice) that generates and posts."""
        vals = {"date_from": "2026-11-14", "date_to": NEXT_DAY, "post": True}
        wizard = self.env["omni.retail.generate"].create(vals)
        wizard.action_generate()
        self.assertTrue(wizard.queued)
        self.assertIn("8 days", wizard.result_message)
        self.assertFalse(self.Record.search([]), "nothing generated in the request")
        self.env["omni.retail.generate"].create(vals).action_generate()
        jobs = self._jobs("_generate_wizard_job")
        self.assertEqual(len(jobs), 1)
        self.assertEqual(jobs.channel, "root.omni_ledger")
        self._perform_jobs("_generate_wizard_job")
        records = self.Record.search([])
        self.assertEqual(sum(records.mapped("document_count")), 6)
        self.assertEqual(set(records.mapped("state")), {"posted"})
        self.assertFalse(self.company.omni_retail_cron_done_until, "not a nightly run")

    def _cron_back_to_day(self):
        """The nightly run covers the days up to yesterday: reach back to DAY."""
        self.assertEqual(datetime.now(self.company._omni_tz()).date(), YESTERDAY + timedelta(days=1))
        self.company.omni_retail_cron_days = (YESTERDAY - fields.Date.to_date(DAY)).days + 1

    def _nightly_jobs(self, state="pending"):
        return self._jobs("_generate_nightly_job", state=state)

    @freeze_time(NIGHT)
    def test_cron_enqueues_one_job_per_company(self):
        """The cron generates nothing itself: one job per company with
        channels, on the ledger's channel; a second run before the jobs ran
        adds none."""
        self._cron_back_to_day()
        self.Record._cron_generate()
        self.assertFalse(self.Record.search([]), "the cron only enqueues")
        jobs = self._nightly_jobs()
        expected = [company for [company] in self.env["omni.channel"]._read_group([], ["company_id"])]
        self.assertIn(self.company, expected)
        self.assertEqual(sorted(job.args[0].id for job in jobs), sorted(company.id for company in expected))
        self.assertEqual(set(jobs.mapped("channel")), {"root.omni_ledger"})
        job = jobs.filtered(lambda j: j.args[0] == self.company)
        self.assertEqual(job.args[1:], [date(2026, 11, 20), YESTERDAY])
        self.Record._cron_generate()
        self.assertEqual(self._nightly_jobs(), jobs, "same company and days: no second job")

    @freeze_time(NIGHT)
    def test_cron_generates_and_auto_posts(self):
        self.company.omni_retail_auto_post = True
        self._cron_back_to_day()
        self.Record._cron_generate()
        self._perform_jobs("_generate_nightly_job")
        records = self.Record.search([])
        self.assertEqual(set(records.mapped("state")), {"posted"})
        self.assertEqual(sum(records.mapped("document_count")), 6)
        self.assertEqual(self.company.omni_retail_cron_done_until, YESTERDAY)
        self.assertFalse(self._nightly_jobs())
        self.Record._cron_generate()
        self.assertEqual(
            self._nightly_jobs().filtered(lambda j: j.args[0] == self.company).args[1:],
            [date(2026, 11, 20), YESTERDAY],
            "the window is still due (nothing new is found twice), a new job covers it",
        )

    @freeze_time(NIGHT)
    def test_cron_catches_up_missed_nights(self):
        """The nightly window is one day, but the runs since DAY failed: the
        next run starts the day after the last completed one."""
        self.company.omni_retail_cron_days = 1
        self.assertLess(fields.Date.to_date(NEXT_DAY), YESTERDAY, "the shipments are older than yesterday")
        self.Record._cron_generate()
        self._perform_jobs("_generate_nightly_job")
        self.assertFalse(self.Record.search([]), "a first run covers its window only")
        self.assertEqual(self.company.omni_retail_cron_done_until, YESTERDAY)
        # the last run that completed covered the day before DAY
        guard.internal(self.company).omni_retail_cron_done_until = date(2026, 11, 19)  # as earlier nights left it
        self.Record._cron_generate()
        self._perform_jobs("_generate_nightly_job")
        records = self.Record.search([])
        self.assertEqual(sum(records.mapped("document_count")), 6)
        self.assertEqual(set(records.mapped("date")), {date(2026, 11, 20), date(2026, 11, 21)})
        self.assertEqual(self.company.omni_retail_cron_done_until, YESTERDAY)

    @freeze_time(NIGHT)
    def test_nightly_job_retries_after_a_concurrent_generation(self):
        """A generation of the same company committed while the nightly job
        was under way: the job gets a serialization failure, records nothing,
        keeps its days due and raises RetryableJobError (queue_job runs it
        again later)."""
        self._cron_back_to_day()
        self.Record._cron_generate()
        other = self.registry.cursor()
        existed = True
        try:
            other.execute("SELECT 1 FROM omni_retail_generation_lock WHERE company_id = %s", [self.company.id])
            existed = bool(other.fetchone())
            other.execute(
                "INSERT INTO omni_retail_generation_lock (company_id, generated_at) VALUES (%s, now()) "
                "ON CONFLICT (company_id) DO UPDATE SET generated_at = now()",
                [self.company.id],
            )
            other.commit()
            job = Job.load(self.env, self._nightly_jobs().filtered(lambda j: j.args[0] == self.company).uuid)
            with (
                mute_logger("odoo.addons.omni_retail_ledger.models.omni_retail_record", "odoo.sql_db"),
                self.assertRaises(RetryableJobError),
            ):
                job.perform()
        finally:
            if not existed:
                other.execute("DELETE FROM omni_retail_generation_lock WHERE company_id = %s", [self.company.id])
                other.commit()
            other.close()
        self.assertFalse(self.Record.search([]), "nothing half-recorded")
        self.assertFalse(self.company.omni_retail_cron_done_until, "the days stay due")

    @freeze_time(NIGHT)
    def test_nightly_job_failure_keeps_the_days_due(self):
        """Any other error fails the job (as queue_job's runner records it):
        nothing recorded, done-until unchanged, the next night catches up."""
        self.company.omni_retail_cron_days = 1
        guard.internal(self.company).omni_retail_cron_done_until = date(2026, 11, 19)  # as earlier nights left it
        self.Record._cron_generate()
        record = self._nightly_jobs().filtered(lambda j: j.args[0] == self.company)
        job = Job.load(self.env, record.uuid)
        job.set_started()
        with (
            patch.object(type(self.Record), "_generate_company", side_effect=ValueError("disk full")),
            self.assertRaisesRegex(ValueError, "disk full"),
        ):
            job.perform()
        job.set_failed(exc_name="ValueError", exc_message="disk full")
        job.store()
        self.assertEqual(record.state, "failed")
        self.assertFalse(self.Record.search([]), "nothing half-recorded")
        self.assertEqual(self.company.omni_retail_cron_done_until, date(2026, 11, 19), "the days stay due")
        # the next night
        self.Record._cron_generate()
        self.assertEqual(len(self._nightly_jobs().filtered(lambda j: j.args[0] == self.company)), 1)
        self._perform_jobs("_generate_nightly_job")
        records = self.Record.search([])
        self.assertEqual(sum(records.mapped("document_count")), 6)
        self.assertEqual(self.company.omni_retail_cron_done_until, YESTERDAY)

    def test_revenue_carries_the_channel_analytic_account(self):
        plan = self.env["account.analytic.plan"].create({"name": "Channels"})
        analytic = self.env["account.analytic.account"].create({"name": "Tmall", "plan_id": plan.id})
        self.channel.omni_analytic_account_id = analytic
        record = self._records(self.Record.generate(DAY, channel_codes=["TMALL01"]))
        record.action_post()
        revenue_lines = record.move_id.line_ids.filtered(lambda ln: ln.account_id == self.revenue_tmall)
        self.assertTrue(revenue_lines)
        self.assertEqual({tuple(ln.analytic_distribution) for ln in revenue_lines}, {(str(analytic.id),)})
        self.assertFalse(
            record.move_id.line_ids.filtered(lambda ln: ln.account_id == self.clearing_tmall).analytic_distribution
        )

    @freeze_time(NIGHT)
    def test_cron_keeps_a_posting_failure_on_the_record(self):
        self.company.omni_retail_auto_post = True
        self.channel_jd.omni_clearing_account_id = False
        self._cron_back_to_day()
        self.Record._cron_generate()
        self._perform_jobs("_generate_nightly_job")
        jd = self.Record.search([("channel_id", "=", self.channel_jd.id)])
        self.assertEqual(set(jd.mapped("state")), {"draft"})
        self.assertIn("Platform Receivable Account", jd[0].post_error)
        tmall = self.Record.search([("channel_id", "=", self.channel.id)])
        self.assertEqual(set(tmall.mapped("state")), {"posted"}, "one channel's failure does not stop the others")
