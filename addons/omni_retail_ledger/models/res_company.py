# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    omni_retail_journal_id = fields.Many2one(
        "account.journal",
        string="Retail Ledger Journal",
        check_company=True,
        domain="[('type', '=', 'general')]",
        help="Miscellaneous journal the retail records of this company are posted in "
        "(created as 'RETL' when empty).",
    )
    omni_retail_auto_post = fields.Boolean(
        string="Post Retail Records Automatically",
        help="The nightly generation also posts the records it made.",
    )
    omni_retail_cron_days = fields.Integer(
        string="Days Generated Nightly",
        default=3,
        help="The nightly run generates this many days up to yesterday (already recorded documents are "
        "never taken twice, so overlapping days are harmless).",
    )
    omni_retail_cron_done_until = fields.Date(
        string="Nightly Generation Done Until",
        readonly=True,
        copy=False,  # a new company's nights are its own (read-only fields of ours on core models are never copied)
        help="Last day the nightly run generated for this company; the next run starts the day after "
        "(or earlier, per Days Generated Nightly), so a failed or missed night is caught up.",
    )

    def _omni_retail_journal(self):
        """The company's Retail Ledger journal, created when missing."""
        self.ensure_one()
        if self.omni_retail_journal_id:
            return self.omni_retail_journal_id
        Journal = self.env["account.journal"].sudo()
        journal = Journal.search([("company_id", "=", self.id), ("code", "=", "RETL")], limit=1)
        if not journal:
            income = (
                self.env["account.account"]
                .sudo()
                .search(
                    [("company_ids", "in", self.id), ("account_type", "=", "income")],
                    order="code",
                    limit=1,
                )
            )
            journal = Journal.create(
                {
                    "name": self.env._("Retail Ledger"),
                    "code": "RETL",
                    "type": "general",
                    "company_id": self.id,
                    "default_account_id": income.id,
                }
            )
        self.sudo().omni_retail_journal_id = journal
        return journal
