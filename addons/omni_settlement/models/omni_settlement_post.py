# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Posting of a settlement statement: one journal entry per month of its
lines, in the channel's platform wallet journal, aggregated by account (a
million lines make a few entry lines); what each order's receivable was
cleared with is kept on its lines."""

import calendar

from dateutil.relativedelta import relativedelta

from odoo import Command, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.omni_base.tools import guard

from .omni_settlement_fee_type import DOUYIN_ROW_FEES
from .omni_settlement_import import _Steps
from .omni_settlement_match import BOOKED_SQL

# what posting clears of each order's receivable in one month of a statement (the orders in
# omni_settlement_tmp_orders): what the ledger booked for the order less what earlier postings cleared, i.e.
# what the lines of posted statements (and of the statement's earlier months) settled plus the differences
# kept then; with what the month's lines settled, the difference to keep now
CLEARING_SQL = f"""
    CREATE TEMP TABLE omni_settlement_tmp_clearing ON COMMIT DROP AS
    WITH booked AS (
        SELECT order_id, sum(booked) AS booked
          FROM ({BOOKED_SQL.format(orders="SELECT id FROM omni_settlement_tmp_orders")}) b
         GROUP BY order_id
    ), settled AS (
        SELECT l.omni_order_id AS order_id,
               sum(l.gross_amount) FILTER (WHERE l.settlement_id <> %(sid)s OR l.line_date < %(month)s) AS before,
               sum(l.gross_amount) FILTER (WHERE l.settlement_id = %(sid)s AND l.line_date >= %(month)s) AS now
          FROM omni_settlement_line l JOIN omni_settlement_tmp_orders t ON t.id = l.omni_order_id
         WHERE l.state <> 'duplicate' AND l.kind IN ('sale', 'refund') AND l.line_date IS NOT NULL
           AND (l.settlement_id IN (SELECT id FROM omni_settlement WHERE channel_id = %(channel)s AND state = 'posted')
                OR (l.settlement_id = %(sid)s AND l.line_date < %(next)s))
         GROUP BY l.omni_order_id
    ), diff AS (
        SELECT d.omni_order_id AS order_id, sum(d.amount) AS amount
          FROM omni_settlement_clearing_diff d JOIN omni_settlement_tmp_orders t ON t.id = d.omni_order_id
         GROUP BY d.omni_order_id
    )
    SELECT o.id AS order_id,
           COALESCE(b.booked, 0) - COALESCE(s.before, 0) - COALESCE(d.amount, 0) AS amount,
           COALESCE(s.now, 0) AS settled
      FROM omni_settlement_tmp_orders o
      LEFT JOIN booked b ON b.order_id = o.id
      LEFT JOIN settled s ON s.order_id = o.id
      LEFT JOIN diff d ON d.order_id = o.id
"""  # noqa: S608 - constant SQL of this module


class OmniSettlement(models.Model):
    _inherit = "omni.settlement"

    def action_post(self):
        """Post the statements (Settlement Manager with billing rights): per
        statement and month of its lines one entry in the channel's wallet
        journal: the receivable of the matched orders credited with what the
        ledger booked for them, each fee account debited, the difference
        (and money of orders unknown) to the channel's difference account,
        payouts to the company's internal transfer account, the wallet with
        the net. Everything is checked first: a missing account stops the
        posting, naming it, and nothing is posted."""
        user = self.env.user
        if not (
            user.has_group("omni_settlement.group_settlement_manager")
            and user.has_group("account.group_account_invoice")
        ):
            raise AccessError(self.env._("Posting a settlement statement needs Settlement Manager and Billing rights."))
        self.check_access("write")
        for statement in self:
            blockers = statement._posting_blockers()
            if blockers:
                raise UserError(
                    self.env._(
                        "Statement %(name)s cannot be posted: %(reasons)s.",
                        name=statement.name,
                        reasons="; ".join(blockers),
                    )
                )
        for statement in self:
            statement._post()
        return True

    def _post(self):
        self.ensure_one()
        cr = self.env.cr
        self.env["omni.settlement.line"].flush_model()
        cr.execute("SELECT id FROM omni_settlement WHERE id = %s FOR UPDATE", [self.id])
        cr.execute(
            """
            SELECT DISTINCT date_trunc('month', line_date)::date FROM omni_settlement_line
             WHERE settlement_id = %s AND state <> 'duplicate' AND kind <> 'internal' ORDER BY 1
            """,
            [self.id],
        )
        months = [row[0] for row in cr.fetchall()]
        moves = self.env["account.move"]
        for month in months:
            moves |= self._post_month(month)
        guard.internal(self).write({"state": "posted", "move_ids": [Command.set(moves.ids)]})
        self.message_post(body=self.env._("Posted: %(moves)s.", moves=", ".join(moves.mapped("name")) or "-"))
        return moves

    def _post_month(self, month):
        cr = self.env.cr
        step = _Steps(self.env.context.get("omni_settlement_steps"))
        date = self._posting_date(month)
        self.env["omni.settlement.clearing"].flush_model()
        # the month's orders in a temporary table the planner knows (half a million in the benchmark)
        cr.execute(
            "CREATE TEMP TABLE IF NOT EXISTS omni_settlement_tmp_orders (id int) ON COMMIT DROP;"
            "TRUNCATE omni_settlement_tmp_orders"
        )
        cr.execute(
            """
            INSERT INTO omni_settlement_tmp_orders
            SELECT DISTINCT omni_order_id FROM omni_settlement_line
             WHERE settlement_id = %s AND state <> 'duplicate' AND kind IN ('sale', 'refund')
               AND omni_order_id IS NOT NULL AND line_date >= %s AND line_date < %s
            """,
            [self.id, month, month + relativedelta(months=1)],
        )
        cr.execute("ANALYZE omni_settlement_tmp_orders")
        step("posting: orders of the month")
        cr.execute("DROP TABLE IF EXISTS omni_settlement_tmp_clearing")
        # what earlier postings cleared: the lines of the statements posted (maybe by this call) and differences
        self.env["omni.settlement"].flush_model(["state"])
        self.env["omni.settlement.clearing.diff"].flush_model()
        cr.execute(
            CLEARING_SQL,
            {"sid": self.id, "channel": self.channel_id.id, "month": month, "next": month + relativedelta(months=1)},
        )
        cr.execute(
            "SELECT COALESCE(sum(amount), 0), count(*) FILTER (WHERE amount <> 0) FROM omni_settlement_tmp_clearing"
        )
        receivable, order_count = cr.fetchone()
        step("posting: booked less cleared by order")
        cr.execute(
            """
            SELECT l.kind, l.fee_type_id, sum(l.amount), sum(l.gross_amount), sum(l.fee_amount), count(*)
              FROM omni_settlement_line l
             WHERE l.settlement_id = %s AND l.state <> 'duplicate' AND l.kind <> 'internal'
               AND l.line_date >= %s AND l.line_date < %s
             GROUP BY l.kind, l.fee_type_id
            """,
            [self.id, month, month + relativedelta(months=1)],
        )
        move = self.env["account.move"].create(self._prepare_move_vals(month, date, cr.fetchall(), receivable))
        move.action_post()
        step("posting: totals by fee type, entry")
        # one row for the month, one per order cleared by another amount than its lines settled (a few)
        # (in SQL, like the entry's data: posting rights were checked by action_post, users only read clearings)
        cr.execute(
            """
            INSERT INTO omni_settlement_clearing (settlement_id, date, move_id, amount, order_count,
                                                  create_uid, write_uid, create_date, write_date)
            VALUES (%(sid)s, %(date)s, %(move)s, %(amount)s, %(count)s, %(uid)s, %(uid)s,
                    now() at time zone 'UTC', now() at time zone 'UTC')
            """,
            {"sid": self.id, "date": date, "move": move.id, "amount": receivable, "count": order_count,
             "uid": self.env.uid},
        )  # fmt: skip
        cr.execute(
            """
            INSERT INTO omni_settlement_clearing_diff (settlement_id, omni_order_id, date, settled_amount, amount,
                                                       create_uid, write_uid, create_date, write_date)
            SELECT %(sid)s, t.order_id, %(date)s, t.settled, t.amount - t.settled, %(uid)s, %(uid)s,
                   now() at time zone 'UTC', now() at time zone 'UTC'
              FROM omni_settlement_tmp_clearing t
             WHERE t.amount <> t.settled
            """,
            {"sid": self.id, "date": date, "uid": self.env.uid},
        )
        self.env["omni.settlement.clearing"].invalidate_model()
        self.env["omni.settlement.clearing.diff"].invalidate_model()
        step("posting: clearings (month, differences by order)")
        return move

    def _posting_date(self, month):
        """Last day of the month, or the statement's last day when it ends before."""
        last_day = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        if self.date_to and month <= self.date_to < last_day:
            return self.date_to
        return last_day

    def _prepare_move_vals(self, month, date, groups, receivable):
        """The month's entry: the receivable credited with what the orders
        were booked at (``receivable``), every payment and refund beyond it
        (or of an order unknown) to the difference account, each fee to its
        fee type's account, payouts to the internal transfer account, the
        wallet with the net."""
        channel, company = self.channel_id, self.company_id
        currency = company.currency_id
        journal = channel.omni_settlement_journal_id
        wallet = journal.default_account_id
        label = self.env._("Settlement %(name)s %(month)s", name=self.name, month=month.strftime("%Y-%m"))
        FeeType = self.env["omni.settlement.fee.type"]
        row_fees = FeeType.search([("channel_id", "=", channel.id), ("name", "=", DOUYIN_ROW_FEES)], limit=1)
        amounts = {}  # (account, name) -> balance

        def add(account, balance, name):
            key = (account, name)
            amounts[key] = amounts.get(key, 0.0) + balance

        net = gross_total = 0.0
        for kind, fee_type_id, amount, gross, fee, _count in groups:
            net += amount
            if kind in ("sale", "refund"):
                gross_total += gross
                if not currency.is_zero(fee):
                    add(self._fee_account(row_fees, DOUYIN_ROW_FEES), -fee, f"{label}: {DOUYIN_ROW_FEES}")
            elif kind == "payout":
                add(self._account(company.transfer_account_id, "transfer"), -amount,
                    self.env._("%(label)s: payout to bank", label=label))  # fmt: skip
            else:
                fee_type = FeeType.browse(fee_type_id)
                add(self._fee_account(fee_type, fee_type.name), -amount, f"{label}: {fee_type.name}")
        if not currency.is_zero(receivable):
            add(self._account(channel.omni_clearing_account_id, "receivable"), -receivable,
                self.env._("%(label)s: platform receivable cleared", label=label))  # fmt: skip
        if not currency.is_zero(gross_total - receivable):
            add(self._account(channel.omni_settlement_diff_account_id, "difference"), -(gross_total - receivable),
                self.env._("%(label)s: settled differs from booked", label=label))  # fmt: skip
        add(self._account(wallet, "wallet"), net, self.env._("%(label)s: net", label=label))
        lines = []
        for (account, name), balance in amounts.items():
            balance = currency.round(balance)
            if not currency.is_zero(balance):
                lines.append(Command.create({"account_id": account.id, "balance": balance, "name": name}))
        return {
            "move_type": "entry",
            "journal_id": journal.id,
            "company_id": company.id,
            "date": date,
            "ref": label,
            "line_ids": lines,
        }

    def _account(self, account, role):
        if account:
            return account
        channel = self.channel_id
        names = {
            "receivable": self.env._("Platform Receivable Account"),
            "difference": self.env._("Settlement Difference Account"),
            "wallet": self.env._("Platform Wallet Journal (with a default account)"),
            "transfer": self.env._("Internal Transfer Account of the company"),
        }
        raise UserError(
            self.env._(
                "Statement %(name)s cannot be posted: channel %(channel)s has no %(what)s.",
                name=self.name,
                channel=channel.display_name,
                what=names[role],
            )
        )

    def _fee_account(self, fee_type, name):
        if fee_type.account_id:
            return fee_type.account_id
        raise UserError(
            self.env._(
                "Statement %(name)s cannot be posted: fee type '%(fee_type)s' of channel %(channel)s has no "
                "account. A Settlement Manager sets it in the channel's fee-type table.",
                name=self.name,
                fee_type=name,
                channel=self.channel_id.display_name,
            )
        )
