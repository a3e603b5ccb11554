# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Nightly generation and the wizard's: jobs per company and period, generation
and posting in one go, retried on concurrent updates."""

import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from odoo.addons.omni_base.tools import guard
from odoo.addons.queue_job.exception import RetryableJobError

_logger = logging.getLogger(__name__)


class OmniRetailRecord(models.Model):
    _inherit = "omni.retail.record"

    # --- actions / cron ----------------------------------------------------------
    def action_view_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }

    @api.model
    def _cron_generate(self):
        """Nightly: enqueue one job per company (channel
        ``root.omni_ledger``) that generates the company's due days up to
        yesterday and posts them when it auto-posts. The days start after the
        last day a nightly job completed for the company
        (``omni_retail_cron_done_until``), and at least
        ``omni_retail_cron_days`` back: a failed or missed night is caught up
        by the next run, never lost (days on or before the lock date are left
        to the accountant). The job's identity is the company and its days, so
        running the cron again before the job ran adds nothing."""
        companies = [company for [company] in self.env["omni.channel"]._read_group([], ["company_id"])]
        jobs = []
        for company in companies:
            date_from, date_to = self._cron_days(company)
            if date_from > date_to:
                continue
            jobs.append(
                self._delay_generation(
                    company, date_from, date_to, f"omni_retail_nightly_{company.id}_{date_from}_{date_to}"
                )._generate_nightly_job(company, date_from, date_to)
            )
        return jobs

    @api.model
    def _delay_generation(self, company, date_from, date_to, identity_key):
        """Delayable for a generation job of ``company`` (nightly or wizard),
        on the queue channel of its job function (data/queue_job_data.xml,
        which an administrator may change); ``identity_key``: a second request
        while the first waits adds no job."""
        return self.with_delay(
            identity_key=identity_key,
            description=self.env._(
                "Retail ledger of %(company)s: generate %(date_from)s to %(date_to)s",
                company=company.name,
                date_from=date_from,
                date_to=date_to,
            ),
        )

    @api.model
    def _generate_nightly_job(self, company, date_from, date_to):
        """Job of the nightly run for one company: generate ``date_from`` to
        ``date_to``, post the company's draft records when it auto-posts and
        remember ``date_to`` as done (see ``_generate_and_post``): a failed
        job leaves the days due for the next night."""
        return self._generate_and_post(
            company, date_from, date_to, post="drafts" if company.omni_retail_auto_post else False, nightly=True
        )

    @api.model
    def _generate_wizard_job(self, company, date_from, date_to, channel_codes=None, post=False):
        """Job of the Generate wizard for a long range of days: generate, and
        post the records generated when asked (see ``_generate_and_post``)."""
        return self._generate_and_post(
            company, date_from, date_to, channel_codes=channel_codes, post="generated" if post else False
        )

    @api.model
    def _generate_and_post(self, company, date_from, date_to, channel_codes=None, post=False, nightly=False):
        """Body of the ledger's jobs, all of it or nothing: generate the days
        for ``company``; ``post``: "drafts" posts every draft record of the
        company, "generated" those generated now; a posting refused for a
        business reason stays on the record (Posting Failed) and the others go
        on. ``nightly``: remember ``date_to`` as the company's last completed
        nightly day. A concurrent generation or change (serialization failure,
        lock not available, deadlock) raises ``RetryableJobError``: queue_job
        runs the job again later, which then finds only what the other run did
        not record; any other error fails the job (shown in Job Queue)."""
        records = self.with_company(company).with_context(allowed_company_ids=company.ids)
        try:
            with self.env.cr.savepoint():
                result = records.generate(date_from, date_to, channel_codes)
                message = result["message"]
                if post:
                    if post == "drafts":
                        to_post = records.search([("company_id", "=", company.id), ("state", "=", "draft")])
                    else:
                        to_post = records.browse(result["records"]).filtered(lambda r: r.state == "draft")
                    posted, failed = to_post._post_each()
                    message += " " + self.env._(
                        "Posted: %(posted)s, not posted (see Posting Failed): %(failed)s.", posted=posted, failed=failed
                    )
                if nightly:
                    done_until = company.omni_retail_cron_done_until
                    if not done_until or done_until < fields.Date.to_date(date_to):
                        guard.internal(company.sudo()).omni_retail_cron_done_until = date_to
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as err:
            _logger.info("Retail ledger of %s met a concurrent run, retried later: %s", company.name, err)
            raise RetryableJobError(
                self.env._(
                    "Retail ledger of %(company)s: a concurrent generation or change; retried later.",
                    company=company.name,
                )
            ) from err
        _logger.info("Retail ledger %s, %s to %s: %s", company.name, date_from, date_to, message)
        return message

    def _post_each(self):
        """Post the records one by one: a posting refused for a business
        reason (missing account, locked day) is kept on the record as its
        Posting Failed message and the others go on. Returns (posted,
        failed)."""
        posted = failed = 0
        for record in self:
            try:
                with self.env.cr.savepoint():
                    record.action_post()
                posted += 1
            except UserError as err:
                guard.internal(record).post_error = str(err)
                failed += 1
        return posted, failed

    @api.model
    def _cron_days(self, company):
        """(date_from, date_to) of the nightly run for ``company``: up to
        yesterday (company time zone), from the day after the last completed
        run or ``omni_retail_cron_days`` back, whichever is earlier, and after
        the lock date. date_from > date_to: nothing to do."""
        today = company._omni_today()
        date_to = today - timedelta(days=1)
        date_from = date_to - timedelta(days=max(company.omni_retail_cron_days, 1) - 1)
        done_until = company.omni_retail_cron_done_until
        if done_until and done_until < date_from:
            date_from = done_until + timedelta(days=1)
        while date_from <= date_to and self._lock_violations(company, date_from):
            date_from += timedelta(days=1)
        return date_from, date_to
