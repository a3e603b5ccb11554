# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The review queue (issue 23): a merge leaves one order to handle, an
override needs a reason and a role and is kept, mapping a SKU re-checks its
orders, the overview's counts agree with the lists they open."""

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import Form, TransactionCase
from odoo.tools.safe_eval import safe_eval

from odoo.addons.omni_base.tools import guard

from ..models.omni_channel import OVERVIEW_FILTERS
from .common import OmniOrderTestMixin

USER_GROUP = "omni_channel.group_omni_channel_user"
MANAGER_GROUP = "omni_channel.group_omni_channel_manager"


class TestReviewQueue(OmniOrderTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.channel.auto_confirm = False
        cls.Order = cls.env["omni.order"]
        cls.clerk = cls._create_omni_user("queue_clerk", cls.company, USER_GROUP)
        cls.manager = cls._create_omni_user("queue_manager", cls.company, MANAGER_GROUP)

    def _import(self, *orders):
        return self.Order.browse([r["order_id"] for r in self.Order.import_orders("TMALL01", list(orders))])

    # --- merge ----------------------------------------------------------------
    def _merge_pair(self):
        first, second = self._import(
            self._order("MQ1", order_time="2026-11-11 09:00:00", buyer_note="放门口"),
            self._order(
                "MQ2",
                buyer_note="请下午送",
                paid_amount="36",
                lines=[{"platform_sku": "TM-HONEY-500G", "quantity": "1", "unit_price": "30"}],
            ),
        )
        return first, second

    def test_merged_away_order_leaves_the_queue_and_the_survivor_shows_everything(self):
        first, second = self._merge_pair()
        self.assertEqual((first.state, second.state), ("exception", "exception"))
        (first | second).action_merge()
        self.assertEqual(second.state, "merged")
        self.assertEqual(second.merged_into_id, first)
        self.assertFalse(second.exception_ids or second.exception_rule_ids or second.exception_codes)
        # the survivor: all lines, each with its order, and both notes
        self.assertEqual(first.all_line_ids.order_id, first | second)
        self.assertEqual(set(first.all_line_ids.mapped("platform_sku")), {"TM-TEA-250G", "TM-HONEY-500G"})
        self.assertIn("放门口", first.buyer_note)
        self.assertIn("[TMALL01] MQ2: 请下午送", first.buyer_note)
        self.assertIn("请下午送", first.exception_reasons, "the survivor's review reads the merged note")
        # one order left to handle, in every list and count
        exceptions = self.Order.search([("channel_id", "=", self.channel.id), ("state", "=", "exception")])
        self.assertEqual(exceptions, first)
        self.channel.invalidate_recordset()
        self.assertEqual(self.channel.overview_exception_count, 1)
        # the survivor holds the stock of both; the merged one none
        allocation = self.env["omni.order.allocation"].search([("order_id", "in", (first | second).ids)])
        self.assertEqual(allocation.order_id, first)
        self.assertEqual(set(allocation.product_id.ids), {self.tea.id, self.honey.id})
        # confirmed with one sale order for both; the merged order stays merged, linked to it
        first.action_override("Both notes read: the buyer is home in the afternoon")
        self.assertEqual(first.state, "confirmed")
        self.assertEqual(second.state, "merged")
        self.assertEqual(second.sale_order_id, first.sale_order_id)
        self.assertIn(self.honey, first.sale_order_id.order_line.product_id)
        with self.assertRaisesRegex(UserError, "merged into"):
            second.action_cancel()

    def test_overview_counts_agree_with_the_filters_they_open(self):
        with freeze_time("2026-11-11 08:00:00"):
            first, second = self._merge_pair()
            (first | second).action_merge()
            self._import(self._order("MQ3", receiver_name="王芳", phone="17714475366"))
            self._import(self._order("MQ4", lines=[{"platform_sku": "NOPE", "quantity": "1"}], receiver_name="李雷"))
        view = self.env.ref("omni_order.omni_order_view_search")
        filters = {node.get("name"): node.get("domain") for node in etree.fromstring(view.arch).iter("filter")}
        for when in ("2026-11-11 09:00:00", "2026-11-14 09:00:00"):
            with freeze_time(when):
                self.channel.invalidate_recordset()
                for name, domain in OVERVIEW_FILTERS.items():
                    self.assertEqual(safe_eval(filters[name], {}), domain, f"filter {name} is the card's domain")
                    listed = self.Order.search_count([("channel_id", "=", self.channel.id), *domain])
                    counted = self.channel[
                        {
                            "filter_new": "overview_new_count",
                            "filter_exception": "overview_exception_count",
                            "filter_to_review": "overview_review_count",
                            "filter_overdue": "overview_overdue_count",
                            "filter_to_ship": "overview_to_ship_count",
                        }[name]
                    ]
                    self.assertEqual(counted, listed, f"{name} at {when}")
        self.assertEqual(self.channel.overview_exception_count, 2, "MQ1 (with MQ2's note) and MQ4, not MQ2")
        self.assertEqual(self.channel.overview_overdue_count, 3, "the merged order is not overdue: it is MQ1")

    # --- override -------------------------------------------------------------
    def _mismatch(self):
        [order] = self._import(
            self._order("OV-50", paid_amount="50", lines=[{"platform_sku": "TM-HONEY-500G", "quantity": "2",
                                                           "unit_price": "27"}])
        )  # fmt: skip
        self.assertEqual(order.state, "exception")
        self.assertEqual(order.exception_rule_ids.check, "amount_mismatch")
        return order

    def test_override_needs_a_reason_and_the_rules_role_and_is_kept(self):
        order = self._mismatch()
        with self.assertRaisesRegex(UserError, "Override"):
            order.with_user(self.manager).action_confirm()
        self.assertFalse(order.sale_order_id, "no confirmation at 50 without a decision")
        with self.assertRaisesRegex(UserError, "needs a reason"):
            order.with_user(self.manager).action_override("   ")
        with self.assertRaisesRegex(UserError, "may override"):
            order.with_user(self.clerk).action_override("I think it is fine")
        self.assertFalse(order.override_ids)
        self.assertEqual(order.state, "exception")

        order.with_user(self.manager).action_override("Buyer paid the 10 missing by bank transfer")
        self.assertEqual(order.state, "confirmed")
        override = order.override_ids
        self.assertEqual(override.user_id, self.manager)
        self.assertTrue(override.date)
        self.assertEqual(override.rule_id.check, "amount_mismatch")
        self.assertEqual(override.params, {"paid": 50.0, "lines": 54.0, "shipping": 6.0})
        self.assertEqual(override.reason, "Buyer paid the 10 missing by bank transfer")
        self.assertIn("Paid amount 50.0 differs", override.message)
        chatter = order.message_ids.filtered(lambda m: "Buyer paid the 10 missing" in (m.body or ""))
        self.assertTrue(chatter, "logged on the order")
        self.assertIn(self.manager.name, chatter[0].body)
        with self.assertRaises(UserError):
            override.write({"reason": "nothing"})

    def test_override_allowed_to_the_roles_of_the_rule(self):
        order = self._mismatch()
        rule = order.exception_rule_ids
        rule.override_group_ids = self.env.ref(USER_GROUP)
        order.with_user(self.clerk).action_override("Agreed with the shop owner")
        self.assertEqual(order.state, "confirmed")

    def test_blocking_finding_is_never_overridden(self):
        [order] = self._import(self._order("OV-NOSKU", lines=[{"platform_sku": "NOPE", "quantity": "1"}]))
        with self.assertRaisesRegex(UserError, "cannot be overridden"):
            order.action_override("ship it anyway")
        self.assertFalse(order.sale_order_id)

    def test_changed_finding_needs_a_new_override(self):
        order = self._mismatch()
        order.with_user(self.manager).action_override("Transfer received")
        order.action_cancel()
        order.action_reset()
        self.assertEqual(order.state, "exception")
        order.write({"paid_amount": 40})
        order.action_recheck()
        with self.assertRaisesRegex(UserError, "Override"):
            order.action_confirm()

    # --- map SKU --------------------------------------------------------------
    def test_map_sku_checks_the_waiting_orders_again(self):
        order, other = self._import(
            self._order("MAP-1", lines=[{"platform_sku": "TM-NEW-SKU", "quantity": "1", "unit_price": "99"}]),
            self._order("MAP-2", receiver_name="王芳", phone="17714475366",
                        lines=[{"platform_sku": "TM-NEW-SKU", "quantity": "1", "unit_price": "99"}]),
        )  # fmt: skip
        self.assertEqual((order.state, other.state), ("exception", "exception"))
        action = order.line_ids.action_map_sku()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]), view=action["views"][0][0])
        form.product_id = self.honey
        form.save()
        # no 'Check Again': the banners are current
        self.assertEqual((order.state, other.state), ("to_review", "to_review"))
        self.assertFalse(order.exception_ids or other.exception_ids)

    def test_one_name_for_the_relation_table_and_for_overdue(self):
        from odoo.tools.translate import PoFileReader

        path = "omni_order/i18n/zh_CN.po"
        from odoo.tools.misc import file_path

        with open(file_path(path), "rb") as po:
            entries = list(PoFileReader(po))
        texts = [entry["value"] for entry in entries]
        self.assertFalse([t for t in texts if "商品对应表" in t], "the menu says 商品关系表")
        overdue = {entry["value"] for entry in entries if entry["src"] in ("Overdue", "<span>Overdue</span>")}
        self.assertEqual({value.replace("<span>", "").replace("</span>", "") for value in overdue}, {"超时未发"})

    # --- empty list and channel card ----------------------------------------------
    def test_review_queue_when_empty_says_it_is_clear(self):
        action = self.channel.with_context(overview_filter="filter_exception").action_open_overview_orders()
        self.assertIn("review queue is clear", action["help"])
        self.assertNotIn("15 minutes", action["help"])
        self.assertEqual(action["context"]["search_default_filter_exception"], 1)
        self.assertIn(
            "15 minutes",
            self.channel.with_context(overview_filter="filter_to_ship").action_open_overview_orders()["help"],
        )

    def test_card_shows_time_and_reason_of_a_failed_pull(self):
        guard.internal(self.channel.sudo()).write(
            {"last_pull_state": "failed", "last_pull_error": "Tmall: session key expired",
             "last_pull_at": "2026-11-11 02:15:00"}
        )  # fmt: skip
        self.assertIn("session key expired", self.channel.last_pull_message)
        view = self.env.ref("omni_order.omni_channel_view_kanban_overview")
        arch = self.env["omni.channel"].get_views([(view.id, "kanban")])["views"]["kanban"]["arch"]
        block = etree.fromstring(arch).xpath("//div[@name='omni_overview_pull_failed']")[0]
        names = [field.get("name") for field in block.iter("field")]
        self.assertIn("last_pull_at", names)
        self.assertIn("last_pull_message", names)
