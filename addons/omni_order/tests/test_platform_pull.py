# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import TransactionCase

from odoo.addons.omni_base.tools import guard
from odoo.addons.omni_platform.tests.platform_stub import PlatformStub
from odoo.addons.queue_job.exception import RetryableJobError

from .common import JobsMixin, OmniOrderTestMixin

NOW = datetime(2026, 11, 11, 8, 0, 0)  # naive UTC, as Odoo stores it


def stub_order(number, updated, **values):
    order = OmniOrderTestMixin._order(number, **values)
    order["updated"] = updated.isoformat() + "+00:00"
    return order


class TestPlatformPull(JobsMixin, OmniOrderTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.Order = cls.env["omni.order"]

    def _configure(self, stub, kind="generic_rest", **values):
        # values (a pull window already advanced) stand for earlier pulls
        guard.internal(self.channel).write(
            {
                "adapter_kind": kind,
                "api_base_url": stub.url if kind == "generic_rest" else stub.router_url,
                "api_access_token": "token-1",
                "api_app_key": "key-1",
                "api_app_secret": "secret-1",
                **values,
            }
        )

    def test_pull_pages_window_and_overlap(self):
        orders = [stub_order(f"A{i}", NOW - timedelta(minutes=30 + i)) for i in range(5)]
        with PlatformStub(orders, access_token="token-1", max_page_size=2) as stub:
            self._configure(stub, last_pull_until=NOW - timedelta(hours=2))
            with freeze_time(NOW):
                results = self.channel._pull_orders()
            self.assertEqual(len(results), 5)
            self.assertGreaterEqual(len(stub.requests_for(path="/orders")), 3, "paged")
            first = stub.requests_for(path="/orders")[0]
            # window starts 5 minutes (overlap) before the end of the last pull
            self.assertTrue(first.params["updated_from"].startswith("2026-11-11T05:55:00"))
            self.assertEqual(self.channel.last_pull_until, NOW)
            self.assertEqual(self.channel.last_pull_state, "ok")
            staged = self.Order.search([("channel_id", "=", self.channel.id)])
            self.assertEqual(len(staged), 5)
            self.assertEqual(set(staged.mapped("source")), {"api"})
            self.assertEqual(set(staged.mapped("state")), {"confirmed"})
            # the next pull overlaps the previous window: nothing doubles
            stub.add_orders(stub_order("A-new", NOW + timedelta(minutes=3)))
            stub.upsert_order(stub_order("A0", NOW + timedelta(minutes=2)))
            with freeze_time(NOW + timedelta(minutes=15)):
                results = self.channel._pull_orders()
            self.assertEqual(sorted(r["result"] for r in results), ["created", "duplicate"])
            self.assertEqual(self.Order.search_count([("channel_id", "=", self.channel.id)]), 6)

    def test_server_error_is_recorded_and_retried(self):
        with PlatformStub([], access_token="token-1") as stub:
            self._configure(stub)
            stub.add_orders(stub_order("LATE-1", NOW - timedelta(minutes=10)))
            stub.fail_next(3, status=500)
            with freeze_time(NOW):
                self.channel._pull_orders()
            self.assertEqual(self.channel.last_pull_state, "failed")
            self.assertIn("500", self.channel.last_pull_message)
            self.assertIn("Retry 1 of 5 queued.", self.channel.last_pull_message)
            # stored as facts, read in the reader's language
            self.env["res.lang"]._activate_lang("zh_CN")
            self.env["ir.module.module"]._load_module_terms(["omni_order"], ["zh_CN"], overwrite=True)
            message_zh = self.channel.with_context(lang="zh_CN").last_pull_message
            self.assertIn("拉单失败", message_zh)
            self.assertIn("500", message_zh)
            self.assertFalse(self.channel.last_pull_until, "the window does not move on failure")
            [retry] = self._jobs("_pull_orders")
            self.assertGreater(retry.eta, NOW)
            with freeze_time(NOW + timedelta(minutes=2)):
                self._perform_jobs("_pull_orders")
        self.assertEqual(self.channel.last_pull_state, "ok")
        self.assertEqual(self.channel.pull_failure_count, 0)
        self.assertTrue(self.Order.search([("platform_order_no", "=", "LATE-1")]), "nothing was lost")

    def test_one_normaliser_for_api_orders(self):
        """The adapter passes the platform's values on; staging normalises them
        as it does a file's: the platform's word for the payment method, an
        ISO time with offset, an unknown method kept in the exception queue,
        an unreadable amount failing the pull by name (window kept)."""
        orders = [
            stub_order("N1", NOW - timedelta(minutes=20), payment_method="货到付款",
                       order_time="2026-11-11T02:30:00+00:00", paid_amount=105),
            stub_order("N2", NOW - timedelta(minutes=20), payment_method="barter"),
        ]  # fmt: skip
        with PlatformStub(orders, access_token="token-1") as stub:
            self._configure(stub, last_pull_until=NOW - timedelta(hours=1))
            with freeze_time(NOW):
                self.channel._pull_orders()
            self.assertEqual(self.channel.last_pull_state, "ok")
            n1 = self.Order.search([("platform_order_no", "=", "N1")])
            self.assertEqual((n1.payment_method, n1.paid_amount), ("cod", 105.0))
            self.assertEqual(n1.order_time, datetime(2026, 11, 11, 2, 30))
            n2 = self.Order.search([("platform_order_no", "=", "N2")])
            self.assertEqual((n2.state, n2.payment_method), ("exception", False))
            self.assertIn("unknown_payment", n2.exception_codes)
            stub.add_orders(stub_order("N3", NOW + timedelta(minutes=5), paid_amount="abc"))
            with freeze_time(NOW + timedelta(minutes=15)):
                self.channel._pull_orders()
        self.assertEqual(self.channel.last_pull_state, "failed")
        self.assertIn("N3", self.channel.last_pull_message)
        self.assertIn("paid_amount", self.channel.last_pull_message)
        self.assertEqual(self.channel.last_pull_until, NOW, "the window does not move: N3 is not lost")

    def test_token_expired_mid_pull(self):
        """The Taobao session expires after the first day window: that day is
        staged, the card says to renew the token, the next pull resumes after
        that day (not from the start, nothing lost)."""

        def trade(tid, modified_utc):
            return {
                "tid": tid, "type": "fixed", "status": "WAIT_SELLER_SEND_GOODS", "created": "2026-11-10 15:00:00",
                "modified": (modified_utc + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M:%S"),
                "receiver_name": "刘洋", "receiver_mobile": "19038879107", "receiver_state": "江苏省",
                "receiver_city": "南京市", "receiver_district": "鼓楼区", "receiver_address": "建国路685号",
                "payment": "25.00", "post_fee": "0.00",
                "orders": {"order": [{"num_iid": 1001, "outer_sku_id": "TM-HONEY-500G", "num": 1, "price": "25.00"}]},
            }  # fmt: skip

        def expire(stub, request):
            if request.api_method == "taobao.trades.sold.increment.get":
                stub.access_token = "renewed-elsewhere"

        start = NOW - timedelta(hours=36)
        with PlatformStub([trade(9001, NOW - timedelta(hours=30)), trade(9002, NOW - timedelta(hours=1))],
                          access_token="token-1") as stub:  # fmt: skip
            self._configure(stub, kind="taobao_top", last_pull_until=start)
            stub.after_request = expire
            with freeze_time(NOW):
                self.channel._pull_orders()
            staged = self.Order.search([("channel_id", "=", self.channel.id)])
            self.assertEqual(staged.mapped("platform_order_no"), ["9001"])
            self.assertEqual(self.channel.last_pull_state, "failed")
            first_day_end = start - timedelta(minutes=5) + timedelta(days=1)
            self.assertEqual(self.channel.last_pull_until, first_day_end)
            self.assertIn("renew the access token", self.channel.last_pull_message)
            self.assertIn("1 orders read before the failure were staged", self.channel.last_pull_message)
            self.assertFalse(self._jobs("_pull_orders"), "an expired token is not retried blindly")
            # the token renewed: the next pull starts where the first stopped
            stub.after_request = None
            stub.access_token = "renewed-elsewhere"
            guard.internal(self.channel).write({"api_access_token": "renewed-elsewhere"})
            with freeze_time(NOW + timedelta(minutes=15)):
                self.channel._pull_orders()
            first_call = [
                r
                for r in stub.requests_for(api_method="taobao.trades.sold.increment.get")
                if r.form["session"] == "renewed-elsewhere"
            ][0]
        self.assertEqual(self.channel.last_pull_state, "ok")
        self.assertEqual(
            first_call.form["start_modified"],
            (first_day_end - timedelta(minutes=5) + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M:%S"),
        )
        staged = self.Order.search([("channel_id", "=", self.channel.id)])
        self.assertEqual(sorted(staged.mapped("platform_order_no")), ["9001", "9002"])

    def test_a_failed_pull_is_retried_as_its_job_function_says(self):
        """One retry policy, configured where queue_job configures it: the
        retry pattern of the pull's job function."""
        self.env.ref("omni_order.job_function_omni_channel_pull").retry_pattern = {1: 7, 2: 11}
        with PlatformStub([], access_token="token-1") as stub:
            self._configure(stub)
            stub.fail_next(10, status=500)
            with freeze_time(NOW):
                self.channel._pull_orders()
                [first] = self._jobs("_pull_orders")
                self.assertEqual(first.eta, NOW + timedelta(seconds=7))
                self.channel._pull_orders()
                second = self._jobs("_pull_orders") - first
                self.assertEqual(second.eta, NOW + timedelta(seconds=11))
            self.assertIn("Retry 2 of 5 queued.", self.channel.last_pull_message)

    def test_jobs_run_on_the_queue_channel_an_administrator_sets(self):
        pulls = self.env["queue.job.channel"].create(
            {"name": "pulls", "parent_id": self.env.ref("omni_order.queue_job_channel_omni_import").id}
        )
        self.env.ref("omni_order.job_function_omni_channel_pull").channel_id = pulls
        with PlatformStub([], access_token="token-1") as stub:
            self._configure(stub)
            self.channel._enqueue_pull()
            stub.fail_next(3, status=500)
            with freeze_time(NOW):
                self.channel._pull_orders()  # fails: its retry is queued
        jobs = self._jobs("_pull_orders")
        self.assertEqual(len(jobs), 2)
        self.assertEqual(set(jobs.mapped("channel")), {"root.omni_import.pulls"})

    def test_a_concurrent_import_is_a_clear_error_over_xmlrpc_and_a_retry_in_a_job(self):
        with patch.object(type(self.Order), "_insert_staged_lines", side_effect=IntegrityError("duplicate key")):
            with self.assertRaises(UserError) as caught:
                self.Order.import_orders(self.channel.code, [self._order("RACE-1")])
            self.assertIn("RACE-1", str(caught.exception))
            self.assertNotIn("retrying", str(caught.exception))
            with self.assertRaises(RetryableJobError):
                self.Order.with_context(job_uuid="a-job").import_orders(self.channel.code, [self._order("RACE-2")])
        self.assertFalse(self.Order.search([("platform_order_no", "in", ("RACE-1", "RACE-2"))]))

    def test_only_paid_orders_waiting_to_ship_are_staged(self):
        def trade(tid, status):
            modified = (NOW - timedelta(minutes=30)) + timedelta(hours=8)  # Beijing time
            return {
                "tid": tid, "type": "fixed", "status": status, "created": "2026-11-11 15:00:00",
                "modified": modified.strftime("%Y-%m-%d %H:%M:%S"), "receiver_name": "李四",
                "receiver_mobile": "13900000000", "receiver_state": "广东省", "receiver_city": "深圳市",
                "receiver_district": "南山区", "receiver_address": "科技园 2 号", "payment": "50.00",
                "post_fee": "0.00",
                "orders": {"order": [{"num_iid": 1001, "outer_sku_id": "SKU-A", "num": 2, "price": "25.00"}]},
            }  # fmt: skip

        trades = [
            trade(7001, "WAIT_SELLER_SEND_GOODS"),
            trade(7002, "WAIT_BUYER_PAY"),
            trade(7003, "TRADE_CLOSED_BY_TAOBAO"),
            trade(7004, "SOME_NEW_STATUS"),
        ]
        with PlatformStub(trades, access_token="token-1") as stub:
            self._configure(stub, kind="taobao_top", last_pull_until=NOW - timedelta(hours=1))
            with freeze_time(NOW), self.assertLogs("odoo.addons.omni_order.models.omni_channel", "WARNING") as logs:
                results = self.channel._pull_orders()
        self.assertIn("7004 (SOME_NEW_STATUS)", logs.output[0])
        self.assertEqual([r["platform_order_no"] for r in results], ["7001", "7004"])
        staged = self.Order.search([("channel_id", "=", self.channel.id)], order="platform_order_no")
        self.assertEqual(staged.mapped("platform_order_no"), ["7001", "7004"], "unpaid and closed are not staged")
        # an unknown status is not guessed: the order waits in the exception queue, the status named
        unknown = staged[1]
        self.assertEqual((unknown.state, unknown.platform_status), ("exception", "SOME_NEW_STATUS"))
        self.assertIn("status 'SOME_NEW_STATUS'", unknown.exception_reasons)
        with self.assertRaises(UserError):
            unknown.action_confirm()
        self.assertEqual(self.channel.last_pull_skipped, 2)
        self.assertEqual(self.channel.last_pull_unknown, "7004: SOME_NEW_STATUS")
        self.assertIn("2 orders not paid and waiting to ship", self.channel.last_pull_message)
        self.assertIn("7004: SOME_NEW_STATUS", self.channel.last_pull_message)
        # the next pull gives it paid and waiting to ship: the finding goes
        later = (NOW + timedelta(minutes=5, hours=8)).strftime("%Y-%m-%d %H:%M:%S")
        with PlatformStub(
            [dict(trades[3], status="WAIT_SELLER_SEND_GOODS", modified=later)], access_token="token-1"
        ) as stub:
            self._configure(stub, kind="taobao_top")
            with freeze_time(NOW + timedelta(minutes=15)):
                results = self.channel._pull_orders()
        self.assertEqual([r["result"] for r in results], ["updated"])
        self.assertFalse(unknown.platform_status_unknown)
        self.assertNotIn("SOME_NEW_STATUS", unknown.exception_reasons or "")

    def test_bad_signature_is_a_clear_failure(self):
        with PlatformStub([], app_key="key-1", app_secret="the-real-secret", access_token="token-1") as stub:
            self._configure(stub, kind="taobao_top")
            message = self.channel._pull_orders()
        self.assertIn("signature", message.lower())
        self.assertNotIn("secret-1", message)
        self.assertEqual(self.channel.last_pull_state, "failed")
        self.assertFalse(self._jobs("_pull_orders"), "a bad signature is not retried blindly")

    def test_manual_pull_at_most_every_five_minutes(self):
        with PlatformStub([], access_token="token-1") as stub:
            self._configure(stub)
            with freeze_time(NOW):
                self.channel.action_pull_orders()
                self.assertEqual(len(self._jobs("_pull_orders")), 1)
                with self.assertRaises(UserError) as err:
                    self.channel.action_pull_orders()
                self.assertIn("5 minutes", str(err.exception))
            self._perform_jobs("_pull_orders")
            self.assertEqual(self.channel.last_pull_state, "ok")
            with freeze_time(NOW + timedelta(minutes=5, seconds=1)):
                self.channel.action_pull_orders()
                self.assertEqual(len(self._jobs("_pull_orders")), 1)

    def test_cron_queues_due_channels_only(self):
        with PlatformStub([], access_token="token-1") as stub:
            self._configure(stub, last_pull_at=NOW - timedelta(minutes=3))
            with freeze_time(NOW):
                self.env["omni.channel"]._cron_pull_orders()
                self.assertEqual(len(self._jobs("_pull_orders")), 0)
            with freeze_time(NOW + timedelta(minutes=13)):
                self.env["omni.channel"]._cron_pull_orders()
                self.env["omni.channel"]._cron_pull_orders()  # identity key: queued once
                self.assertEqual(len(self._jobs("_pull_orders")), 1)

    def test_channel_without_api_cannot_pull(self):
        with self.assertRaises(UserError):
            self.channel.action_pull_orders()

    def test_credentials_hidden_from_channel_users(self):
        user = self._create_omni_user("omni_clerk2", self.company, "omni_channel.group_omni_channel_user")
        self.channel.api_app_secret = "s3cret"
        fields_seen = self.channel.with_user(user).fields_get()
        self.assertNotIn("api_app_secret", fields_seen)
        self.assertIn("api_app_secret", self.channel.fields_get())
