# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Review rules: the checks an incoming platform order passes before it may
become a sale order, as records a Channel Manager sees, switches on or off per
channel and orders by priority (``omni.channel.review.rule``).

A rule's *check* says which test it runs: a check declared with
``@review_check`` on an ``omni.order`` method (``tools/review_check.py``), or
the *domain* check, by which a Channel Manager makes a rule without code (as
OCA ``base_exception`` does): a domain on the platform order or on its lines,
a message, blocking or not. Rules of the same check may differ by their
parameters (an amount limit, the provinces counted as remote, the domain) and
by the channels they apply to. The rules of
this addon's data apply to every company; a Channel Manager adds rules of
their own company."""

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import dateutil, safe_eval
from odoo.tools.safe_eval import time as safe_time

ORDER_MODELS = [("omni.order", "Platform order"), ("omni.order.line", "Order lines")]


class OmniReviewRule(models.Model):
    _name = "omni.review.rule"
    _description = "Order Review Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Short technical name, given by integrators' APIs (exception codes of an order).",
    )
    check = fields.Selection(
        selection="_selection_check",
        required=True,
        help="The test this rule runs on each incoming order; 'Orders or lines matching a domain' is a rule of "
        "your own, stated as a domain.",
    )
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
        "its lines have no product or no quantity stock could keep, or the rule's domain says so.",
    )
    domain_model = fields.Selection(
        ORDER_MODELS,
        string="Applies To",
        default="omni.order",
        help="Orders or lines matching a domain: whether the domain is on the platform order or on its lines "
        "(an order is held when one of its lines matches).",
    )
    domain = fields.Char(
        default="[]",
        help="Orders or lines matching a domain: the orders (or lines) this rule holds for a person, "
        "e.g. paid amount above 5,000.",
    )
    domain_message = fields.Char(
        string="Message",
        translate=True,
        help="Orders or lines matching a domain: what the finding says to the person who reads the order "
        "(default: the rule's name).",
    )
    domain_blocking = fields.Boolean(
        string="Block Confirmation",
        help="Orders or lines matching a domain: an order this rule holds cannot become a sale order until "
        "it no longer matches, even when a manager confirms it.",
    )
    company_id = fields.Many2one(
        "res.company",
        index=True,
        # a rule a person adds is their company's (a Channel Manager changes only those)
        default=lambda self: self.env.company,
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

    @api.model
    def _selection_check(self):
        return [(check.code, self.env._(check.label)) for check in self.env["omni.order"]._review_checks().values()]

    @api.depends("check", "domain_blocking")
    def _compute_blocking(self):
        known = self.env["omni.order"]._review_checks()
        for rule in self:
            if rule.check == "domain":
                rule.blocking = rule.domain_blocking
            else:
                rule.blocking = rule.check in known and known[rule.check].blocking

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

    @api.constrains("check", "domain_model", "domain")
    def _check_domain(self):
        for rule in self.filtered(lambda rule: rule.check == "domain"):
            if not rule.domain_model:
                raise ValidationError(
                    self.env._(
                        "Review rule %(rule)s needs to say whether its domain is on orders or lines.", rule=rule.name
                    )
                )
            try:
                domain = rule._domain_value()
                # the domain's fields and operators are checked by building
                # the query, its values by running it (on no record)
                with self.env.cr.savepoint():
                    self.env[rule.domain_model].sudo().search_count([("id", "=", 0), *domain])
            except (ValueError, TypeError, KeyError, NameError, SyntaxError, AssertionError, psycopg2.Error) as error:
                raise ValidationError(
                    self.env._(
                        "Review rule %(rule)s: the domain %(domain)s is not valid: %(error)s",
                        rule=rule.name,
                        domain=rule.domain,
                        error=error,
                    )
                ) from error
            if not domain:
                raise ValidationError(
                    self.env._(
                        "Review rule %(rule)s needs a domain: with none it would hold every order.", rule=rule.name
                    )
                )

    def _domain_value(self):
        """This rule's domain as a list (dates relative to today allowed)."""
        self.ensure_one()
        domain = safe_eval(
            self.domain or "[]",
            {
                "datetime": safe_datetime,
                "dateutil": dateutil,
                "time": safe_time,
                "relativedelta": dateutil.relativedelta.relativedelta,
                "context_today": lambda: fields.Date.context_today(self),
                "uid": self.env.uid,
            },
        )
        if not isinstance(domain, list | tuple):
            raise ValueError(self.env._("a domain is a list of conditions"))
        return expression.normalize_domain(list(domain)) if domain else []

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
        check = self.env["omni.order"]._review_checks().get(self.check)
        try:
            return check.message(self, dict(params or {}))
        except (AttributeError, KeyError):
            # a finding recorded before its message took parameters
            # (migrated orders), or of a check whose addon is gone
            return self.name
