# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Review rules as records: each channel switches them on or off and orders
them; an order holds its findings (rule + facts) and reads them in the
reader's language; rules hold per company."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from .common import OmniOrderTestMixin

USER_GROUP = "omni_channel.group_omni_channel_user"
MANAGER_GROUP = "omni_channel.group_omni_channel_manager"


@tagged("post_install", "-at_install")
class TestReviewRules(OmniOrderTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.channel.auto_confirm = False
        cls.Order = cls.env["omni.order"]
        cls.Rule = cls.env["omni.review.rule"]

    def _staged(self, number, **values):
        [result] = self.Order.import_orders("TMALL01", [self._order(number, **values)])
        return self.Order.browse(result["order_id"])

    def _line(self, xmlid):
        rule = self.env.ref(xmlid)
        return self.channel.review_rule_line_ids.filtered(lambda line: line.rule_id == rule)

    def test_a_new_channel_has_a_switch_for_every_rule(self):
        rules = self.Rule.search([("company_id", "in", (False, self.company.id))])
        lines = self.channel.review_rule_line_ids
        self.assertEqual(lines.rule_id, rules)
        self.assertFalse(self._line("omni_order.review_rule_amount_limit").enabled)
        self.assertFalse(self._line("omni_order.review_rule_remote_province").enabled)
        self.assertTrue(self._line("omni_order.review_rule_bad_phone").enabled)
        # asking twice makes nothing twice
        self.channel._omni_ensure_review_rules()
        self.assertEqual(self.channel.review_rule_line_ids, lines)

    def test_a_rule_switched_off_for_one_channel(self):
        order = self._staged("RR-1", phone="12345")
        self.assertEqual(order.state, "exception")
        self.assertEqual(order.exception_rule_ids, self.env.ref("omni_order.review_rule_bad_phone"))
        self.assertEqual(order.exception_codes, "bad_phone")
        self._line("omni_order.review_rule_bad_phone").enabled = False
        order.action_recheck()
        self.assertEqual(order.state, "to_review")
        self.assertFalse(order.exception_rule_ids)
        self.assertFalse(order.exception_ids)
        self.assertFalse(order.exception_reasons)

    def test_the_channel_priority_orders_the_findings(self):
        order = self._staged("RR-2", phone="12345", receiver_name="")
        self.assertEqual(order.exception_ids.rule_id.mapped("code"), ["missing_receiver", "bad_phone"])
        self._line("omni_order.review_rule_bad_phone").sequence = 1
        order.action_recheck()
        self.assertEqual(order.exception_ids.rule_id.mapped("code"), ["bad_phone", "missing_receiver"])
        self.assertTrue(order.exception_reasons.startswith("Phone number '12345'"), order.exception_reasons)

    def test_amount_limit_and_remote_province(self):
        limit = self.Rule.create(
            {
                "name": "Above 100",
                "code": "above_100",
                "check": "amount_limit",
                "amount_limit": 100,
                "company_id": self.company.id,
            }
        )
        self.assertTrue(self.channel.review_rule_line_ids.filtered(lambda line: line.rule_id == limit).enabled)
        self._line("omni_order.review_rule_remote_province").enabled = True
        order = self._staged("RR-3", province="新疆维吾尔自治区", city="乌鲁木齐市")
        self.assertEqual(order.state, "exception")
        self.assertEqual(set(order.exception_rule_ids.mapped("code")), {"remote_province", "above_100"})
        self.assertIn("105.0 is above the limit 100.0 of rule 'Above 100'", order.exception_reasons)
        self.assertIn("新疆维吾尔自治区", order.exception_reasons)
        cheap = self._staged("RR-4", paid_amount="99.00", shipping_fee="0")
        self.assertEqual(cheap.state, "to_review", cheap.exception_reasons)

    def test_a_rule_needs_its_parameter(self):
        with self.assertRaises(UserError):
            self.Rule.create({"name": "No limit", "code": "no_limit", "check": "amount_limit"})
        with self.assertRaises(UserError):
            self.Rule.create({"name": "Bad code", "code": "bad_phone", "check": "bad_phone"})

    def test_a_blacklisted_buyer_in_any_writing_of_the_number(self):
        self.env["omni.buyer.blacklist"].create({"phone": "+86 190-3887-9107", "reason": "Refused three parcels"})
        self.env["omni.buyer.blacklist"].create({"buyer_nick": "bad_nick", "reason": "Fraud"})
        order = self._staged("RR-5")
        self.assertEqual(order.exception_codes, "blacklist")
        self.assertIn("Refused three parcels", order.exception_reasons)
        by_nick = self._staged("RR-6", phone="13800138000", buyer_nick="bad_nick")
        self.assertIn("Fraud", by_nick.exception_reasons)
        other = self._staged("RR-7", phone="13800138000")
        self.assertEqual(other.state, "to_review")

    def test_findings_are_read_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["omni_order"], ["zh_CN"], overwrite=True)
        order = self._staged("RR-9", phone="12345")  # checked in English
        order_zh = order.with_context(lang="zh_CN")
        self.assertIn("电话号码", order_zh.exception_reasons)
        self.assertIn("12345", order_zh.exception_reasons)
        groups = self.Order.with_context(lang="zh_CN").read_group(
            [("id", "=", order.id)], ["exception_rule_ids"], ["exception_rule_ids"]
        )
        self.assertEqual(groups[0]["exception_rule_ids"][1], "电话号码无效")

    def test_findings_and_rules_change_only_by_their_owners(self):
        clerk = self._create_omni_user("rr_clerk", self.company, USER_GROUP)
        manager = self._create_omni_user("rr_manager", self.company, USER_GROUP, MANAGER_GROUP)
        order = self._staged("RR-10", phone="12345")
        finding = order.exception_ids
        with self.assertRaises(UserError):
            finding.with_user(clerk).unlink()
        with self.assertRaises(UserError):
            self.env["omni.order.exception"].with_user(clerk).create(
                {"order_id": order.id, "rule_id": finding.rule_id.id}
            )
        with self.assertRaises(UserError):
            order.with_user(clerk).write({"exception_rule_ids": [(5,)]})
        with self.assertRaises(AccessError):
            finding.rule_id.with_user(clerk).write({"active": False})
        # a manager switches rules per channel and makes the company's own,
        # but does not change the rules every company shares
        self._line("omni_order.review_rule_bad_phone").with_user(manager).enabled = False
        with self.assertRaises(AccessError):
            finding.rule_id.with_user(manager).write({"active": False})
        own = self.Rule.with_user(manager).create(
            {"name": "Tibet", "code": "tibet", "check": "remote_province", "province_keywords": "西藏",
             "company_id": self.company.id}
        )  # fmt: skip
        own.with_user(manager).sequence = 5

    def test_another_company_sees_none_of_the_rules_of_this_one(self):
        self._setup_omni_companies()
        own = self.Rule.create(
            {"name": "Above 9", "code": "above_9", "check": "amount_limit", "amount_limit": 9,
             "company_id": self.company_a.id}
        )  # fmt: skip
        self.assertIn(own, self.channel_a.review_rule_line_ids.rule_id)
        self.assertNotIn(own, self.channel_b.review_rule_line_ids.rule_id)
        self.assertFalse(self.Rule.with_user(self.user_b).search([("id", "=", own.id)]))
        self.assertTrue(self.Rule.with_user(self.user_b).search([("code", "=", "bad_phone")]))
        # the same code in another company is that company's own business
        self.Rule.create(
            {"name": "Above 9", "code": "above_9", "check": "amount_limit", "amount_limit": 9,
             "company_id": self.company_b.id}
        )  # fmt: skip
