# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import Command, fields, models
from odoo.tools import SQL

from odoo.addons.omni_base.tools import guard

DEPOSIT = "deposit"


class OmniRetailRecord(models.Model):
    """Orders paid by deposit: the ledger entry debits the customer's
    deposit liability instead of the platform receivable (a return credits
    it back), per customer, so that the liability account's balance for a
    customer is that customer's deposit."""

    _inherit = "omni.retail.record"

    def _omni_deposit_totals(self, records):
        """{record_id: {customer_id: total}} of the documents paid by deposit."""
        result = defaultdict(dict)
        if not records:
            return result
        self.env["omni.retail.record.line"].flush_model()
        self.env["sale.order"].flush_model(["omni_payment_method", "partner_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT l.record_id, p.commercial_partner_id, sum(l.amount_total)
                  FROM omni_retail_record_line l
                  JOIN sale_order so ON so.id = l.sale_order_id
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE l.record_id = ANY(%(ids)s) AND so.omni_payment_method = %(deposit)s
                 GROUP BY l.record_id, p.commercial_partner_id
                """,
                ids=records.ids,
                deposit=DEPOSIT,
            )
        )
        for record_id, customer_id, total in self.env.cr.fetchall():
            result[record_id][customer_id] = total
        return result

    def _debit_groups(self, records):
        """The deposit part leaves the prepaid (platform receivable) group
        and becomes one group per customer, keyed ('deposit', customer_id)."""
        groups = super()._debit_groups(records)
        for record_id, by_customer in self._omni_deposit_totals(records).items():
            prepaid = groups[record_id].get((False, ""), 0.0) - sum(by_customer.values())
            groups[record_id][(False, "")] = prepaid
            for customer_id, total in by_customer.items():
                groups[record_id][(DEPOSIT, customer_id)] = total
        return groups

    def _prepare_move_vals(self, debit_groups):
        deposits = {k: v for k, v in debit_groups.items() if k[0] == DEPOSIT}
        others = {k: v for k, v in debit_groups.items() if k[0] != DEPOSIT}
        vals = super()._prepare_move_vals(others)
        if deposits:
            company = self.company_id
            currency = company.currency_id
            account = company._omni_deposit_account()
            sign = 1 if self.kind == "sale" else -1
            label = self.env._("Retail %(kind)s %(code)s %(date)s, deposit", kind=self._kind_label(),
                               code=self.channel_id.code, date=fields.Date.to_string(self.date))  # fmt: skip
            for (_deposit, customer_id), total in sorted(deposits.items()):
                balance = currency.round(sign * total)
                if not currency.is_zero(balance):
                    vals["line_ids"].append(
                        Command.create(
                            {"account_id": account.id, "balance": balance, "partner_id": customer_id, "name": label}
                        )
                    )
        return vals

    def _omni_deposit_holds(self, state):
        """The deposit holds in ``state`` of the orders these records cover,
        found by SQL from the (few) holds: reading the records' 50,000 lines
        and their orders through the ORM took seconds of the posting."""
        records = self.filtered(lambda r: r.kind == "sale")
        # the caller (posting, reversal) checked the ledger rights: holds are deposit managers' records
        Hold = guard.internal(self.env["omni.deposit.hold"].sudo())
        if not records:
            return Hold
        self.env["omni.retail.record.line"].flush_model(["record_id", "sale_order_id", "kind"])
        Hold.flush_model(["sale_order_id", "state"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT h.id
                  FROM omni_deposit_hold h
                  JOIN omni_retail_record_line l ON l.sale_order_id = h.sale_order_id
                 WHERE h.state = %(state)s AND l.record_id = ANY(%(ids)s) AND l.kind = 'sale'
                """,
                state=state,
                ids=records.ids,
            )
        )
        return Hold.browse([row[0] for row in self.env.cr.fetchall()])

    def action_post(self):
        result = super().action_post()
        # booked: the liability account now holds what the order consumed
        self.filtered(lambda r: r.state == "posted")._omni_deposit_holds("held").write({"state": "booked"})
        return result

    def action_reverse(self):
        result = super().action_reverse()
        # the booking is undone: the orders hold their deposit again until a new record books it
        self.filtered(lambda r: r.state == "reversed")._omni_deposit_holds("booked").write({"state": "held"})
        return result
