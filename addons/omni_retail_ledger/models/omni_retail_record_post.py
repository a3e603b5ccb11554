# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Posting of retail records to one journal entry per record (revenue and tax
by unit code, debit to the platform or to the courier for COD), and their
reversal."""

import logging
from collections import defaultdict

from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.omni_base.tools import guard

_logger = logging.getLogger(__name__)


class OmniRetailRecord(models.Model):
    _inherit = "omni.retail.record"

    # --- posting -------------------------------------------------------------
    def action_post(self):
        """Post the draft records, one journal entry each. All entries are
        prepared first: a missing account (channel, courier, tax) stops the
        whole posting with a message naming it, and nothing is posted."""
        self._check_ledger_rights()
        records = self.filtered(lambda r: r.state == "draft")
        if not records:
            return True
        self.env.cr.execute(SQL("SELECT id FROM omni_retail_record WHERE id IN %s FOR UPDATE", tuple(records.ids)))
        records.invalidate_recordset(["state"])
        records = records.filtered(lambda r: r.state == "draft")
        for record in records:
            self._check_posting_date(record)
        debit_groups = self._debit_groups(records)
        move_vals = [record._prepare_move_vals(debit_groups.get(record.id, {})) for record in records]
        with_move = [(r, v) for r, v in zip(records, move_vals, strict=True) if v["line_ids"]]
        moves = self.env["account.move"].create([v for _r, v in with_move])
        moves.action_post()
        for (record, _vals), move in zip(with_move, moves, strict=True):
            guard.internal(record).move_id = move
        guard.internal(records).write({"state": "posted", "post_error": False})
        return True

    def _check_posting_date(self, record):
        violations = self._lock_violations(record.company_id, record.date)
        if violations:
            raise UserError(
                self.env._(
                    "%(record)s falls on %(date)s, which is locked (%(locks)s): it cannot be posted.",
                    record=record.name,
                    date=fields.Date.to_string(record.date),
                    locks=self.env["res.company"]._format_lock_dates(violations),
                )
            )

    def _debit_groups(self, records):
        """{record_id: {(is_cod, courier_code): total}} from the lines."""
        groups = defaultdict(dict)
        rows = self.env["omni.retail.record.line"]._read_group(
            [("record_id", "in", records.ids)],
            ["record_id", "is_cod", "courier_code"],
            ["amount_total:sum"],
        )
        for record, is_cod, courier_code, total in rows:
            key = (True, courier_code or "") if is_cod else (False, "")
            groups[record.id][key] = groups[record.id].get(key, 0.0) + total
        return groups

    def _prepare_move_vals(self, debit_groups):
        """Entry of this record: debit the platform receivable (prepaid part)
        and each courier's COD receivable, credit revenue (per tax, with the
        tax on the line so that tax reports see the base) and the output tax
        of each tax. A return record posts the same with the signs turned."""
        self.ensure_one()
        company = self.company_id
        channel = self.channel_id
        currency = company.currency_id
        journal = company._omni_retail_journal()
        sign = 1 if self.kind == "sale" else -1
        label = self.env._("Retail %(kind)s %(code)s %(date)s", kind=self._kind_label(), code=channel.code,
                           date=fields.Date.to_string(self.date))  # fmt: skip
        lines = []

        def add(account, balance, **extra):
            balance = currency.round(balance)
            if currency.is_zero(balance):
                return
            lines.append({"account_id": account.id, "balance": balance, "name": extra.pop("name", label), **extra})

        for (is_cod, courier_code), total in sorted(debit_groups.items()):
            if not is_cod:
                if not channel.omni_clearing_account_id:
                    raise UserError(
                        self.env._(
                            "Channel %(channel)s (company %(company)s) has no Platform Receivable Account: set "
                            "it on the channel before posting %(record)s.",
                            channel=channel.display_name,
                            company=company.name,
                            record=self.name,
                        )
                    )
                add(channel.omni_clearing_account_id, sign * total, partner_id=channel.omni_platform_partner_id.id)
                continue
            account, partner = self._cod_account(courier_code)
            add(account, sign * total, partner_id=partner.id,
                name=self.env._("%(label)s, COD %(courier)s", label=label, courier=courier_code))  # fmt: skip

        revenue = channel.omni_revenue_account_id or journal.default_account_id
        if not revenue:
            raise UserError(
                self.env._(
                    "Channel %(channel)s (company %(company)s) has no Revenue Account and the Retail Ledger "
                    "journal %(journal)s has no default account: set one before posting %(record)s.",
                    channel=channel.display_name,
                    company=company.name,
                    journal=journal.display_name,
                    record=self.name,
                )
            )
        analytic = {str(channel.omni_analytic_account_id.id): 100} if channel.omni_analytic_account_id else False
        untaxed_left = self.amount_untaxed
        for tax_row in self.tax_line_ids:
            tax = tax_row.tax_id
            add(revenue, -sign * tax_row.base, tax_ids=[(6, 0, tax.ids)], analytic_distribution=analytic)
            untaxed_left -= tax_row.base
            repartitions = (
                tax.invoice_repartition_line_ids if self.kind == "sale" else tax.refund_repartition_line_ids
            ).filtered(lambda r: r.repartition_type == "tax")
            amount_left = tax_row.amount
            for index, repartition in enumerate(repartitions):
                if not repartition.account_id:
                    raise UserError(
                        self.env._(
                            "Tax %(tax)s (company %(company)s) has no tax account on its distribution: set it "
                            "before posting %(record)s.",
                            tax=tax.display_name,
                            company=company.name,
                            record=self.name,
                        )
                    )
                if index == len(repartitions) - 1:
                    amount = amount_left
                else:
                    amount = currency.round(tax_row.amount * repartition.factor_percent / 100.0)
                    amount_left -= amount
                add(repartition.account_id, -sign * amount, tax_repartition_line_id=repartition.id,
                    tax_base_amount=-sign * tax_row.base, name=tax.name)  # fmt: skip
        add(revenue, -sign * untaxed_left, analytic_distribution=analytic)
        return {
            "move_type": "entry",
            "journal_id": journal.id,
            "company_id": company.id,
            "date": self.date,
            "ref": self.name,
            "line_ids": [Command.create(vals) for vals in lines],
        }

    def _kind_label(self):
        return dict(self._fields["kind"]._description_selection(self.env))[self.kind]

    def _cod_account(self, courier_code):
        company = self.company_id
        if not courier_code:
            raise UserError(
                self.env._(
                    "%(record)s holds cash-on-delivery orders shipped without a courier: set the courier of their "
                    "deliveries (Courier, with a courier code) before posting.",
                    record=self.name,
                )
            )
        carrier = self.env["delivery.carrier"]._omni_get_by_code(courier_code, company=company, raise_if_missing=False)
        if not carrier:
            raise UserError(
                self.env._(
                    "%(record)s holds cash-on-delivery orders of courier '%(courier)s', which is no courier of "
                    "company %(company)s: set the courier code on the shipping method (or on the deliveries).",
                    record=self.name,
                    courier=courier_code or "?",
                    company=company.name,
                )
            )
        carrier = carrier.with_company(company)
        if not carrier.omni_cod_account_id:
            raise UserError(
                self.env._(
                    "Courier %(courier)s has no COD Receivable Account for company %(company)s: set it on the "
                    "shipping method before posting %(record)s.",
                    courier=carrier.name,
                    company=company.name,
                    record=self.name,
                )
            )
        return carrier.omni_cod_account_id, carrier.omni_partner_id

    # --- reversal --------------------------------------------------------------
    def action_reverse(self):
        """Reverse the entries of posted records (on the record's day, or
        today when that day is locked); the documents are released and a
        later generation covers them again in a new record."""
        self._check_ledger_rights()
        for record in self.filtered(lambda r: r.state == "posted"):
            reversal = self.env["account.move"]
            if record.move_id:
                date = record.date
                if self._lock_violations(record.company_id, date):
                    date = record.company_id._omni_today()
                reversal = record.move_id._reverse_moves(
                    [{"date": date, "ref": self.env._("Reversal of %(record)s", record=record.name)}]
                )
                reversal.action_post()
            guard.internal(record.line_ids).write({"released": True})
            guard.internal(record).write({"state": "reversed", "reversal_move_id": reversal.id, "exported_at": False})
        return True
