# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The daily settlement pull: every day a cron queues, for each channel
whose adapter can pull settlements and on which a Settlement Manager
switched it on, one job that pulls the days since the last day pulled in
full (yesterday, China time, on a normal day) and imports them as a
statement through the same import as a file.

Safe twice and at the same time: the job's identity key is the channel and
its period, so a second cron run queues nothing while the first job waits;
a job that runs again (or two that overlap) gets the same lines, hence the
same file and the same statement (``omni.settlement.import_file``), and the
lines of an overlapping period come back as duplicates. A failure is kept
on the channel (state, the platform's words, when) and the period is not
moved: the next run pulls it again."""

import datetime
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.omni_base.tools import guard
from odoo.addons.omni_platform.platforms import ADAPTERS, PlatformAdapter
from odoo.addons.omni_platform.platforms.base import SHANGHAI

_logger = logging.getLogger(__name__)

#: a channel whose daily pull was off (or failing) for longer catches up at most this many days in one job;
#: older days are pulled by hand (Pull Settlements), so that one job never pulls months
MAX_CATCH_UP_DAYS = 31


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    omni_settlement_pull_daily = fields.Boolean(
        string="Pull Settlements Daily",
        groups="omni_settlement.group_settlement_manager",
        help="Every night the settlement lines of the days since the last day pulled (yesterday, China time) are "
        "pulled through the platform API and imported as a statement.",
    )
    omni_settlement_pulled_until = fields.Date(
        string="Settlements Pulled Until",
        readonly=True,
        help="Last day whose settlement lines the daily pull imported in full; the next pull starts the day after.",
    )
    omni_settlement_pull_state = fields.Selection(
        [("ok", "OK"), ("failed", "Failed")], string="Last Settlement Pull", readonly=True
    )
    omni_settlement_pull_at = fields.Datetime(string="Last Settlement Pull At", readonly=True)
    omni_settlement_pull_error = fields.Text(
        string="Settlement Pull Error", readonly=True, help="Why the last daily pull failed, as it was told."
    )
    omni_settlement_pull_statement_id = fields.Many2one(
        "omni.settlement", string="Last Pulled Statement", readonly=True, index="btree_not_null"
    )

    def _omni_settlement_pull_supported(self):
        """Whether the channel's adapter pulls settlements (it overrides
        ``PlatformAdapter.pull_settlements``), asked without calling it."""
        self.ensure_one()
        cls = ADAPTERS.get(self.adapter_kind) if self.adapter_kind else None
        return bool(cls) and cls.pull_settlements is not PlatformAdapter.pull_settlements

    @api.model
    def _omni_settlement_today(self):
        """Today in China, where the platforms' days are cut."""
        return datetime.datetime.now(SHANGHAI).date()

    def _omni_settlement_pull_period(self, today):
        """(date_from, date_to) the daily pull of this channel should pull
        on ``today`` (China date), or None when it is up to date."""
        self.ensure_one()
        date_to = today - datetime.timedelta(days=1)
        earliest = date_to - datetime.timedelta(days=MAX_CATCH_UP_DAYS - 1)
        pulled = self.omni_settlement_pulled_until
        date_from = max(pulled + datetime.timedelta(days=1), earliest) if pulled else date_to
        return (date_from, date_to) if date_from <= date_to else None

    @api.model
    def _cron_pull_settlements(self):
        """Cron: queue one pull job per channel that pulls daily and is not
        up to date. A channel whose adapter cannot pull settlements gets the
        reason on its settlement tab instead of a job."""
        # a system action over every company's channels that a Settlement Manager switched to daily pulling;
        # the jobs only pull and import those channels' statements
        channels = (
            self.sudo()
            .with_context(active_test=True)
            .search([("omni_settlement_pull_daily", "=", True), ("adapter_kind", "!=", False)])
        )
        today = self._omni_settlement_today()
        for channel in channels:
            if not channel._omni_settlement_pull_supported():
                channel._omni_settlement_pull_failed(
                    self.env._(
                        "Channel %(channel)s: its platform API gives no settlements here; import the platform's "
                        "statement file instead.",
                        channel=channel.display_name,
                    )
                )
                continue
            period = channel._omni_settlement_pull_period(today)
            if period:
                channel._enqueue_settlement_pull(*period)

    def _enqueue_settlement_pull(self, date_from, date_to):
        self.ensure_one()
        return self.with_delay(
            identity_key=f"omni_settlement_pull_{self.id}_{date_from}_{date_to}",
            description=self.env._(
                "Pull settlements of %(channel)s from %(date_from)s to %(date_to)s",
                channel=self.display_name,
                date_from=date_from,
                date_to=date_to,
            ),
        )._pull_settlements_job(str(date_from), str(date_to))

    def _pull_settlements_job(self, date_from, date_to):
        """Job: pull the channel's settlement lines from ``date_from`` to
        ``date_to`` and import them. Ends normally on a failure, which stays
        on the channel (a job that raises is rolled back with what it
        wrote); the period is not moved, so the next run pulls it again."""
        self.ensure_one()
        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        now = fields.Datetime.now()
        # the daily pull a Settlement Manager switched on for this channel: the same pull and import as the
        # manager's own (omni.settlement.pull_settlements), for the channel's company, whichever user the
        # cron runs as; its log is written on this channel only
        channel = self.sudo()
        Settlement = self.env["omni.settlement"].sudo().with_company(channel.company_id)
        try:
            with self.env.cr.savepoint():
                statement_id = Settlement._pull_channel_settlements(channel, date_from, date_to)
        except UserError as err:
            return channel._omni_settlement_pull_failed(err.args[0] if err.args else str(err), now)
        vals = {
            "omni_settlement_pull_state": "ok",
            "omni_settlement_pull_error": False,
            "omni_settlement_pull_at": now,
        }
        if statement_id:
            vals["omni_settlement_pull_statement_id"] = statement_id
        # a late job never moves the pulled day back
        if not channel.omni_settlement_pulled_until or channel.omni_settlement_pulled_until < date_to:
            vals["omni_settlement_pulled_until"] = date_to
        guard.internal(channel).write(vals)
        return statement_id

    def _omni_settlement_pull_failed(self, message, now=None):
        self.ensure_one()
        _logger.warning("Daily settlement pull of %s failed: %s", self.code or self.id, message)
        guard.internal(self).write(
            {
                "omni_settlement_pull_state": "failed",
                "omni_settlement_pull_error": message,
                "omni_settlement_pull_at": now or fields.Datetime.now(),
            }
        )
        return message
