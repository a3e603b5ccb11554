# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The platform receivable still open, order by order: what the retail
ledger booked for each shipped order less what posted settlements cleared,
with its age since shipping (aging buckets, overdue after the channel's
number of days)."""

import datetime

from odoo import api, fields, models, tools

BUCKETS = [("0_15", "0-15 days"), ("16_30", "16-30 days"), ("31_60", "31-60 days"), ("60_plus", "> 60 days")]
# bucket -> (min age, max age) in days, both included
BUCKET_AGES = {"0_15": (0, 15), "16_30": (16, 30), "31_60": (31, 60), "60_plus": (61, None)}


def bucket_of(age):
    for bucket, (low, high) in BUCKET_AGES.items():
        if age >= low and (high is None or age <= high):
            return bucket
    return "0_15"  # shipped "in the future" (clock of another machine): youngest


class OmniSettlementOpenOrder(models.Model):
    _name = "omni.settlement.open.order"
    _description = "Platform Receivable Open by Order"
    _auto = False
    _order = "shipped_at, id"
    # flushed before the view is read (posting writes the statement's state through the ORM)
    _depends = {
        "omni.settlement": ["state"],
        "omni.settlement.line": ["settlement_id", "omni_order_id", "kind", "state", "gross_amount", "line_date"],
        "omni.settlement.clearing.diff": ["omni_order_id", "amount"],
    }

    omni_order_id = fields.Many2one("omni.order", string="Platform Order", readonly=True)
    channel_id = fields.Many2one("omni.channel", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    shipped_at = fields.Datetime(readonly=True)
    booked_amount = fields.Monetary(string="Booked", readonly=True, help="Platform receivable the ledger booked.")
    settled_amount = fields.Monetary(string="Settled", readonly=True, help="Payments less refunds on statements.")
    cleared_amount = fields.Monetary(string="Cleared", readonly=True, help="Receivable cleared by posted statements.")
    open_amount = fields.Monetary(string="Open", readonly=True)
    age_days = fields.Integer(string="Age (days)", compute="_compute_age")
    aging_bucket = fields.Selection(BUCKETS, compute="_compute_age", search="_search_aging_bucket")
    is_overdue = fields.Boolean(
        compute="_compute_age", search="_search_is_overdue", help="Not settled within the channel's days."
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE VIEW {self._table} AS (
                WITH sale_booked AS (
                    SELECT o.id AS order_id, sum(rl.amount_total) AS booked, max(rl.document_at) AS shipped_at
                      FROM omni_order o
                      JOIN omni_retail_record_line rl ON rl.kind = 'sale' AND rl.sale_order_id = o.sale_order_id
                      JOIN omni_retail_record r ON r.id = rl.record_id AND r.state = 'posted'
                     WHERE rl.is_cod IS NOT TRUE AND rl.released IS NOT TRUE
                     GROUP BY o.id
                ), return_booked AS (
                    SELECT a.omni_order_id AS order_id, -sum(rl.amount_total) AS booked
                      FROM omni_aftersale a
                      JOIN omni_retail_record_line rl ON rl.kind = 'return' AND rl.aftersale_id = a.id
                      JOIN omni_retail_record r ON r.id = rl.record_id AND r.state = 'posted'
                     WHERE rl.is_cod IS NOT TRUE AND rl.released IS NOT TRUE
                     GROUP BY a.omni_order_id
                ), settled AS (
                    SELECT omni_order_id AS order_id, sum(gross_amount) AS settled
                      FROM omni_settlement_line
                     WHERE state <> 'duplicate' AND omni_order_id IS NOT NULL AND kind IN ('sale', 'refund')
                     GROUP BY omni_order_id
                ), cleared AS (
                    -- what the lines of posted statements settled plus what their postings cleared beyond
                    -- (omni_settlement_post.CLEARING_SQL)
                    SELECT order_id, sum(amount) AS cleared FROM (
                        SELECT l.omni_order_id AS order_id, l.gross_amount AS amount
                          FROM omni_settlement_line l
                          JOIN omni_settlement st ON st.id = l.settlement_id AND st.state = 'posted'
                         WHERE l.state <> 'duplicate' AND l.kind IN ('sale', 'refund')
                           AND l.omni_order_id IS NOT NULL AND l.line_date IS NOT NULL
                        UNION ALL
                        SELECT omni_order_id, amount FROM omni_settlement_clearing_diff
                    ) c GROUP BY order_id
                )
                SELECT o.id, o.id AS omni_order_id, o.channel_id, o.company_id, sb.shipped_at,
                       sb.booked + COALESCE(rb.booked, 0) AS booked_amount,
                       COALESCE(s.settled, 0) AS settled_amount,
                       COALESCE(c.cleared, 0) AS cleared_amount,
                       sb.booked + COALESCE(rb.booked, 0) - COALESCE(c.cleared, 0) AS open_amount
                  FROM sale_booked sb
                  JOIN omni_order o ON o.id = sb.order_id
                  LEFT JOIN return_booked rb ON rb.order_id = o.id
                  LEFT JOIN settled s ON s.order_id = o.id
                  LEFT JOIN cleared c ON c.order_id = o.id
                 WHERE sb.booked + COALESCE(rb.booked, 0) - COALESCE(c.cleared, 0) <> 0
            )
            """  # noqa: S608 - constant SQL of this module
        )

    @api.depends("shipped_at")
    def _compute_age(self):
        todays = {}
        for row in self:
            company = row.company_id
            if company not in todays:
                todays[company] = company._omni_today() if company else fields.Date.context_today(self)
            shipped = self._local_date(company, row.shipped_at)
            age = (todays[company] - shipped).days if shipped else 0
            row.age_days = age
            row.aging_bucket = bucket_of(age)
            row.is_overdue = age > (row.channel_id.omni_settlement_days or 0)

    @api.model
    def _local_date(self, company, moment):
        if not moment:
            return None
        tz = company._omni_tz() if company else datetime.UTC
        return moment.replace(tzinfo=datetime.UTC).astimezone(tz).date()

    def _shipped_range(self, low, high):
        """Domain on shipped_at for an age between low and high days (high None: no limit), the
        company's today."""
        company = self.env.company
        today = company._omni_today()
        tz = company._omni_tz()

        def start_of(day):
            local = datetime.datetime.combine(day, datetime.time(), tzinfo=tz)
            return local.astimezone(datetime.UTC).replace(tzinfo=None)

        domain = [("shipped_at", "<", start_of(today - datetime.timedelta(days=low - 1)))]
        if high is not None:
            domain.append(("shipped_at", ">=", start_of(today - datetime.timedelta(days=high))))
        return domain

    def _search_aging_bucket(self, operator, value):
        values = [value] if isinstance(value, str) else list(value or [])
        if operator not in ("=", "in"):
            raise NotImplementedError(operator)
        domains = [self._shipped_range(*BUCKET_AGES[v]) for v in values if v in BUCKET_AGES]
        if not domains:
            return [("id", "=", False)]
        result = ["|"] * (len(domains) - 1)
        for domain in domains:
            result += ["&"] * (len(domain) - 1) + domain
        return result

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(operator)
        wanted = value if operator == "=" else not value
        ids = []
        # the channels of the allowed companies (a handful): each has its own number of days
        channels = self.env["omni.channel"].search([("company_id", "in", self.env.companies.ids)])
        for channel in channels:
            days = channel.omni_settlement_days or 0
            rows = self.search([("channel_id", "=", channel.id), *self._shipped_range(days + 1, None)])
            ids += rows.ids
        return [("id", "in" if wanted else "not in", ids)]

    @api.model
    def aging_summary(self, channel_codes=None):
        """{unit code: {bucket: open amount, 'total': ..., 'count': ...}} of
        the current company's channels (all, or those codes)."""
        domain = [("company_id", "=", self.env.company.id)]
        if channel_codes:
            domain.append(("channel_id.code", "in", list(channel_codes)))
        summary = {}
        for row in self.search(domain):
            entry = summary.setdefault(
                row.channel_id.code, {**dict.fromkeys(BUCKET_AGES, 0.0), "total": 0.0, "count": 0}
            )
            entry[row.aging_bucket] = round(entry[row.aging_bucket] + row.open_amount, 2)
            entry["total"] = round(entry["total"] + row.open_amount, 2)
            entry["count"] += 1
        return summary
