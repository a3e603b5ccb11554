# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Review of platform orders: the channel's review rules run on each open
order; what they find becomes the order's exceptions (rule + facts), which
keep it from an automatic confirmation."""

import json
from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round
from odoo.tools.translate import LazyTranslate

from odoo.addons.omni_base.tools import guard, normalize

from ..tools import review_check as checks
from ..tools.order_states import OPEN_STATES
from ..tools.review_check import review_check

_lt = LazyTranslate(__name__)


class OmniOrder(models.Model):
    _inherit = "omni.order"

    exception_ids = fields.One2many("omni.order.exception", "order_id", string="Exceptions", readonly=True)
    exception_rule_ids = fields.Many2many(
        "omni.review.rule",
        "omni_order_review_rule_rel",
        "order_id",
        "rule_id",
        string="Exception Reasons",
        readonly=True,
        copy=False,
    )
    exception_codes = fields.Char(
        readonly=True, copy=False, help="Comma-separated codes of the review rules that found something."
    )
    override_ids = fields.One2many("omni.order.override", "order_id", string="Overrides", readonly=True)
    exception_reasons = fields.Text(
        string="Findings",
        compute="_compute_exception_reasons",
        help="What the review rules found, in the reader's language.",
    )

    @api.depends("exception_ids.message")
    @api.depends_context("lang")
    def _compute_exception_reasons(self):
        for order in self:
            order.exception_reasons = "\n".join(order.exception_ids.mapped("message")) or False

    # --- running the rules ------------------------------------------------
    @api.model
    def _review_checks(self):
        """{code: ReviewCheck} of the checks declared on this model as this
        database's addons built it (``tools/review_check.py``)."""
        cls = type(self)
        if "_omni_review_checks" not in vars(cls):
            cls._omni_review_checks = checks.collect(cls)
        return cls._omni_review_checks

    def _check_exceptions(self):
        """Run each channel's review rules on the open orders among these and
        sort them into exception / to review; one query for the relation
        table, and one per rule for the checks that prepare a batch (the
        blacklist, the rules of a domain)."""
        orders = self.filtered(lambda o: o.state in OPEN_STATES)
        if not orders:
            return True
        known = self._review_checks()
        # a rule whose check's addon is gone runs no more
        rules_of = {
            channel: channel._omni_review_rules().filtered(lambda rule: rule.check in known)
            for channel in orders.channel_id
        }
        context = {
            "components": self.env["omni.product.mapping"]._get_components(
                {(o.channel_id.id, line.platform_sku) for o in orders for line in o.all_line_ids if line.platform_sku}
            ),
        }
        running = self.env["omni.review.rule"].union(*rules_of.values())
        for code, rules in running.grouped("check").items():
            if known[code].prepare:
                context[code] = getattr(orders, known[code].prepare)(rules)
        by_values = defaultdict(list)  # ids, not recordsets: a union per order is quadratic
        findings = []
        for order in orders:
            found = [
                (rule, params)
                for rule in rules_of[order.channel_id]
                for params in getattr(order, known[rule.check].method)(rule, context)
            ]
            rules = self.env["omni.review.rule"].browse(list(dict.fromkeys(rule.id for rule, _params in found)))
            codes = ",".join(sorted(set(rules.mapped("code"))))
            by_values[("exception" if found else "to_review", codes, tuple(rules.ids))].append(order.id)
            findings += [
                {"order_id": order.id, "rule_id": rule.id, "sequence": index, "params": params}
                for index, (rule, params) in enumerate(found)
            ]
        guard.internal(orders.exception_ids).unlink()
        for (state, codes, rule_ids), ids in by_values.items():
            guard.internal(self.browse(ids)).write(
                {"state": state, "exception_codes": codes or False, "exception_rule_ids": [Command.set(rule_ids)]}
            )
        guard.internal(self.env["omni.order.exception"]).create(findings)
        return True

    def _review_blacklisted(self, rules=None):
        """{order id: blacklist entry} of these orders' buyers."""
        found = {}
        for company, orders in self.grouped("company_id").items():
            # an encrypted receiver's phone is masked: the nickname alone is compared
            phones = {
                order.id: not order.receiver_encrypted and normalize.normalize_phone(order.phone) for order in orders
            }
            nicks = {order.id: (order.buyer_nick or "").strip() for order in orders}
            entries = self.env["omni.buyer.blacklist"]._find(company, set(phones.values()), set(nicks.values()))
            by_phone = {entry.phone_key: entry for entry in entries if entry.phone_key}
            by_nick = {entry.buyer_nick: entry for entry in entries if entry.buyer_nick}
            for order in orders:
                entry = by_phone.get(phones[order.id]) or by_nick.get(nicks[order.id])
                if entry:
                    found[order.id] = entry
        return found

    def _fits_uom(self, quantity, uom):
        """Whether stock keeps ``quantity`` of ``uom`` exactly. The product
        relation table has 4 decimals of its own; stock quantities (sale order
        lines, moves, quants) have Odoo's 'Product Unit of Measure' precision
        and the unit's rounding, which this project leaves as Odoo sets them:
        a quantity they would round is an exception, never rounded silently."""
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        kept = float_round(float_round(quantity, precision_rounding=uom.rounding), precision_digits=digits)
        return float_compare(kept, quantity, precision_digits=6) == 0

    # --- the checks: one method per rule check, [facts] of each finding ---
    # A check's label is declared with its method, when Python reads the
    # class: there is no environment yet, so it is a lazy translation (_lt),
    # translated by the rules' selection in the reader's language.
    # pylint: disable=prefer-env-translation
    @review_check(
        "no_lines",
        _lt("No order lines"),
        blocking=True,
        message=lambda rule, facts: rule.env._("The order has no lines."),
    )
    def _review_no_lines(self, rule, context):
        return [] if self.all_line_ids else [{}]

    @review_check(
        "unknown_sku",
        _lt("Unknown platform SKU"),
        blocking=True,
        message=lambda rule, facts: (
            rule.env._(
                "Platform SKU %(sku)s is not in the product relation table of channel %(channel)s.",
                sku=facts["sku"],
                channel=facts["channel"],
            )
            if facts.get("sku")
            else rule.env._("Line %(line)s has no platform SKU.", line=facts["line"])
        ),
    )
    def _review_unknown_sku(self, rule, context):
        found = []
        for line in self.all_line_ids:
            if not line.platform_sku:
                found.append({"line": line.sequence})
            elif (self.channel_id.id, line.platform_sku) not in context["components"]:
                found.append({"line": line.sequence, "sku": line.platform_sku, "channel": self.channel_id.code})
        return found

    @review_check(
        "bad_quantity",
        _lt("Quantity not positive"),
        blocking=True,
        message=lambda rule, facts: rule.env._(
            "Line %(line)s (%(sku)s): quantity must be positive.", line=facts["line"], sku=facts["sku"]
        ),
    )
    def _review_bad_quantity(self, rule, context):
        return [{"line": line.sequence, "sku": line.platform_sku} for line in self.all_line_ids if line.quantity <= 0]

    @review_check(
        "uom_precision",
        _lt("Quantity the product's unit cannot keep"),
        blocking=True,
        message=lambda rule, facts: rule.env._(
            "Line %(line)s (%(sku)s): %(quantity)s %(uom)s of %(product)s cannot be kept in "
            "stock in %(uom)s: use a finer unit of measure for the product (e.g. g instead "
            "of kg) and update the product relation table.",
            line=facts["line"],
            sku=facts["sku"],
            quantity=facts["quantity"],
            uom=facts["uom"],
            product=facts["product"],
        ),
    )
    def _review_uom_precision(self, rule, context):
        found = []
        for line in self.all_line_ids:
            for product, qty in context["components"].get((self.channel_id.id, line.platform_sku), ()):
                product_qty = line.quantity * qty
                if not self._fits_uom(product_qty, product.uom_id):
                    found.append(
                        {
                            "line": line.sequence,
                            "sku": line.platform_sku,
                            "quantity": f"{product_qty:.4f}",
                            "uom": product.uom_id.name,
                            "product": product.display_name,
                        }
                    )
        return found

    @review_check(
        "missing_receiver",
        _lt("Receiver missing"),
        message=lambda rule, facts: rule.env._("The receiver's name is missing."),
    )
    def _review_missing_receiver(self, rule, context):
        return [] if normalize.normalize_text(self.receiver_name) else [{}]

    @review_check(
        "missing_address",
        _lt("Address missing or incomplete"),
        message=lambda rule, facts: rule.env._(
            "The address is missing or incomplete: '%(address)s'.", address=facts["address"]
        ),
    )
    def _review_missing_address(self, rule, context):
        if self.province and self.city and normalize.is_plausible_address(self.address):
            return []
        if self.receiver_encrypted and self.province and self.city and (self.address or self.receiver_address_cipher):
            return []  # the platform's masked address: its waybill service prints the full one
        parts = (self.province, self.city, self.district, self.address)
        return [{"address": " ".join(part for part in parts if part)}]

    @review_check(
        "bad_phone",
        _lt("Phone number not valid"),
        message=lambda rule, facts: rule.env._(
            "Phone number '%(phone)s' is not a mainland mobile or landline number.", phone=facts["phone"]
        ),
    )
    def _review_bad_phone(self, rule, context):
        if self.receiver_encrypted and (self.phone or self.receiver_phone_cipher):
            return []  # masked by the platform, which checked it
        return [] if normalize.is_valid_phone(self.phone) else [{"phone": self.phone or ""}]

    @review_check(
        "unknown_payment",
        _lt("Payment method unknown"),
        message=lambda rule, facts: rule.env._("The payment method is neither prepaid nor cash on delivery."),
    )
    def _review_unknown_payment(self, rule, context):
        return [] if self.payment_method else [{}]

    @review_check(
        "amount_mismatch",
        _lt("Paid amount differs from the lines"),
        message=lambda rule, facts: rule.env._(
            "Paid amount %(paid)s differs from lines %(lines)s plus shipping %(shipping)s.",
            paid=facts["paid"],
            lines=facts["lines"],
            shipping=facts["shipping"],
        ),
    )
    def _review_amount_mismatch(self, rule, context):
        # an order and the orders merged into it: one parcel, one amount to agree
        members = self | self.merged_order_ids
        paid, lines, shipping = (sum(members.mapped(name)) for name in ("paid_amount", "amount_lines", "shipping_fee"))
        if abs(paid - lines - shipping) <= self.channel_id.amount_tolerance + 1e-9:
            return []
        return [{"paid": paid, "lines": round(lines, 2), "shipping": shipping}]

    @review_check(
        "buyer_note",
        _lt("Buyer note to read"),
        message=lambda rule, facts: rule.env._("The buyer left a note to read: '%(note)s'.", note=facts["note"]),
    )
    def _review_buyer_note(self, rule, context):
        return [{"note": self.buyer_note}] if self.buyer_note else []

    @review_check(
        "blacklist",
        _lt("Blacklisted buyer"),
        message=lambda rule, facts: rule.env._(
            "The buyer is blacklisted (%(entry)s): %(reason)s", entry=facts["entry"], reason=facts["reason"]
        ),
        prepare="_review_blacklisted",
    )
    def _review_blacklist(self, rule, context):
        entry = context["blacklist"].get(self.id)
        return [{"entry": entry.display_name, "reason": entry.reason}] if entry else []

    @review_check(
        "amount_limit",
        _lt("Amount above a limit"),
        message=lambda rule, facts: rule.env._(
            "Paid amount %(paid)s is above the limit %(limit)s of rule '%(rule)s'.",
            paid=facts["paid"],
            limit=facts["limit"],
            rule=rule.name,
        ),
    )
    def _review_amount_limit(self, rule, context):
        paid = sum((self | self.merged_order_ids).mapped("paid_amount"))
        if float_compare(paid, rule.amount_limit, precision_digits=2) <= 0:
            return []
        return [{"paid": paid, "limit": rule.amount_limit}]

    @review_check(
        "remote_province",
        _lt("Remote province"),
        message=lambda rule, facts: rule.env._(
            "Province %(province)s is remote (rule '%(rule)s').", province=facts["province"], rule=rule.name
        ),
    )
    def _review_remote_province(self, rule, context):
        province = normalize.normalize_text(self.province)
        if province and any(name in province for name in rule._provinces()):
            return [{"province": self.province}]
        return []

    @review_check(
        "unknown_status",
        _lt("Platform status unknown"),
        message=lambda rule, facts: rule.env._(
            "The platform gives the status '%(status)s', which its adapter does not know: check the order on "
            "the platform before shipping it.",
            status=facts["status"],
        ),
    )
    def _review_unknown_status(self, rule, context):
        return [{"status": self.platform_status or "?"}] if self.platform_status_unknown else []

    @review_check(
        "domain",
        _lt("Orders or lines matching a domain"),
        message=lambda rule, facts: (
            rule.env._(
                "%(message)s (lines %(lines)s)",
                message=rule.domain_message or rule.name,
                lines=", ".join(str(line) for line in facts["lines"]),
            )
            if facts.get("lines")
            else rule.domain_message or rule.name
        ),
        prepare="_review_match_domains",
    )
    def _review_domain(self, rule, context):
        matched = context["domain"][rule.id]
        if self.id not in matched:
            return []
        return [{"lines": matched[self.id]} if matched[self.id] else {}]

    def _review_match_domains(self, rules):
        """{rule id: {order id: [line numbers] (empty for a rule on orders)}}
        of these orders that the rules' domains match: one search per rule
        over all the orders. The lines of an order are those it came with and
        those of the orders merged into it. The search sees the orders and
        lines whoever runs the review (the cron, a clerk who checks again): a
        rule's verdict does not depend on the caller's access to the fields its
        domain names; it reads only these orders and their lines."""
        found = {}
        for rule in rules:
            domain = rule._domain_value()
            if rule.company_id:
                domain = [("company_id", "=", rule.company_id.id), *domain]
            if rule.domain_model == "omni.order.line":
                members = self | self.merged_order_ids
                lines = self.env["omni.order.line"].sudo().search([("order_id", "in", members.ids), *domain])
                matched = defaultdict(list)
                for line in lines:
                    order = line.order_id if line.order_id in self else line.order_id.merged_into_id
                    matched[order.id].append(line.sequence)
                found[rule.id] = {order_id: sorted(numbers) for order_id, numbers in matched.items()}
            else:
                found[rule.id] = dict.fromkeys(self.sudo().search([("id", "in", self.ids), *domain]).ids, [])
        return found

    # pylint: enable=prefer-env-translation

    # --- review actions ---------------------------------------------------
    def action_recheck(self):
        """Check again (after fixing the relation table or the address)."""
        orders = self.filtered(lambda o: o.state in OPEN_STATES)
        orders._check_exceptions()
        orders._omni_allocate()
        return True

    def _check_confirmable(self):
        """Rights and preconditions of confirming these (re-checked) orders:
        findings need an override (a reason, by whom the rule allows);
        lines without product, without a positive quantity or with a
        quantity their product's unit cannot keep, and what a blocking rule
        of a Channel Manager holds (blocking rules) never become a sale
        order."""
        blocked = self.filtered(lambda o: any(o.exception_rule_ids.mapped("blocking")))
        if blocked:
            raise UserError(
                self.env._(
                    "Orders %(orders)s cannot become sale orders: %(findings)s Fix what was found first "
                    "(the product relation table, the lines), then 'Check Again'.",
                    orders=", ".join(blocked.mapped("display_name")),
                    findings=" ".join(dict.fromkeys(blocked.exception_ids.filtered("blocking").mapped("message"))),
                )
            )
        not_overridden = self.filtered(lambda o: o.state == "exception" and o._findings_not_overridden())
        if not_overridden:
            raise UserError(
                self.env._(
                    "Orders %(orders)s have findings of the review rules: open each and use 'Override' with a "
                    "reason (allowed to the roles each rule names), or fix what was found and 'Check Again'.",
                    orders=", ".join(not_overridden.mapped("display_name")),
                )
            )

    def _findings_not_overridden(self):
        """This order's findings that no override covers (same rule, same facts)."""
        self.ensure_one()
        done = {(o.rule_id.id, _facts_key(o.params)) for o in self.override_ids}
        return self.exception_ids.filtered(lambda f: (f.rule_id.id, _facts_key(f.params)) not in done)

    def action_open_override_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override Exceptions of %(order)s", order=self.display_name),
            "res_model": "omni.order.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def action_override(self, reason):
        """Confirm these orders in exception despite their findings (XML-RPC
        too): a reason is required; each finding's rule says who may
        override it; blocking findings are never overridden. Each decision
        is kept (omni.order.override) and written in the order's chatter."""
        reason = (reason or "").strip() if isinstance(reason, str) else ""
        if not reason:
            raise UserError(self.env._("An override needs a reason: say why the order ships despite its findings."))
        self.action_recheck()  # the findings of now, not those the screen showed
        to_override = {}
        for order in self:
            if order.state != "exception":
                raise UserError(self.env._("Order %(order)s has no exception to override.", order=order.display_name))
            findings = order._findings_not_overridden()
            blocking = findings.filtered("blocking")
            if blocking:
                raise UserError(
                    self.env._(
                        "Order %(order)s: '%(finding)s' cannot be overridden: no sale order can be made of it. "
                        "Fix the product relation table or the lines first.",
                        order=order.display_name,
                        finding=blocking[0].message,
                    )
                )
            for rule in findings.rule_id:
                if not self.env.su and not (rule.override_group_ids & self.env.user.groups_id):
                    raise UserError(
                        self.env._(
                            "Order %(order)s: only %(groups)s may override the finding of rule '%(rule)s'.",
                            order=order.display_name,
                            groups=", ".join(rule.override_group_ids.mapped("full_name")) or self.env._("nobody"),
                            rule=rule.name,
                        )
                    )
            to_override[order] = findings
        # every order checked first: all are overridden or none
        now = fields.Datetime.now()
        for order, findings in to_override.items():
            if not findings:  # overridden before with the same facts
                continue
            guard.internal(self.env["omni.order.override"]).create(
                [
                    {
                        "order_id": order.id,
                        "rule_id": finding.rule_id.id,
                        "params": finding.params,
                        "reason": reason,
                        "user_id": self.env.user.id,
                        "date": now,
                    }
                    for finding in findings
                ]
            )
            # the trace is left whoever overrides (rights checked above), even a user without e-mail address
            order.sudo().message_post(
                author_id=self.env.user.partner_id.id,
                body=Markup("%s<ul>%s</ul>%s")
                % (
                    self.env._("Exceptions overridden by %(user)s:", user=self.env.user.name),
                    Markup().join(Markup("<li>%s</li>") % message for message in findings.mapped("message")),
                    self.env._("Reason: %(reason)s", reason=reason),
                ),
            )
        self.action_confirm()
        return True


def _facts_key(params):
    """A finding's facts as a comparable value."""
    return json.dumps(params or {}, sort_keys=True, default=str)
