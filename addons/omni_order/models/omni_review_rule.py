# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Review rules: the checks an incoming platform order passes before it may
become a sale order, as records a Channel Manager sees, switches on or off per
channel and orders by priority (``omni.channel.review.rule``).

A rule's *check* says which test it runs (``omni.order._review_<check>``);
rules of the same check may differ by their parameters (an amount limit, the
provinces counted as remote) and by the channels they apply to. The rules of
this addon's data apply to every company; a Channel Manager adds rules of
their own company."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

CHECKS = [
    ("no_lines", "No order lines"),
    ("unknown_sku", "Unknown platform SKU"),
    ("bad_quantity", "Quantity not positive"),
    ("uom_precision", "Quantity the product's unit cannot keep"),
    ("missing_receiver", "Receiver missing"),
    ("missing_address", "Address missing or incomplete"),
    ("bad_phone", "Phone number not valid"),
    ("unknown_payment", "Payment method unknown"),
    ("amount_mismatch", "Paid amount differs from the lines"),
    ("buyer_note", "Buyer note to read"),
    ("blacklist", "Blacklisted buyer"),
    ("amount_limit", "Amount above a limit"),
    ("remote_province", "Remote province"),
    ("unknown_status", "Platform status unknown"),
]
# an order with these findings cannot become a sale order, whoever confirms it
BLOCKING_CHECKS = frozenset({"no_lines", "unknown_sku", "bad_quantity", "uom_precision"})


class OmniReviewRule(models.Model):
    _name = "omni.review.rule"
    _description = "Order Review Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Short technical name, given by integrators' APIs (exception codes of an order).",
    )
    check = fields.Selection(CHECKS, required=True, help="The test this rule runs on each incoming order.")
    description = fields.Text(translate=True)
    sequence = fields.Integer(
        string="Priority",
        default=100,
        help="Default place of the rule in a new channel's list; a channel orders its rules itself.",
    )
    active = fields.Boolean(default=True)
    default_on = fields.Boolean(
        string="On for New Channels",
        default=True,
        help="Whether a channel that gets this rule has it switched on.",
    )
    blocking = fields.Boolean(
        compute="_compute_blocking",
        store=True,
        help="An order with this finding cannot become a sale order, even when a manager confirms it: "
        "its lines have no product or no quantity stock could keep.",
    )
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Empty: the rule applies to every company (rules that come with the addon).",
    )
    amount_limit = fields.Float(
        digits=(16, 2),
        help="Amount above a limit: an order whose paid amount is above this waits for a person.",
    )
    province_keywords = fields.Char(
        string="Provinces",
        help="Remote province: comma-separated names (e.g. 新疆, 西藏, 青海); "
        "an order whose province contains one waits for a person.",
    )
    channel_line_ids = fields.One2many("omni.channel.review.rule", "rule_id", string="Channels")
    override_group_ids = fields.Many2many(
        "res.groups",
        "omni_review_rule_override_group_rel",
        "rule_id",
        "group_id",
        string="Who May Override",
        default=lambda self: self.env.ref("omni_channel.group_omni_channel_manager", raise_if_not_found=False),
        help="Members of these groups may confirm an order despite this rule's finding, giving a reason that is "
        "kept on the order. Empty: nobody. Blocking rules are never overridden.",
    )

    @api.depends("check")
    def _compute_blocking(self):
        for rule in self:
            rule.blocking = rule.check in BLOCKING_CHECKS

    @api.constrains("code", "company_id")
    def _check_code_unique(self):
        for rule in self:
            twins = (
                self.sudo()
                .with_context(active_test=False)
                .search_count(
                    [("code", "=", rule.code), ("company_id", "in", (rule.company_id.id, False)), ("id", "!=", rule.id)]
                )
            )
            if twins:
                raise ValidationError(self.env._("Review rule code %(code)s is already used.", code=rule.code))

    @api.constrains("check", "amount_limit", "province_keywords")
    def _check_parameters(self):
        for rule in self:
            if rule.check == "amount_limit" and rule.amount_limit <= 0:
                raise ValidationError(self.env._("Review rule %(rule)s needs a positive amount limit.", rule=rule.name))
            if rule.check == "remote_province" and not rule._provinces():
                raise ValidationError(self.env._("Review rule %(rule)s needs at least one province.", rule=rule.name))

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        # every channel the new rules apply to gets its switch; channels of
        # other companies too for a rule of every company (only an
        # administrator creates those: rights were checked by create)
        channels = (
            self.env["omni.channel"]
            .sudo()
            .search([("company_id", "in", rules.company_id.ids)] if all(rule.company_id for rule in rules) else [])
        )
        channels._omni_ensure_review_rules()
        return rules

    def _provinces(self):
        self.ensure_one()
        text = (self.province_keywords or "").replace("，", ",").replace("、", ",")
        return [part.strip() for part in text.split(",") if part.strip()]

    def _message(self, params):
        """The finding ``params`` of this rule in the reader's language."""
        self.ensure_one()
        params = dict(params or {})
        templates = {
            "no_lines": lambda: self.env._("The order has no lines."),
            "unknown_sku": lambda: (
                self.env._(
                    "Platform SKU %(sku)s is not in the product relation table of channel %(channel)s.",
                    sku=params["sku"],
                    channel=params["channel"],
                )
                if params.get("sku")
                else self.env._("Line %(line)s has no platform SKU.", line=params["line"])
            ),
            "bad_quantity": lambda: self.env._(
                "Line %(line)s (%(sku)s): quantity must be positive.", line=params["line"], sku=params["sku"]
            ),
            "uom_precision": lambda: self.env._(
                "Line %(line)s (%(sku)s): %(quantity)s %(uom)s of %(product)s cannot be kept in "
                "stock in %(uom)s: use a finer unit of measure for the product (e.g. g instead "
                "of kg) and update the product relation table.",
                line=params["line"],
                sku=params["sku"],
                quantity=params["quantity"],
                uom=params["uom"],
                product=params["product"],
            ),
            "missing_receiver": lambda: self.env._("The receiver's name is missing."),
            "missing_address": lambda: self.env._(
                "The address is missing or incomplete: '%(address)s'.", address=params["address"]
            ),
            "bad_phone": lambda: self.env._(
                "Phone number '%(phone)s' is not a mainland mobile or landline number.", phone=params["phone"]
            ),
            "unknown_payment": lambda: self.env._("The payment method is neither prepaid nor cash on delivery."),
            "amount_mismatch": lambda: self.env._(
                "Paid amount %(paid)s differs from lines %(lines)s plus shipping %(shipping)s.",
                paid=params["paid"],
                lines=params["lines"],
                shipping=params["shipping"],
            ),
            "buyer_note": lambda: self.env._("The buyer left a note to read: '%(note)s'.", note=params["note"]),
            "blacklist": lambda: self.env._(
                "The buyer is blacklisted (%(entry)s): %(reason)s", entry=params["entry"], reason=params["reason"]
            ),
            "amount_limit": lambda: self.env._(
                "Paid amount %(paid)s is above the limit %(limit)s of rule '%(rule)s'.",
                paid=params["paid"],
                limit=params["limit"],
                rule=self.name,
            ),
            "remote_province": lambda: self.env._(
                "Province %(province)s is remote (rule '%(rule)s').", province=params["province"], rule=self.name
            ),
            "unknown_status": lambda: self.env._(
                "The platform gives the status '%(status)s', which its adapter does not know: check the order on "
                "the platform before shipping it.",
                status=params["status"],
            ),
        }
        try:
            return templates[self.check]()
        except KeyError:
            # a finding recorded before its message took parameters (migrated orders)
            return self.name
