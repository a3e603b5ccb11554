# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import json
from decimal import Decimal
from pathlib import Path

from odoo import Command
from odoo.tests import TransactionCase

from odoo.addons.omni_base.tools import guard

# the real statements of the samples (one per platform, November 2026) and their truth files
SAMPLES = Path("/work/shared/samples/settlements")
LOCAL_SAMPLES = Path(__file__).parent / "data"
FILES = {
    "TMALL01": ("tmall", "alipay_TMALL01_2026-11.csv"),
    "JD01": ("jd", "jd_JD01_2026-11.xlsx"),
    "PDD01": ("pinduoduo", "pdd_PDD01_2026-11.csv"),
    "DY01": ("douyin", "douyin_DY01_2026-11.csv"),
}
# truth class -> kind of our line
TRUTH_KINDS = {"order_payment": "sale", "refund": "refund", "fee": "fee", "payout": "payout"}


def sample_path(name):
    local = LOCAL_SAMPLES / name
    return local if local.is_file() else SAMPLES / name


def b64(content):
    return base64.b64encode(content).decode()


def truth(code):
    name = FILES[code][1].rsplit(".", 1)[0] + ".truth.json"
    return json.loads(sample_path(name).read_text())


class SettlementCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.channels = {
            code: cls.env["omni.channel"].create({"name": f"Shop {code}", "code": code, "platform": platform})
            for code, (platform, _name) in FILES.items()
        }
        cls.orders = {code: cls._make_orders(code) for code in FILES}

    @classmethod
    def _make_orders(cls, code, state="shipped"):
        """The shop's order book of the sample (truth 'orders') as shipped platform orders."""
        book = truth(code)["orders"]
        orders = guard.internal(cls.env["omni.order"]).create(
            [
                {
                    "channel_id": cls.channels[code].id,
                    "platform_order_no": order["order"],
                    "paid_amount": float(Decimal(order["paid"])),
                    "state": state,
                    "source": "file",
                }
                for order in book
            ]
        )
        return {order.platform_order_no: order.with_env(cls.env) for order in orders}

    def import_sample(self, code, name=None):
        content = sample_path(name or FILES[code][1]).read_bytes()
        return self.import_bytes(code, name or FILES[code][1], content)

    def import_bytes(self, code, name, content):
        sid = self.env["omni.settlement"].import_file(code, name, b64(content))
        return self.env["omni.settlement"].browse(sid)


class PostingCase(SettlementCase):
    """Accounts of the four channels, a wallet journal each, fee types with an
    account, and the ledger's booking of the sample orders settled in the
    files (their platform receivable debited at what the buyer paid)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        Account = env["account.account"]

        def account(code, name, account_type, reconcile=False):
            return Account.create({"code": code, "name": name, "account_type": account_type, "reconcile": reconcile})

        cls.revenue = account("600199", "Platform revenue", "income")
        cls.fee_account = account("660199", "Platform fees", "expense")
        cls.deposit_account = account("122199", "Platform deposits", "asset_current")
        cls.diff_account = account("660299", "Settlement differences", "expense")
        if not cls.company.transfer_account_id:
            cls.company.transfer_account_id = account("101299", "Transfers", "asset_current", True)
        cls.receivables = {}
        for index, (code, channel) in enumerate(cls.channels.items()):
            receivable = account(f"11239{index}", f"{code} receivable", "asset_receivable", True)
            cls.receivables[code] = receivable
            journal = env["account.journal"].create(
                {"name": f"{code} wallet", "code": f"W{index}", "type": "bank", "company_id": cls.company.id}
            )
            channel.write(
                {
                    "omni_clearing_account_id": receivable.id,
                    "omni_settlement_journal_id": journal.id,
                    "omni_settlement_diff_account_id": cls.diff_account.id,
                }
            )
            FeeType = env["omni.settlement.fee.type"]
            FeeType._seed_defaults(channel)
            for fee_type in FeeType.search([("channel_id", "=", channel.id)]):
                if fee_type.kind in ("fee", "transfer", "deposit"):
                    fee_type.account_id = cls.deposit_account if fee_type.kind == "deposit" else cls.fee_account

    @classmethod
    def _book(cls, code, amounts, date="2026-11-20", shipped=None):
        """The retail ledger's posted record of the orders {number: amount}:
        a line per order (its sale order) and the entry debiting the channel's
        platform receivable."""
        env = cls.env
        channel = cls.channels[code]
        partner = env["res.partner"].create({"name": f"Buyers of {code}"})
        total = sum(amounts.values())
        journal = env["account.journal"].search(
            [("company_id", "=", cls.company.id), ("type", "=", "general")], limit=1
        )
        move = env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "date": date,
                "line_ids": [
                    Command.create({"account_id": cls.receivables[code].id, "balance": total, "name": "retail"}),
                    Command.create({"account_id": cls.revenue.id, "balance": -total, "name": "retail"}),
                ],
            }
        )
        move.action_post()
        record = guard.internal(env["omni.retail.record"]).create(
            {
                "company_id": cls.company.id,
                "channel_id": channel.id,
                "date": date,
                "kind": "sale",
                "state": "posted",
                "amount_total": total,
                "move_id": move.id,
            }
        )
        sales = env["sale.order"].create([{"partner_id": partner.id} for _number in amounts])
        vals = []
        for (number, amount), sale in zip(amounts.items(), sales, strict=True):
            order = cls.orders[code][number]
            guard.internal(order).sale_order_id = sale
            vals.append(
                {
                    "record_id": record.id,
                    "company_id": cls.company.id,
                    "kind": "sale",
                    "sale_order_id": sale.id,
                    "reference": number,
                    # shipped at 11:00 China time on the record's day unless told
                    "document_at": (shipped or {}).get(number, f"{date} 03:00:00"),
                    "currency_id": cls.company.currency_id.id,
                    "amount_total": amount,
                    "amount_untaxed": amount,
                }
            )
        guard.internal(env["omni.retail.record.line"]).create(vals)
        return record
