# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Generation of the retail records: the channel sale orders shipped and the
returns received in a period, grouped per company, channel, day and kind,
each document covered exactly once."""

import logging
import time as timer
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_round

from odoo.addons.omni_base.tools import guard
from odoo.addons.omni_base.tools.sql import bulk_copy
from odoo.addons.omni_order.models.omni_order_allocation import refresh_statistics

from ..tools import ledger_rules

_logger = logging.getLogger(__name__)

# the tables the generation reads: a batch of orders inserted or shipped since
# their last ANALYZE (a fresh database, an import) made PostgreSQL plan the
# reads as if those rows did not exist (nested loops over 50,000 orders:
# 73.7 s instead of about 1 s, scripts/bench_retail_ledger.py)
READ_TABLES = (
    "stock_picking",
    "sale_order",
    "sale_order_line",
    "account_tax_sale_order_line_rel",
    "omni_aftersale",
)
LINE_COLUMNS = (
    "record_id",
    "company_id",
    "currency_id",
    "kind",
    "sale_order_id",
    "aftersale_id",
    "reference",
    "document_at",
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "is_cod",
    "courier_code",
)


class OmniRetailRecord(models.Model):
    _inherit = "omni.retail.record"

    # --- generation --------------------------------------------------------
    @api.model
    def generate(self, date_from, date_to=None, channel_codes=None):
        """Make the retail records of the days ``date_from``..``date_to``
        (ISO dates, inclusive) for the current companies, optionally only for
        the channels with ``channel_codes`` (unit codes). Idempotent: documents
        already covered are never taken again, so a second run creates
        nothing. Returns {records, created, extended, sales, returns, skipped:
        [{document, reason}], message}."""
        companies = self.env.companies
        date_from, date_to = self._check_generation(companies, date_from, date_to)
        channels = self._channels_for_codes(companies, channel_codes)
        result = {"records": [], "created": 0, "extended": 0, "sales": 0, "returns": 0, "skipped": []}
        for company in companies.sorted("id"):
            company_channels = channels.filtered(lambda c, company=company: c.company_id == company)
            if not company_channels:
                continue
            self._acquire_generation_lock(company)
            self.with_company(company)._generate_company(company, company_channels, date_from, date_to, result)
        result["message"] = self._generation_message(result)
        return result

    @api.model
    def _check_generation(self, companies, date_from, date_to=None):
        """Whether the user may generate the days ``date_from``..``date_to``
        (dates or ISO dates; no last day: the first) for ``companies``:
        ledger rights, the days in order, none on or before a lock date.
        Returns (date_from, date_to) as dates."""
        self._check_ledger_rights()
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to) if date_to else date_from
        if not date_from or date_to < date_from:
            raise UserError(self.env._("Give a first day on or before the last day."))
        for company in companies:
            self._check_period_open(company, date_from)
        return date_from, date_to

    @api.model
    def _channels_for_codes(self, companies, channel_codes):
        Channel = self.env["omni.channel"].with_context(active_test=False)
        domain = [("company_id", "in", companies.ids)]
        if channel_codes:
            if isinstance(channel_codes, str):
                channel_codes = [channel_codes]
            codes = {Channel._normalize_code(code) for code in channel_codes}
            channels = Channel.search(domain + [("code", "in", list(codes))])
            unknown = codes - set(channels.mapped("code"))
            if unknown:
                raise UserError(
                    self.env._(
                        "No channel with unit code %(codes)s in %(companies)s.",
                        codes=", ".join(sorted(unknown)),
                        companies=", ".join(companies.mapped("name")),
                    )
                )
            return channels
        return Channel.search(domain)

    @api.model
    def _lock_violations(self, company, date):
        return company._get_lock_date_violations(date, fiscalyear=True, sale=True, purchase=False, tax=True, hard=True)

    @api.model
    def _check_period_open(self, company, date):
        violations = self._lock_violations(company, date)
        if violations:
            raise UserError(
                self.env._(
                    "Company %(company)s: the books are locked up to %(locks)s, so %(date)s cannot get retail "
                    "records. Nothing was generated; choose days after the lock date.",
                    company=company.name,
                    locks=self.env["res.company"]._format_lock_dates(violations),
                    date=fields.Date.to_string(date),
                )
            )

    @api.model
    def _acquire_generation_lock(self, company):
        """One generation per company at a time. A concurrent run waits here
        for the first to finish; as Odoo runs in REPEATABLE READ, the second
        then gets a serialization failure and Odoo replays it (RPC/HTTP
        requests are retried), so the replay sees what the first recorded and
        finds nothing new. The unique indexes on the lines stay the guarantee."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO omni_retail_generation_lock (company_id, generated_at)
                VALUES (%s, now() AT TIME ZONE 'UTC')
                ON CONFLICT (company_id) DO UPDATE SET generated_at = EXCLUDED.generated_at
                """,
                company.id,
            )
        )

    @api.model
    def _utc_bounds(self, company, date_from, date_to):
        tz = company._omni_tz()

        def to_utc(day):
            return tz.localize(datetime.combine(day, time.min)).astimezone(pytz.UTC).replace(tzinfo=None)

        return to_utc(date_from), to_utc(date_to + timedelta(days=1))

    @api.model
    def _local_day(self, tz, value):
        return pytz.UTC.localize(value).astimezone(tz).date()

    def _generate_company(self, company, channels, date_from, date_to, result):
        self.env.flush_all()
        started = timer.perf_counter()
        # only the tables changed a lot since their last ANALYZE (committed changes: 1 row of our own)
        refresh_statistics(self.env, dict.fromkeys(READ_TABLES, 1))
        start, stop = self._utc_bounds(company, date_from, date_to)
        currency = company.currency_id
        factor = 10**currency.decimal_places
        tz = company._omni_tz()
        sales = self._fetch_shipped_orders(company, channels, start, stop)
        returns = self._fetch_received_returns(company, channels, start, stop)
        invoiced = self._invoiced_orders([row["id"] for row in sales] + [r["sale_order_id"] for r in returns])
        skipped = result["skipped"]
        split_ids = {row["id"] for row in sales if row["id"] not in invoiced}
        split_ids |= {r["sale_order_id"] for r in returns if r["sale_order_id"] and r["sale_order_id"] not in invoiced}
        splits = self._order_tax_split(split_ids, factor)
        read_at = timer.perf_counter()

        # {(channel_id, day, kind): {"lines": [...], "taxes": {tax_id: [base, amount]}}} in cents
        groups = defaultdict(lambda: {"lines": [], "taxes": defaultdict(lambda: [0, 0])})

        def add(kind, row, document_at, untaxed, tax, taxes, sale_order_id, aftersale_id=False):
            group = groups[(row["channel_id"], self._local_day(tz, document_at), kind)]
            group["lines"].append(
                {
                    "kind": kind,
                    "sale_order_id": sale_order_id,
                    "aftersale_id": aftersale_id,
                    "reference": row["reference"],
                    "document_at": document_at,
                    "untaxed": untaxed,
                    "tax": tax,
                    "is_cod": row["payment_method"] == "cod",
                    "courier_code": row["courier_code"],
                }
            )
            for tax_id, (base, amount) in taxes.items():
                group["taxes"][tax_id][0] += base
                group["taxes"][tax_id][1] += amount

        for row in sales:
            if row["id"] in invoiced:
                skipped.append(
                    {"document": row["name"], "reason": self.env._("invoiced one by one: left out of the ledger")}
                )
                continue
            split = splits.get(row["id"])
            if split is None:
                skipped.append({"document": row["name"], "reason": self.env._("its tax cannot be split per tax")})
                continue
            untaxed, tax = round(row["amount_untaxed"] * factor), round(row["amount_tax"] * factor)
            add("sale", row, row["shipped_at"], untaxed, tax, split, row["id"])
        for row in returns:
            order_id = row["sale_order_id"]
            name = row["name"]
            if order_id in invoiced:
                skipped.append({"document": name, "reason": self.env._("its order was invoiced one by one")})
                continue
            refund = round(row["refund_amount"] * factor)
            if not refund:
                skipped.append({"document": name, "reason": self.env._("no refund amount")})
                continue
            if not order_id or order_id not in splits:
                skipped.append({"document": name, "reason": self.env._("no sale order to split its tax by")})
                continue
            order_total = round(row["order_total"] * factor)
            ratio = refund / order_total if order_total else 0.0
            taxes = {
                tax_id: [round(base * ratio), round(amount * ratio)]
                for tax_id, (base, amount) in splits[order_id].items()
            }
            tax = sum(amount for _base, amount in taxes.values())
            add("return", row, row["received_at"], refund - tax, tax, taxes, order_id, aftersale_id=row["id"])
        grouped_at = timer.perf_counter()
        if groups:
            guard.internal(self)._store_groups(company, groups, factor, result)
        _logger.info(
            "Retail records of %s: %s orders, %s returns read in %.2f s, grouped in %.2f s, stored in %.2f s",
            company.name,
            len(sales),
            len(returns),
            read_at - started,
            grouped_at - read_at,
            timer.perf_counter() - grouped_at,
        )

    def _store_groups(self, company, groups, factor, result):
        keys = list(groups)
        drafts = self.search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "draft"),
                ("channel_id", "in", list({k[0] for k in keys})),
                ("date", "in", list({k[1] for k in keys})),
            ]
        )
        draft_by_key = {(r.channel_id.id, r.date, r.kind): r for r in drafts}
        done_counts = {
            (channel.id, date, kind): count
            for channel, date, kind, count in self._read_group(
                [
                    ("company_id", "=", company.id),
                    ("state", "!=", "draft"),
                    ("channel_id", "in", list({k[0] for k in keys})),
                    ("date", "in", list({k[1] for k in keys})),
                ],
                ["channel_id", "date:day", "kind"],
                ["__count"],
            )
        }
        channels = self.env["omni.channel"].browse({k[0] for k in keys})
        codes = {c.id: c.code for c in channels}
        new_vals = []
        new_keys = []
        for key in keys:
            if key not in draft_by_key:
                channel_id, date, kind = key
                number = done_counts.get(key, 0) + 1
                name = f"{codes[channel_id]}/{fields.Date.to_string(date)}/{'S' if kind == 'sale' else 'R'}"
                new_vals.append(
                    {
                        "name": name if number == 1 else f"{name}/{number}",
                        "company_id": company.id,
                        "channel_id": channel_id,
                        "date": date,
                        "kind": kind,
                    }
                )
                new_keys.append(key)
        quiet = self.with_context(tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True)
        created = quiet.create(new_vals) if new_vals else self.browse()
        record_by_key = dict(draft_by_key)
        record_by_key.update(zip(new_keys, created, strict=True))
        result["created"] += len(created)
        result["extended"] += len([k for k in keys if k in draft_by_key])

        line_rows = []
        for key, group in groups.items():
            record = record_by_key[key]
            cod = untaxed = tax = 0
            for line in group["lines"]:
                total = line["untaxed"] + line["tax"]
                untaxed += line["untaxed"]
                tax += line["tax"]
                if line["is_cod"]:
                    cod += total
                line_rows.append(
                    (
                        record.id,
                        company.id,
                        company.currency_id.id,
                        line["kind"],
                        line["sale_order_id"] or None,
                        line["aftersale_id"] or None,
                        line["reference"],
                        line["document_at"],
                        # minor units to the currency's decimals: exact, as the ORM's rounding at insert
                        line["untaxed"] / factor,
                        line["tax"] / factor,
                        total / factor,
                        line["is_cod"],
                        line["courier_code"],
                    )
                )
                result["sales" if line["kind"] == "sale" else "returns"] += 1
            existing = {t.tax_id.id: t for t in record.tax_line_ids}
            tax_vals = []
            for tax_id, (base, amount) in group["taxes"].items():
                if tax_id in existing:
                    row = existing[tax_id]
                    row.write(
                        {
                            "base": (round(row.base * factor) + base) / factor,
                            "amount": (round(row.amount * factor) + amount) / factor,
                        }
                    )
                else:
                    tax_vals.append(
                        {
                            "record_id": record.id,
                            "company_id": company.id,
                            "tax_id": tax_id,
                            "base": base / factor,
                            "amount": amount / factor,
                        }
                    )
            if tax_vals:
                self.env["omni.retail.record.tax"].create(tax_vals)
            record.write(
                {
                    "document_count": record.document_count + len(group["lines"]),
                    "amount_untaxed": (round(record.amount_untaxed * factor) + untaxed) / factor,
                    "amount_tax": (round(record.amount_tax * factor) + tax) / factor,
                    "amount_total": (round(record.amount_total * factor) + untaxed + tax) / factor,
                    "amount_cod": (round(record.amount_cod * factor) + cod) / factor,
                }
            )
            result["records"].append(record.id)
        self._insert_lines(line_rows)

    def _insert_lines(self, rows):
        """COPY the lines (tuples for LINE_COLUMNS) in one statement: the ORM
        built 50,000 lines one by one in its cache (most of the generation's
        time). The lines are the generation's own (guarded: nobody else
        creates them); the unique indexes still refuse a document covered
        twice, the whole COPY failing with it. The lines are then read by
        record or by document (indexes), whatever their statistics."""
        if not rows:
            return
        Line = self.env["omni.retail.record.line"]
        self.env.flush_all()
        bulk_copy(self.env, Line._table, LINE_COLUMNS, rows)
        Line.invalidate_model()
        self.env["omni.retail.record"].invalidate_model(["line_ids"])

    @api.model
    def _fetch_shipped_orders(self, company, channels, start, stop):
        """Channel sale orders of ``company`` whose deliveries are all done or
        cancelled (at least one done), the last done in [start, stop), and
        not covered yet. Driven by the deliveries done in the period."""
        return self._fetch_uncovered(
            SQL(
                """
                WITH shipped AS (
                    SELECT DISTINCT p.sale_id
                      FROM stock_picking p
                      JOIN stock_picking_type t ON t.id = p.picking_type_id AND t.code = 'outgoing'
                     WHERE p.state = 'done' AND p.company_id = %(company)s
                       AND p.date_done >= %(start)s AND p.date_done < %(stop)s AND p.sale_id IS NOT NULL
                )
                SELECT so.id, so.name, so.omni_channel_id AS channel_id,
                       COALESCE(so.client_order_ref, so.name) AS reference,
                       so.amount_untaxed, so.amount_tax, so.amount_total,
                       so.omni_payment_method AS payment_method,
                       agg.shipped_at, agg.courier_code
                  FROM shipped
                  JOIN sale_order so ON so.id = shipped.sale_id
                  JOIN LATERAL (%(deliveries)s) agg
                    ON %(shipped)s AND agg.shipped_at >= %(start)s AND agg.shipped_at < %(stop)s
                 WHERE so.omni_channel_id = ANY(%(channels)s) AND so.state = 'sale'
                 ORDER BY so.id
                """,
                company=company.id,
                start=start,
                stop=stop,
                channels=channels.ids,
                deliveries=ledger_rules.shipped_deliveries(SQL("so.id")),
                shipped=ledger_rules.is_shipped("agg"),
            ),
            "sale_order_id",
            "sale",
        )

    @api.model
    def _fetch_uncovered(self, query, column, kind):
        """Rows of ``query`` (an SQL with an ``id`` column) whose document is
        not covered yet by a live line of ``kind`` (its id in the line's
        ``column``). The covered ones are found by a second query on purpose:
        an anti-join in the big query let the planner scan the lines table
        per order while its statistics lagged behind a large generation
        (measured: 25 s instead of 0.2 s for 10,000 orders)."""
        self.env.cr.execute(query)
        rows = self.env.cr.dictfetchall()
        if not rows:
            return rows
        self.env.cr.execute(
            SQL(
                """
                SELECT %(column)s FROM omni_retail_record_line
                 WHERE %(column)s = ANY(%(ids)s) AND kind = %(kind)s AND released IS NOT TRUE
                """,
                column=SQL.identifier(column),
                ids=[row["id"] for row in rows],
                kind=kind,
            )
        )
        covered = {row[0] for row in self.env.cr.fetchall()}
        return [row for row in rows if row["id"] not in covered]

    @api.model
    def _fetch_received_returns(self, company, channels, start, stop):
        """Received after-sales orders of ``company`` in [start, stop), not
        covered yet, with their sale order and its last delivery's courier."""
        return self._fetch_uncovered(
            SQL(
                """
                SELECT a.id, a.name, a.channel_id, a.refund_amount, a.received_at,
                       concat_ws('/', o.platform_order_no, a.platform_refund_no) AS reference,
                       so.id AS sale_order_id, so.amount_total AS order_total,
                       COALESCE(so.omni_payment_method, o.payment_method) AS payment_method,
                       (SELECT dc.omni_courier_code
                          FROM stock_picking p
                          JOIN stock_picking_type t ON t.id = p.picking_type_id AND t.code = 'outgoing'
                          LEFT JOIN delivery_carrier dc ON dc.id = p.carrier_id
                         WHERE p.sale_id = so.id AND p.state = 'done'
                         ORDER BY p.date_done DESC, p.id DESC LIMIT 1) AS courier_code
                  FROM omni_aftersale a
                  JOIN omni_order o ON o.id = a.omni_order_id
                  LEFT JOIN sale_order so ON so.id = o.sale_order_id
                 WHERE a.state = 'received' AND a.company_id = %(company)s
                   AND a.channel_id = ANY(%(channels)s)
                   AND a.received_at >= %(start)s AND a.received_at < %(stop)s
                 ORDER BY a.id
                """,
                company=company.id,
                start=start,
                stop=stop,
                channels=channels.ids,
            ),
            "aftersale_id",
            "return",
        )

    @api.model
    def _invoiced_orders(self, order_ids):
        """Orders with a posted customer invoice or credit note: their revenue
        went through invoicing, so the ledger leaves them out."""
        order_ids = [i for i in order_ids if i]
        if not order_ids:
            return set()
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT sol.order_id FROM %s AND sol.order_id = ANY(%s)",
                ledger_rules.invoiced_order_lines(),
                order_ids,
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _order_tax_split(self, order_ids, factor):
        """{order_id: {tax_id: [base, tax]}} in minor units (cents). Per
        order, the taxes add up exactly to the order's amount_tax: the lines'
        taxes are summed and rounded per tax, and the order's rounding
        difference goes to its largest tax. A line with several taxes shares
        its tax in proportion to the rates; its base counts for its first tax.
        Orders with tax but no taxed line are left out (reported as skipped)."""
        if not order_ids:
            return {}
        self.env.cr.execute(
            SQL(
                """
                SELECT l.order_id, so.amount_tax, l.price_subtotal, l.price_tax,
                       array_remove(array_agg(r.account_tax_id ORDER BY r.account_tax_id), NULL) AS tax_ids
                  FROM sale_order_line l
                  JOIN sale_order so ON so.id = l.order_id
                  LEFT JOIN account_tax_sale_order_line_rel r ON r.sale_order_line_id = l.id
                 WHERE l.order_id = ANY(%s) AND l.display_type IS NULL
                 GROUP BY l.id, so.amount_tax
                """,
                list(order_ids),
            )
        )
        raw = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
        order_tax = {}
        multi_tax_ids = set()
        rows = self.env.cr.fetchall()
        for _order_id, _amount_tax, _subtotal, _price_tax, tax_ids in rows:
            if len(tax_ids) > 1:
                multi_tax_ids.update(tax_ids)
        rates = {t.id: abs(t.amount) or 1.0 for t in self.env["account.tax"].browse(multi_tax_ids)}
        for order_id, amount_tax, subtotal, price_tax, tax_ids in rows:
            order_tax[order_id] = round((amount_tax or 0.0) * factor)
            if not tax_ids:
                continue
            if len(tax_ids) == 1:
                shares = {tax_ids[0]: 1.0}
            else:
                total_rate = sum(rates[t] for t in tax_ids)
                shares = {t: rates[t] / total_rate for t in tax_ids}
            for index, (tax_id, share) in enumerate(shares.items()):
                entry = raw[order_id][tax_id]
                if index == 0:  # the base counts once, for the line's first tax
                    entry[0] += subtotal or 0.0
                entry[1] += (price_tax or 0.0) * share
        result = {}
        for order_id, wanted in order_tax.items():
            taxes = raw.get(order_id)
            if not taxes:
                if wanted:
                    continue  # tax without taxed lines: cannot be split (reported as skipped)
                result[order_id] = {}
                continue
            split = {
                tax_id: [round(float_round(base * factor, 0)), round(float_round(amount * factor, 0))]
                for tax_id, (base, amount) in taxes.items()
            }
            difference = wanted - sum(amount for _base, amount in split.values())
            if difference:
                largest = max(split, key=lambda t: (abs(split[t][1]), -t))
                split[largest][1] += difference
            result[order_id] = split
        return result

    @api.model
    def _generation_message(self, result):
        if not result["sales"] and not result["returns"]:
            message = self.env._("Nothing new to record: every shipped order and received return is covered.")
        else:
            message = self.env._(
                "%(sales)s shipped orders and %(returns)s returns recorded in %(records)s retail records "
                "(%(created)s new).",
                sales=result["sales"],
                returns=result["returns"],
                records=len(set(result["records"])),
                created=result["created"],
            )
        if result["skipped"]:
            message += " " + self.env._("%(count)s documents left out.", count=len(result["skipped"]))
        return message
