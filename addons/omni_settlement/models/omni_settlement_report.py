# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the platforms settled per channel and month: gross sales, refunds,
each fee type, net received and the fee rate, from the posted statements
(an imported statement is not settled yet: it may still be corrected or
deleted)."""

from odoo import api, fields, models, tools

from .omni_settlement_fee_type import KINDS


class OmniSettlementReport(models.Model):
    _name = "omni.settlement.report"
    _description = "Platform Settlements by Channel and Month"
    _auto = False
    _order = "month desc, channel_id"
    # what the view reads: flushed before it is searched (a statement posted
    # in the same transaction counts at once)
    _depends = {
        "omni.settlement": ["channel_id", "company_id", "state"],
        "omni.settlement.line": [
            "settlement_id",
            "line_date",
            "kind",
            "fee_type_id",
            "state",
            "gross_amount",
            "fee_amount",
            "amount",
        ],
    }

    channel_id = fields.Many2one("omni.channel", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    month = fields.Date(readonly=True)
    kind = fields.Selection(KINDS, readonly=True)
    fee_type_id = fields.Many2one("omni.settlement.fee.type", readonly=True)
    line_count = fields.Integer(string="Lines", readonly=True)
    gross_amount = fields.Monetary(string="Payments / Refunds", readonly=True)
    fee_amount = fields.Monetary(string="Fees", readonly=True)
    amount = fields.Monetary(string="Net", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE VIEW {self._table} AS (
                SELECT row_number() OVER () AS id, channel_id, company_id, month, kind, fee_type_id,
                       line_count, gross_amount, fee_amount, amount
                  FROM (
                    SELECT s.channel_id, s.company_id, date_trunc('month', l.line_date)::date AS month, l.kind,
                           l.fee_type_id, count(*) AS line_count,
                           sum(CASE WHEN l.kind IN ('sale', 'refund') THEN l.gross_amount ELSE 0 END) AS gross_amount,
                           sum(CASE WHEN l.kind = 'fee' THEN l.amount ELSE l.fee_amount END) AS fee_amount,
                           sum(l.amount) AS amount
                      FROM omni_settlement_line l
                      JOIN omni_settlement s ON s.id = l.settlement_id
                     WHERE s.state = 'posted'
                       AND l.state NOT IN ('duplicate') AND l.kind IS NOT NULL AND l.kind <> 'internal'
                     GROUP BY 1, 2, 3, 4, 5
                  ) g
            )
            """  # noqa: S608 - constant SQL of this module
        )

    @api.model
    def monthly_summary(self, channel_code, month):
        """Figures of one channel (unit code, current company) and month
        ('2026-11-01') in its posted statements: gross sales, refunds, fees
        by type, net received (payments, refunds and fees) and fee rate in %
        of gross sales."""
        channel = self.env["omni.channel"]._get_by_code(channel_code)
        rows = self.search([("channel_id", "=", channel.id), ("month", "=", month)])
        gross = round(sum(r.gross_amount for r in rows if r.kind == "sale"), 2)
        refunds = round(sum(r.gross_amount for r in rows if r.kind == "refund"), 2)
        fees = {}
        for row in rows:
            if row.fee_amount:
                name = row.fee_type_id.name if row.kind == "fee" else self.env._("Fees in settlement rows")
                fees[name] = round(fees.get(name, 0.0) + row.fee_amount, 2)
        fee_total = round(sum(fees.values()), 2)
        return {
            "channel": channel.code,
            "month": str(month),
            "gross_sales": gross,
            "refunds": refunds,
            "fees": fees,
            "fee_total": fee_total,
            "net_received": round(gross + refunds + fee_total, 2),
            "fee_rate": round(-fee_total / gross * 100, 2) if gross else 0.0,
        }


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    def check_settlement_receivable(self):
        """The check that the channel's platform receivable account balance
        equals the sum of its orders still open (booked by the ledger, not
        cleared by a posted statement), to the cent."""
        self.ensure_one()
        account = self.omni_clearing_account_id
        balance = 0.0
        if account:
            rows = self.env["account.move.line"]._read_group(
                [("account_id", "=", account.id), ("company_id", "=", self.company_id.id),
                 ("parent_state", "=", "posted")],
                aggregates=["balance:sum"],
            )  # fmt: skip
            balance = (rows[0][0] or 0.0) if rows else 0.0
        open_rows = self.env["omni.settlement.open.order"]._read_group(
            [("channel_id", "=", self.id)], aggregates=["open_amount:sum"]
        )
        open_total = (open_rows[0][0] or 0.0) if open_rows else 0.0
        currency = self.company_id.currency_id
        difference = currency.round(balance - open_total)
        return {
            "account_balance": currency.round(balance),
            "open_orders": currency.round(open_total),
            "difference": difference,
            "ok": currency.is_zero(difference),
        }

    def action_check_settlement_receivable(self):
        result = self.check_settlement_receivable()
        message = self.env._(
            "Platform receivable %(account)s: balance %(balance)s, orders still open %(open)s, difference "
            "%(difference)s.",
            account=self.omni_clearing_account_id.display_name or "-",
            balance=result["account_balance"],
            open=result["open_orders"],
            difference=result["difference"],
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Receivable check"),
                "message": message,
                "type": "success" if result["ok"] else "warning",
                "sticky": not result["ok"],
            },
        }
