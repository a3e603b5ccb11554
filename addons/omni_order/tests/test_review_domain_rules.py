# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Review checks declared once (method, message, blocking) and rules a
Channel Manager writes without code: a domain on the platform order or its
lines, run in the same review pass, one search per rule for the batch."""

from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged

from ..tools import review_check
from .common import OmniOrderTestMixin

# an order of 5,006 whose lines and shipping agree with the paid amount
BIG = {
    "paid_amount": "5006.00",
    "lines": [{"platform_sku": "TM-TEA-250G", "quantity": "1", "unit_price": "5000.0"}],
}
MANAGER_GROUPS = ("omni_channel.group_omni_channel_user", "omni_channel.group_omni_channel_manager")


@tagged("post_install", "-at_install")
class TestReviewChecksDeclaredOnce(TransactionCase):
    def test_every_check_has_its_label_message_and_blocking_in_one_place(self):
        known = self.env["omni.order"]._review_checks()
        self.assertEqual(
            {code for code, check in known.items() if check.blocking},
            {"no_lines", "unknown_sku", "bad_quantity", "uom_precision"},
        )
        selection = dict(self.env["omni.review.rule"]._fields["check"]._description_selection(self.env))
        self.assertEqual(set(selection), set(known))
        self.assertEqual(selection["bad_phone"], "Phone number not valid")
        # each rule of the addon's data runs a declared check, blocking as the check says
        for rule in self.env["omni.review.rule"].search([]):
            self.assertIn(rule.check, known)
            self.assertEqual(rule.blocking, known[rule.check].blocking, rule.code)

    def test_an_extension_adds_or_redeclares_a_check_by_its_method(self):
        def message(rule, facts):
            return "found"

        class Base:
            @review_check.review_check("first", "First", message=message)
            def _review_first(self, rule, context):
                return []

        class Override(Base):
            def _review_first(self, rule, context):  # no decorator: the check stays
                return [{}]

            @review_check.review_check("second", "Second", message=message, blocking=True)
            def _review_second(self, rule, context):
                return []

        class Redeclared(Override):
            @review_check.review_check("first", "First, blocking now", message=message, blocking=True)
            def _review_first(self, rule, context):
                return []

        self.assertEqual(list(review_check.collect(Override)), ["first", "second"])
        self.assertFalse(review_check.collect(Override)["first"].blocking)
        self.assertEqual(review_check.collect(Override)["first"].method, "_review_first")
        self.assertTrue(review_check.collect(Redeclared)["first"].blocking)


@tagged("post_install", "-at_install")
class TestDomainReviewRules(OmniOrderTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.channel.auto_confirm = False
        cls.Order = cls.env["omni.order"]
        cls.Rule = cls.env["omni.review.rule"]

    def _staged(self, number, channel=None, **values):
        [result] = self.Order._import_orders(channel or self.channel, [self._order(number, **values)], source="rpc")
        return self.Order.browse(result["order_id"])

    def _domain_rule(self, domain, company=None, **values):
        return self.Rule.create(
            {
                "name": "Big order of a new buyer",
                "code": "big_new_buyer",
                "check": "domain",
                "domain_model": "omni.order",
                "domain": domain,
                "domain_message": "Above 5,000 from a new buyer: call before shipping.",
                "company_id": (company or self.company).id,
                **values,
            }
        )

    def test_a_domain_rule_holds_an_order_and_releases_it_when_changed(self):
        manager = self._create_omni_user("dr_manager", self.company, *MANAGER_GROUPS)
        rule = self.Rule.with_user(manager).create(
            {
                "name": "Big order of a new buyer",
                "code": "big_new_buyer",
                "check": "domain",
                "domain_model": "omni.order",
                "domain": "[('paid_amount', '>', 5000), ('buyer_nick', 'ilike', 'new_')]",
                "domain_message": "Above 5,000 from a new buyer: call before shipping.",
                "company_id": self.company.id,
            }
        )
        self.assertFalse(rule.blocking)
        self.assertTrue(self.channel.review_rule_line_ids.filtered(lambda line: line.rule_id == rule).enabled)
        big = self._staged("DR-1", buyer_nick="new_buyer", **BIG)
        self.assertEqual(big.state, "exception")
        self.assertEqual(big.exception_codes, "big_new_buyer")
        self.assertEqual(big.exception_reasons, "Above 5,000 from a new buyer: call before shipping.")
        known = self._staged("DR-2", buyer_nick="old_friend", **BIG)
        small = self._staged("DR-3", buyer_nick="new_buyer")
        self.assertNotIn("big_new_buyer", known.exception_codes or "")
        self.assertNotIn("big_new_buyer", small.exception_codes or "")
        # the order no longer matches: checked again, it is released
        big.buyer_nick = "old_friend"
        big.action_recheck()
        self.assertNotIn("big_new_buyer", big.exception_codes or "")
        self.assertFalse(big.exception_ids.filtered(lambda f: f.rule_id == rule))
        # the rule changed: the order it now matches is held
        rule.with_user(manager).domain = "[('paid_amount', '>', 5000)]"
        big.action_recheck()
        self.assertEqual(big.exception_codes, "big_new_buyer")

    def test_a_rule_on_lines_names_the_lines_and_may_block(self):
        rule = self._domain_rule(
            "[('quantity', '>=', 10)]",
            domain_model="omni.order.line",
            code="bulk_line",
            name="Bulk line",
            domain_message="Bulk quantity",
            domain_blocking=True,
        )
        self.assertTrue(rule.blocking)
        lines = [
            {"platform_sku": "TM-TEA-250G", "quantity": "1", "unit_price": "99.0"},
            {"platform_sku": "TM-TEA-250G", "quantity": "12", "unit_price": "0"},
        ]
        order = self._staged("DR-4", lines=lines)
        self.assertEqual(order.exception_codes, "bulk_line")
        numbers = order.exception_ids.params["lines"]
        self.assertEqual(numbers, [order.line_ids.filtered(lambda line: line.quantity == 12).sequence])
        self.assertEqual(order.exception_reasons, f"Bulk quantity (lines {numbers[0]})")
        with self.assertRaisesRegex(UserError, "DR-4"):
            order.action_confirm()
        with self.assertRaisesRegex(UserError, "cannot be overridden"):
            order.action_override("the buyer called")

    def test_the_rule_form_asks_for_a_domain_only_for_a_domain_rule(self):
        manager = self._create_omni_user("dr_form_manager", self.company, *MANAGER_GROUPS)
        form = Form(self.Rule.with_user(manager))
        form.name = "Bulk line"
        form.code = "bulk_line"
        form.check = "bad_phone"
        with self.assertRaises(AssertionError):  # not shown for a check of code
            form.domain = "[('quantity', '>=', 10)]"
        form.check = "domain"
        form.domain_model = "omni.order.line"
        form.domain = "[('quantity', '>=', 10)]"
        form.domain_message = "Bulk quantity"
        form.domain_blocking = True
        rule = form.save()
        self.assertEqual(rule.company_id, self.company)
        self.assertTrue(rule.blocking)
        self.assertEqual(rule._domain_value(), [("quantity", ">=", 10)])

    def test_a_bad_domain_is_refused_at_save(self):
        for domain, says in (
            ("[('no_such_field', '=', 1)]", "no_such_field"),
            ("[('paid_amount', '>'", "not valid"),
            ("[('paid_amount', 'is about', 5)]", "not valid"),
            ("'paid_amount > 5'", "not valid"),
            ("[]", "needs a domain"),
        ):
            with self.subTest(domain=domain), self.assertRaises(ValidationError) as caught:
                self._domain_rule(domain)
            self.assertIn(says, str(caught.exception))
            self.assertIn("Big order of a new buyer", str(caught.exception))
        rule = self._domain_rule("[('paid_amount', '>', 5000)]")
        with self.assertRaises(ValidationError):
            rule.domain = "[('paid_amount', '>', 5000), ('nope', '=', 1)]"
        self.assertEqual(rule.domain, "[('paid_amount', '>', 5000)]")
        # a date relative to today is a valid domain
        self._domain_rule("[('order_time', '<', context_today() - relativedelta(days=30))]", code="old_order")

    def test_one_search_per_rule_for_the_whole_batch(self):
        self._domain_rule("[('paid_amount', '>', 100)]", code="above_100", name="Above 100")
        self._domain_rule("[('quantity', '>', 1)]", code="two_units", name="Two units", domain_model="omni.order.line")
        orders = [self._order(f"DR-B{index}") for index in range(6)]
        Line, Order = type(self.env["omni.order.line"]), type(self.Order)
        line_search, order_search = Line.search, Order.search
        searched = []

        def count_lines(records, domain, *args, **kwargs):
            searched.append(("line", str(domain)))
            return line_search(records, domain, *args, **kwargs)

        def count_orders(records, domain, *args, **kwargs):
            searched.append(("order", str(domain)))
            return order_search(records, domain, *args, **kwargs)

        with patch.object(Line, "search", count_lines), patch.object(Order, "search", count_orders):
            results = self.Order._import_orders(self.channel, orders, source="rpc")
        staged = self.Order.browse([result["order_id"] for result in results])
        self.assertEqual(set(staged.mapped("exception_codes")), {"above_100"})
        self.assertEqual(len([s for s in searched if s[0] == "order" and "paid_amount" in s[1]]), 1, searched)
        self.assertEqual(len([s for s in searched if s[0] == "line" and "quantity" in s[1]]), 1, searched)

    def test_a_rule_of_one_company_holds_none_of_another(self):
        self._setup_omni_companies()
        rule = self._domain_rule("[('paid_amount', '>', 100)]", company=self.company_a)
        self.assertIn(rule, self.channel_a.review_rule_line_ids.rule_id)
        self.assertNotIn(rule, self.channel_b.review_rule_line_ids.rule_id)
        held = self._staged("DR-A", channel=self.channel_a)
        free = self._staged("DR-B", channel=self.channel_b)
        self.assertIn("big_new_buyer", held.exception_codes)
        self.assertNotIn("big_new_buyer", free.exception_codes or "")
        self.assertFalse(self.Rule.with_user(self.user_b).search([("id", "=", rule.id)]))
        # the same code in another company is that company's own rule
        self._domain_rule("[('paid_amount', '>', 100000)]", company=self.company_b)
        self.assertNotIn("big_new_buyer", free.exception_codes or "")
