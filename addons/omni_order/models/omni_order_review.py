# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Review of platform orders: the channel's review rules run on each open
order; what they find becomes the order's exceptions (rule + facts), which
keep it from an automatic confirmation."""

from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round

from odoo.addons.omni_channel.tools import guard, normalize

from .omni_order import OPEN_STATES


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
    def _check_exceptions(self):
        """Run each channel's review rules on the open orders among these and
        sort them into exception / to review; one query for the relation
        table and one for the blacklist of all of them."""
        orders = self.filtered(lambda o: o.state in OPEN_STATES)
        if not orders:
            return True
        context = {
            "components": self.env["omni.product.mapping"]._get_components(
                {(o.channel_id.id, line.platform_sku) for o in orders for line in o.line_ids if line.platform_sku}
            ),
            "blacklisted": orders._review_blacklisted(),
        }
        rules_of = {channel: channel._omni_review_rules() for channel in orders.channel_id}
        by_values = defaultdict(list)  # ids, not recordsets: a union per order is quadratic
        findings = []
        for order in orders:
            found = [
                (rule, params)
                for rule in rules_of[order.channel_id]
                for params in getattr(order, f"_review_{rule.check}")(rule, context)
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

    def _review_blacklisted(self):
        """{order id: blacklist entry} of these orders' buyers."""
        found = {}
        for company, orders in self.grouped("company_id").items():
            phones = {order.id: normalize.normalize_phone(order.phone) for order in orders}
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
    def _review_no_lines(self, rule, context):
        return [] if self.line_ids else [{}]

    def _review_unknown_sku(self, rule, context):
        found = []
        for line in self.line_ids:
            if not line.platform_sku:
                found.append({"line": line.sequence})
            elif (self.channel_id.id, line.platform_sku) not in context["components"]:
                found.append({"line": line.sequence, "sku": line.platform_sku, "channel": self.channel_id.code})
        return found

    def _review_bad_quantity(self, rule, context):
        return [{"line": line.sequence, "sku": line.platform_sku} for line in self.line_ids if line.quantity <= 0]

    def _review_uom_precision(self, rule, context):
        found = []
        for line in self.line_ids:
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

    def _review_missing_receiver(self, rule, context):
        return [] if normalize.normalize_text(self.receiver_name) else [{}]

    def _review_missing_address(self, rule, context):
        if self.province and self.city and normalize.is_plausible_address(self.address):
            return []
        parts = (self.province, self.city, self.district, self.address)
        return [{"address": " ".join(part for part in parts if part)}]

    def _review_bad_phone(self, rule, context):
        return [] if normalize.is_valid_phone(self.phone) else [{"phone": self.phone or ""}]

    def _review_unknown_payment(self, rule, context):
        return [] if self.payment_method else [{}]

    def _review_amount_mismatch(self, rule, context):
        expected = self.amount_lines + self.shipping_fee
        if abs(self.paid_amount - expected) <= self.channel_id.amount_tolerance + 1e-9:
            return []
        return [{"paid": self.paid_amount, "lines": round(self.amount_lines, 2), "shipping": self.shipping_fee}]

    def _review_buyer_note(self, rule, context):
        return [{"note": self.buyer_note}] if self.buyer_note else []

    def _review_blacklist(self, rule, context):
        entry = context["blacklisted"].get(self.id)
        return [{"entry": entry.display_name, "reason": entry.reason}] if entry else []

    def _review_amount_limit(self, rule, context):
        if float_compare(self.paid_amount, rule.amount_limit, precision_digits=2) <= 0:
            return []
        return [{"paid": self.paid_amount, "limit": rule.amount_limit}]

    def _review_remote_province(self, rule, context):
        province = normalize.normalize_text(self.province)
        if province and any(name in province for name in rule._provinces()):
            return [{"province": self.province}]
        return []

    # --- review actions ---------------------------------------------------
    def action_recheck(self):
        """Check again (after fixing the relation table or the address)."""
        orders = self.filtered(lambda o: o.state in OPEN_STATES)
        orders._check_exceptions()
        orders._omni_allocate()
        return True

    def _check_confirmable(self):
        """Rights and preconditions of confirming these (re-checked) orders:
        exceptions need a Channel Manager; lines without product, without a
        positive quantity or with a quantity their product's unit cannot keep
        (blocking rules) never become a sale order."""
        self._check_manager_for_exceptions()
        blocked = self.filtered(lambda o: any(o.exception_rule_ids.mapped("blocking")))
        if blocked:
            raise UserError(
                self.env._(
                    "Orders %(orders)s have lines without product, without a positive quantity or with "
                    "quantities their products' units cannot keep: fix the product relation table or the lines "
                    "first.",
                    orders=", ".join(blocked.mapped("display_name")),
                )
            )

    def _check_manager_for_exceptions(self):
        if self.filtered(lambda o: o.state == "exception") and not self.env.user.has_group(
            "omni_channel.group_omni_channel_manager"
        ):
            raise UserError(self.env._("Only a Channel Manager may confirm orders that are in exception."))
