# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta, timezone

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime

from odoo.addons.omni_base.tools import guard
from odoo.addons.omni_platform.platforms import PlatformAuthError, PlatformError, PlatformResponseError
from odoo.addons.queue_job.job import DEFAULT_MAX_RETRIES, RETRY_INTERVAL

_logger = logging.getLogger(__name__)

MANUAL_PULL_MIN_INTERVAL = timedelta(minutes=5)
FIRST_PULL_LOOKBACK = timedelta(days=1)
# a failed pull is retried as often as queue_job retries a job by default
MAX_PULL_RETRIES = DEFAULT_MAX_RETRIES
# the counts of a channel's overview card and the filters of the order search view they open:
# one domain each, so that a count and its list always agree (tests compare them with the view)
OVERVIEW_FILTERS = {
    "filter_new": [("state", "=", "new")],
    "filter_exception": [("state", "=", "exception")],
    "filter_to_review": [("state", "=", "to_review")],
    "filter_overdue": [("is_overdue", "=", True)],
    "filter_to_ship": [("state", "=", "confirmed")],
}
OVERVIEW_COUNT_FIELDS = {
    "filter_new": "overview_new_count",
    "filter_exception": "overview_exception_count",
    "filter_to_review": "overview_review_count",
    "filter_overdue": "overview_overdue_count",
    "filter_to_ship": "overview_to_ship_count",
}
REVIEW_QUEUE_FILTERS = ("filter_new", "filter_exception", "filter_to_review")
# first key of the advisory lock taken while a company's price-included taxes are set up
INCLUDED_TAX_LOCK_KEY = 7212


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    # --- intake and review rules ---
    auto_confirm = fields.Boolean(
        string="Confirm Clean Orders Automatically",
        default=True,
        help="Orders without exception become confirmed sale orders without a person; "
        "otherwise they wait in 'To Review'.",
    )
    review_rule_line_ids = fields.One2many(
        "omni.channel.review.rule",
        "channel_id",
        string="Review Rules",
        help="The checks of each incoming order, in order of priority; switch off what this channel does not need.",
    )
    auto_merge = fields.Boolean(
        string="Merge Orders of the Same Receiver Automatically",
        help="A new order of the same receiver (normalised name, phone and address) as an "
        "unshipped order of this channel is merged into it.",
    )
    amount_tolerance = fields.Monetary(
        default=0.01,
        currency_field="currency_id",
        help="Largest accepted difference between the paid amount and lines plus shipping.",
    )
    promise_hours = fields.Integer(
        string="Ship Within (hours)", default=48, help="Promise to customers: shipped within this many hours."
    )
    same_day_cutoff = fields.Float(
        string="Same-day Cut-off",
        default=16.0,
        help="Orders received before this hour (company time zone) ship the same day.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    pricelist_id = fields.Many2one(
        "product.pricelist",
        check_company=True,
        help="Pricelist of the sale orders (currency); prices come from the platform.",
    )
    shipping_product_id = fields.Many2one(
        "product.product",
        string="Shipping Fee Product",
        check_company=True,
        default=lambda self: self.env.ref("omni_order.product_omni_shipping_fee", raise_if_not_found=False),
        help="Service product of the sale-order line that carries the platform's shipping fee.",
    )
    # --- scheduled pull of the platform API (omni_platform) ---
    pull_interval = fields.Integer(string="Pull Every (minutes)", default=15)
    pull_overlap = fields.Integer(
        string="Pull Overlap (minutes)",
        default=5,
        help="Each pull starts this long before the end of the previous one, so that orders "
        "updated at the edge of a window are not missed; duplicates are recognised.",
    )
    last_pull_until = fields.Datetime(readonly=True, help="End of the last successful pull window.")
    last_pull_at = fields.Datetime(string="Last Pull Started", readonly=True)
    last_manual_pull_at = fields.Datetime(readonly=True)
    last_pull_state = fields.Selection([("ok", "OK"), ("failed", "Failed")], readonly=True, string="Last Pull Result")
    # the last pull in facts, shown as a sentence in the reader's language
    last_pull_since = fields.Datetime(readonly=True)
    last_pull_received = fields.Integer(readonly=True)
    last_pull_new = fields.Integer(readonly=True)
    last_pull_skipped = fields.Integer(
        readonly=True, help="Orders of the last pull not paid and waiting to ship (unpaid, cancelled...): not staged."
    )
    last_pull_unknown = fields.Text(
        readonly=True,
        help="Orders of the last pull in a status the platform adapter does not know: staged in the "
        "exception queue, one a line with the platform's status, for a person to look at.",
    )
    last_pull_not_staged = fields.Text(
        string="Last Pull: Refunds of Orders Never Staged",
        readonly=True,
        help="Orders of the last pull that the platform holds (a refund asked...) and that were never staged "
        "here: nothing to stop, one a line with the platform's status, for a person to look at.",
    )
    last_pull_retry = fields.Boolean(readonly=True, help="A retry of the failed pull is queued.")
    last_pull_error = fields.Text(readonly=True, help="The platform's own words, as it answered.")
    last_pull_auth_failed = fields.Boolean(
        readonly=True, help="The last pull was refused for the credentials (e.g. an access token expired)."
    )
    last_pull_partial = fields.Integer(
        readonly=True,
        help="Orders a failed pull read before it failed: staged; the next pull resumes after the last "
        "window read in full.",
    )
    last_pull_message = fields.Text(compute="_compute_last_pull_message", string="Last Pull")
    pull_failure_count = fields.Integer(readonly=True, help="Failed pulls since the last successful one.")
    omni_order_count = fields.Integer(compute="_compute_omni_order_count", string="Orders")
    # channel overview (a card per channel, as Inventory's overview has per operation type)
    overview_new_count = fields.Integer(compute="_compute_overview_counts", string="New")
    overview_exception_count = fields.Integer(compute="_compute_overview_counts", string="Exceptions")
    overview_review_count = fields.Integer(compute="_compute_overview_counts", string="To Review")
    overview_overdue_count = fields.Integer(compute="_compute_overview_counts", string="Overdue")
    overview_to_ship_count = fields.Integer(compute="_compute_overview_counts", string="Waiting to Ship")

    @api.depends(
        "last_pull_state",
        "last_pull_error",
        "last_pull_retry",
        "pull_failure_count",
        "last_pull_received",
        "last_pull_new",
        "last_pull_skipped",
        "last_pull_unknown",
        "last_pull_not_staged",
        "last_pull_since",
        "last_pull_until",
        "last_pull_auth_failed",
        "last_pull_partial",
    )
    @api.depends_context("lang", "tz")
    def _compute_last_pull_message(self):
        for channel in self:
            if channel.last_pull_state == "failed":
                message = self.env._("The pull failed: %(error)s", error=channel.last_pull_error or "?")
                if channel.last_pull_auth_failed:
                    message += "\n" + self.env._(
                        "The platform refused the credentials: renew the access token (API settings of the channel)."
                    )
                if channel.last_pull_partial or channel.last_pull_until:
                    message += "\n" + self.env._(
                        "%(count)s orders read before the failure were staged; the next pull resumes from "
                        "%(until)s.",
                        count=channel.last_pull_partial,
                        until=format_datetime(self.env, channel.last_pull_until) if channel.last_pull_until else "-",
                    )
                if channel.last_pull_retry:
                    message += "\n" + self.env._(
                        "Retry %(n)s of %(max)s queued.", n=channel.pull_failure_count, max=MAX_PULL_RETRIES
                    )
            elif channel.last_pull_state == "ok":
                message = self.env._(
                    "%(count)s orders received (%(new)s new) for %(since)s – %(until)s.",
                    count=channel.last_pull_received,
                    new=channel.last_pull_new,
                    since=format_datetime(self.env, channel.last_pull_since) if channel.last_pull_since else "",
                    until=format_datetime(self.env, channel.last_pull_until) if channel.last_pull_until else "",
                )
                if channel.last_pull_skipped:
                    message += "\n" + self.env._(
                        "%(count)s orders not paid and waiting to ship (unpaid, cancelled, closed, shipped) skipped.",
                        count=channel.last_pull_skipped,
                    )
                if channel.last_pull_unknown:
                    message += "\n" + self.env._(
                        "Status unknown to the platform adapter (waiting in the exception queue):\n%(orders)s",
                        orders=channel.last_pull_unknown,
                    )
                if channel.last_pull_not_staged:
                    message += "\n" + self.env._(
                        "Refund or hold for orders never staged here (nothing to stop):\n%(orders)s",
                        orders=channel.last_pull_not_staged,
                    )
            else:
                message = False
            channel.last_pull_message = message

    def _compute_omni_order_count(self):
        counts = dict(self.env["omni.order"]._read_group([("channel_id", "in", self.ids)], ["channel_id"], ["__count"]))
        for channel in self:
            channel.omni_order_count = counts.get(channel, 0)

    def _compute_overview_counts(self):
        """Each count is the number of orders its link opens: the channel and
        the search view's filter of the same name (OVERVIEW_FILTERS)."""
        Order = self.env["omni.order"]
        for filter_name, field_name in OVERVIEW_COUNT_FIELDS.items():
            domain = [("channel_id", "in", self.ids), *OVERVIEW_FILTERS[filter_name]]
            counts = dict(Order._read_group(domain, ["channel_id"], ["__count"]))
            for channel in self:
                channel[field_name] = counts.get(channel, 0)

    def action_open_overview_orders(self):
        """A count of the channel overview: the platform orders of this
        channel behind it, with the count's filter set (and removable). The
        review queue's counts open the review queue, whose empty list says
        the queue is clear."""
        self.ensure_one()
        overview_filter = self.env.context.get("overview_filter")
        queue = overview_filter in REVIEW_QUEUE_FILTERS
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "omni_order.omni_order_action_review_queue" if queue else "omni_order.omni_order_action"
        )
        context = {"search_default_channel_id": self.id}
        if overview_filter in OVERVIEW_FILTERS:
            context[f"search_default_{overview_filter}"] = 1
        else:
            context["search_default_filter_open"] = 1
        action["context"] = context
        return action

    def _pull_window(self, now):
        self.ensure_one()
        since = (
            self.last_pull_until - timedelta(minutes=self.pull_overlap)
            if self.last_pull_until
            else now - FIRST_PULL_LOOKBACK
        )
        return since, now

    def action_pull_orders(self):
        """'Pull now': queue a pull, at most once per 5 minutes per channel."""
        now = fields.Datetime.now()
        for channel in self:
            if channel.last_manual_pull_at and now - channel.last_manual_pull_at < MANUAL_PULL_MIN_INTERVAL:
                wait = MANUAL_PULL_MIN_INTERVAL - (now - channel.last_manual_pull_at)
                raise UserError(
                    self.env._(
                        "Channel %(channel)s was pulled manually less than 5 minutes ago: "
                        "try again in %(seconds)s seconds.",
                        channel=channel.display_name,
                        seconds=int(wait.total_seconds()) + 1,
                    )
                )
            channel._get_adapter()  # refuses channels without API
        guard.internal(self).write({"last_manual_pull_at": now})
        for channel in self:
            channel._enqueue_pull()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": self.env._("Pull queued."), "type": "success", "sticky": False},
        }

    def _enqueue_pull(self):
        """Queue a pull of this channel. Its queue channel and retry pattern
        are those of the job function (Queue ▸ Job Functions,
        ``<omni.channel>._pull_orders``), as an administrator sets them."""
        self.ensure_one()
        return self.with_delay(
            identity_key=f"omni_pull_{self.id}",
            description=self.env._("Pull orders of %(channel)s", channel=self.display_name),
        )._pull_orders()

    def _pull_retry_seconds(self, failures):
        """Seconds before retrying a pull that failed ``failures`` times in a
        row: the retry pattern of the pull's job function, read as queue_job
        reads it ({from this retry on: seconds}), 10 minutes without one."""
        functions = self.env["queue.job.function"].sudo()  # configuration, read for the job's own timing
        pattern = functions.job_config(functions.job_function_name(self._name, "_pull_orders")).retry_pattern
        seconds = RETRY_INTERVAL
        for count, delay in sorted((pattern or {}).items()):
            if failures >= count:
                seconds = delay
        return seconds[0] if isinstance(seconds, list | tuple) else seconds

    def _pull_failed(self, err):
        """Keep the failure visible on the channel and, when it may pass,
        queue a retry. The pull's one retry policy: the job ends normally (a
        job that raises is rolled back, and the failure with it) and queues
        the next try itself, after the delays of its job function's retry
        pattern, up to MAX_PULL_RETRIES times; then the next scheduled pull
        tries again. (The adapter's HTTP client retries a single request on
        a 429 or 5xx within seconds: that is one request, not the pull.) The
        window does not move, so nothing is skipped."""
        self.ensure_one()
        failures = self.pull_failure_count + 1
        _logger.warning("Pull of %s failed: %s", self.display_name, err)
        retry = err.retryable and failures <= MAX_PULL_RETRIES
        guard.internal(self).write(
            {
                "last_pull_state": "failed",
                "last_pull_error": str(err),
                "last_pull_retry": retry,
                "pull_failure_count": failures,
                "last_pull_auth_failed": isinstance(err, PlatformAuthError),
            }
        )
        if retry:
            self.with_delay(
                eta=self._pull_retry_seconds(failures),
                description=self.env._("Retry pull of %(channel)s", channel=self.display_name),
            )._pull_orders()
        return self.last_pull_message

    @api.model
    def _pull_unknown_orders(self, skipped):
        """The orders of a pull in a status the adapter does not know: not
        guessed, staged to wait in the exception queue with the status named."""
        return [
            dict(s["order"], platform_status_unknown=s["status"]) for s in skipped if s["unknown"] and s.get("order")
        ]

    def _pull_keep_partial(self, err, skipped=()):
        """A pull that failed midway (a token expired, a call limit...):
        stage the orders it read (idempotent), hold or cancel the staged
        orders it found changed (``skipped``, as a full pull does) and move
        the window to the end of the last window read in full, where the
        next pull resumes."""
        partial = list(getattr(err, "partial_orders", None) or [])
        pulled_until = getattr(err, "pulled_until", None)
        partial += self._pull_unknown_orders(skipped)
        if partial:
            self.env["omni.order"]._import_orders(self, partial, source="api")
        if skipped:
            self.env["omni.order"]._omni_apply_platform_states(self, skipped)
        vals = {"last_pull_partial": len(partial)}
        if pulled_until:
            vals["last_pull_until"] = pulled_until.astimezone(timezone.utc).replace(tzinfo=None)
        guard.internal(self).write(vals)

    @api.model
    def _cron_pull_orders(self):
        now = fields.Datetime.now()
        channels = self.search([("adapter_kind", "!=", False)])
        for channel in channels:
            due = not channel.last_pull_at or now - channel.last_pull_at >= timedelta(
                minutes=max(channel.pull_interval, 1)
            )
            if due:
                channel._enqueue_pull()

    def _pull_orders(self):
        """Job: pull the orders changed in the channel's window and stage them.
        The window only moves forward after a successful pull."""
        self.ensure_one()
        now = fields.Datetime.now()
        since, until = self._pull_window(now)
        guard.internal(self).write({"last_pull_at": now})
        skipped = []
        try:
            with self._get_adapter() as adapter:
                try:
                    orders = list(adapter.pull_orders(since, until))
                finally:
                    skipped = adapter.skipped
        except PlatformError as err:
            self._pull_keep_partial(err, skipped)
            return self._pull_failed(err)
        unknown = [s for s in skipped if s["unknown"]]
        if unknown:
            # the pull log keeps only the last pull: the server log keeps them all
            _logger.warning(
                "Channel %s: orders not staged, status unknown to the adapter: %s",
                self.code or self.id,
                ", ".join(f"{s['platform_order_no']} ({s['status']})" for s in unknown),
            )
        orders += self._pull_unknown_orders(skipped)
        results = self.env["omni.order"]._import_orders(self, orders, source="api")
        # orders staged before that the platform now holds or cancelled (退款拦截
        # does not wait for an unreadable order of the same pull)
        orphans = self.env["omni.order"]._omni_apply_platform_states(self, skipped)
        if orphans:
            _logger.warning(
                "Channel %s: refund or hold for orders never staged: %s",
                self.code or self.id,
                ", ".join(f"{s['platform_order_no']} ({s['status']})" for s in orphans),
            )
        # an order the normaliser could not read is not staged: the pull fails
        # naming it (the window does not move, so it is not lost); the others
        # are staged already and come back as duplicates
        refused = [r for r in results if r["result"] == "exception" and not r["order_id"]]
        if refused:
            return self._pull_failed(
                PlatformResponseError(
                    "; ".join(f"{r['platform_order_no']}: {' '.join(r['reasons'])}" for r in refused),
                    retryable=False,
                )
            )
        created = sum(1 for r in results if r["result"] not in ("duplicate", "updated"))
        guard.internal(self).write(
            {
                "last_pull_until": until,
                "last_pull_state": "ok",
                "pull_failure_count": 0,
                "last_pull_since": since,
                "last_pull_received": len(results),
                "last_pull_new": created,
                "last_pull_skipped": sum(1 for s in skipped if not s["unknown"]),
                "last_pull_unknown": "\n".join(f"{s['platform_order_no']}: {s['status']}" for s in unknown) or False,
                "last_pull_not_staged": "\n".join(f"{s['platform_order_no']}: {s['status']}" for s in orphans) or False,
                "last_pull_error": False,
                "last_pull_retry": False,
                "last_pull_auth_failed": False,
                "last_pull_partial": 0,
            }
        )
        return results

    # --- price-included taxes (set up once, never made at confirmation) ---
    @api.model_create_multi
    def create(self, vals_list):
        channels = super().create(vals_list)
        channels._omni_setup_included_taxes()
        channels._omni_ensure_review_rules()
        return channels

    # --- review rules -------------------------------------------------------
    def _omni_ensure_review_rules(self):
        """Give these channels a switch for each active review rule of their
        company (or of every company) they do not have yet, on or off as the
        rule says for new channels."""
        if not self:
            return
        # the switches are the channels' own configuration, made from rules
        # the caller may read: the caller's right to create the channel or
        # the rule was checked; Channel Users cannot create switches
        rules = self.env["omni.review.rule"].sudo().search([("company_id", "in", [*self.company_id.ids, False])])
        lines = self.env["omni.channel.review.rule"].sudo()
        have = {(line.channel_id.id, line.rule_id.id) for line in lines.search([("channel_id", "in", self.ids)])}
        lines.create(
            [
                {
                    "channel_id": channel.id,
                    "rule_id": rule.id,
                    "sequence": rule.sequence,
                    "enabled": rule.default_on,
                }
                for channel in self
                for rule in rules
                if (not rule.company_id or rule.company_id == channel.company_id) and (channel.id, rule.id) not in have
            ]
        )

    def _omni_review_rules(self):
        """The rules this channel runs, in its order of priority."""
        self.ensure_one()
        lines = self.review_rule_line_ids.filtered(lambda line: line.rule_id.active)
        running = lines.filtered("enabled").sorted(lambda line: (line.sequence, line.id)).rule_id
        # a rule made after the channel, not yet switched here: as the rule says
        unswitched = self.env["omni.review.rule"].search(
            [
                ("company_id", "in", (self.company_id.id, False)),
                ("default_on", "=", True),
                ("id", "not in", lines.rule_id.ids),
            ]
        )
        return running | unswitched

    def _buyer_note_rule_lines(self):
        rule = self.env.ref("omni_order.review_rule_buyer_note", raise_if_not_found=False)
        return self.review_rule_line_ids.filtered(lambda line: line.rule_id == rule)

    def action_setup_included_taxes(self):
        """Button (Channel Manager): make the price-included twin of each
        sales tax of the channels' companies that has none yet."""
        if not self.env.user.has_group("omni_channel.group_omni_channel_manager"):
            raise UserError(self.env._("Only a Channel Manager sets up the channels' taxes."))
        self._omni_setup_included_taxes()
        return True

    def _omni_setup_included_taxes(self):
        """Platform prices include tax: a sale line needs the price-included
        form of its product's sales tax. Each company's twins are made here,
        at set-up, under a per-company lock (two set-ups never make the same
        tax twice); confirmation only looks them up and names what is
        missing."""
        Tax = self.env["account.tax"].sudo()  # set-up: a Channel Manager needs no accounting rights for it
        for company in self.company_id:
            self.env.cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", [INCLUDED_TAX_LOCK_KEY, company.id])
            taxes = Tax.search(
                [
                    ("company_id", "=", company.id),
                    ("type_tax_use", "=", "sale"),
                    ("amount_type", "in", ("percent", "division")),
                ]
            )
            excluded = taxes.filtered(lambda t: not t.price_include)
            for tax in excluded:
                if not self.env["omni.order"]._find_included_twin(tax, taxes):
                    taxes |= tax.copy(
                        {"name": self.env._("%(tax)s (incl.)", tax=tax.name), "price_include_override": "tax_included"}
                    )
