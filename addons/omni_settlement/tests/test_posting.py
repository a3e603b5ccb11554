# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import Decimal

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import FILES, PostingCase, sample_path, truth


@tagged("post_install", "-at_install")
class TestPosting(PostingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        book = truth("TMALL01")["orders"]
        cls._book("TMALL01", {o["order"]: float(o["paid"]) for o in book if o["settled_in_file"]})
        cls.manager = cls.env["res.users"].create(
            {
                "name": "Settlement manager",
                "login": "settle_manager",
                "email": "manager@example.com",
                "groups_id": [
                    (4, cls.env.ref("omni_settlement.group_settlement_manager").id),
                    (4, cls.env.ref("account.group_account_invoice").id),
                    (4, cls.env.ref("omni_channel.group_omni_channel_user").id),
                ],
            }
        )
        cls.user = cls.env["res.users"].create(
            {
                "name": "Settlement user",
                "login": "settle_user",
                "email": "user@example.com",
                "groups_id": [
                    (4, cls.env.ref("omni_settlement.group_settlement_user").id),
                    (4, cls.env.ref("account.group_account_invoice").id),
                    (4, cls.env.ref("omni_channel.group_omni_channel_user").id),
                ],
            }
        )

    def _balance(self, account):
        self.env["account.move.line"].flush_model()
        lines = self.env["account.move.line"].search([("account_id", "=", account.id), ("parent_state", "=", "posted")])
        return round(sum(lines.mapped("balance")), 2)

    def test_matched_when_ledger_agrees(self):
        statement = self.import_sample("TMALL01")
        line = statement.line_ids.filtered(lambda line: line.order_ref == "4060000001626596939" and line.kind == "sale")
        self.assertEqual(line.state, "matched")
        # a partial refund before the buyer confirmed: 交易付款 is the rest, the ledger booked the whole order
        diffs = statement.line_ids.filtered(lambda line: line.state == "amount_diff")
        self.assertTrue(diffs)
        for diff in diffs:
            order = diff.omni_order_id
            self.assertAlmostEqual(diff.order_diff, order.omni_settled_amount - order.paid_amount, places=2)

    def test_post_alipay_statement(self):
        statement = self.import_sample("TMALL01").with_user(self.manager)
        receivable = self.receivables["TMALL01"]
        booked = self._balance(receivable)
        statement.action_post()
        self.assertEqual(statement.state, "posted")
        move = statement.move_ids
        self.assertEqual(len(move), 1, "every line in November: one entry")
        self.assertEqual(move.state, "posted")
        self.assertEqual(str(move.date), "2026-11-30")
        wallet = self.channels["TMALL01"].omni_settlement_journal_id.default_account_id
        expected = truth("TMALL01")["format"]
        net = Decimal(expected["closing_balance"]) - Decimal(expected["opening_balance"])
        self.assertEqual(
            Decimal(str(self._balance(wallet))).quantize(Decimal("0.01")), net, "the wallet moved as Alipay"
        )
        credits = round(sum(statement.clearing_ids.mapped("amount")), 2)
        self.assertEqual(self._balance(receivable), round(booked - credits, 2))
        # the receivable credited with exactly what the ledger booked for the orders settled here
        self.assertEqual(credits, round(sum(float(o["paid"]) for o in truth("TMALL01")["orders"]
                                            if o["settled_in_file"]), 2))  # fmt: skip
        # per order: settled, fees and net as the platform paid them
        for number, net in truth("TMALL01")["per_order_net"].items():
            order = self.orders["TMALL01"].get(number)
            if order:
                self.assertAlmostEqual(order.omni_settlement_net, float(net), places=2, msg=number)
                self.assertAlmostEqual(order.sale_order_id.omni_settlement_net, float(net), places=2, msg=number)
        with self.assertRaises(UserError):
            statement.write({"file_name": "x"})
        with self.assertRaises(UserError):
            statement.unlink()

    def test_lines_and_clearings_take_channel_and_company_from_statement(self):
        """Not stored on a million lines nor on half a million clearings (a foreign key checked per row at
        COPY): read, searched and grouped through the statement."""
        statement = self.import_sample("TMALL01").with_user(self.manager)
        statement.action_post()
        channel = self.channels["TMALL01"]
        for model in ("omni.settlement.line", "omni.settlement.clearing"):
            Model = self.env[model]
            self.assertFalse(Model._fields["channel_id"].store or Model._fields["company_id"].store, model)
            self.env.cr.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
                " AND column_name IN ('channel_id', 'company_id')",
                [Model._table],
            )
            self.assertFalse(self.env.cr.fetchall(), f"{model}: no column left by the migration")
            records = Model.search([("channel_id", "=", channel.id), ("company_id", "=", self.company.id)])
            self.assertEqual(records, Model.search([("settlement_id", "=", statement.id)]), model)
            self.assertTrue(records)
            self.assertEqual(records.channel_id, channel)
            self.assertEqual(records.company_id, self.company)
        # one clearing for the month; by order only what was cleared beyond what the lines settled
        self.assertEqual(len(statement.clearing_ids), 1)
        settled_orders = statement.line_ids.filtered(
            lambda line: line.kind in ("sale", "refund") and line.state != "duplicate"
        ).omni_order_id
        self.assertEqual(statement.clearing_ids.order_count, len(settled_orders))
        diffs = statement.clearing_diff_ids
        self.assertLess(len(diffs), len(settled_orders))
        self.assertLessEqual(statement.line_ids.filtered(lambda line: line.state == "amount_diff").omni_order_id,
                             diffs.omni_order_id)  # fmt: skip
        for diff in diffs:
            self.assertAlmostEqual(diff.settled_amount + diff.amount, diff.omni_order_id.paid_amount, places=2)
        # so that no order settled here stays open, to the cent
        still_open = self.env["omni.settlement.open.order"].search([("omni_order_id", "in", settled_orders.ids)])
        self.assertFalse(still_open, still_open.mapped("open_amount"))
        # who imported a line and when: its statement's (no audit columns, two foreign keys fewer per line)
        self.assertEqual(statement.line_ids.create_uid, statement.create_uid)
        self.assertEqual(set(statement.line_ids.mapped("create_date")), {statement.create_date})
        self.env.cr.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'omni_settlement_line'"
            " AND column_name IN ('create_uid', 'write_uid', 'create_date', 'write_date')"
        )
        self.assertFalse(self.env.cr.fetchall())
        report = self.env["omni.settlement.report"].search([("channel_id", "=", channel.id)])
        self.assertEqual(sum(report.mapped("line_count")), len(statement.line_ids.filtered(
            lambda line: line.state != "duplicate" and line.kind and line.kind != "internal")))  # fmt: skip

    def test_post_needs_manager_and_billing(self):
        statement = self.import_sample("TMALL01")
        with self.assertRaises(AccessError):
            statement.with_user(self.user).action_post()
        self.assertEqual(statement.state, "imported")

    def test_missing_fee_account_stops_posting(self):
        fee_type = self.env["omni.settlement.fee.type"].search(
            [("channel_id", "=", self.channels["TMALL01"].id), ("name", "=", "公益宝贝")]
        )
        fee_type.account_id = False
        statement = self.import_sample("TMALL01")
        with self.assertRaisesRegex(UserError, "公益宝贝"):
            statement.with_user(self.manager).action_post()
        self.assertEqual(statement.state, "imported")
        self.assertFalse(statement.move_ids)

    def test_month_boundary_own_entry(self):
        """A line of 31 October in the November statement is posted in October."""
        content = sample_path(FILES["TMALL01"][1]).read_bytes().decode("gbk")
        content = content.replace("2026-11-01 00:00:07", "2026-10-31 23:59:58", 1)
        statement = self.import_bytes("TMALL01", "alipay_oct.csv", content.encode("gbk"))
        statement.with_user(self.manager).action_post()
        moves = statement.move_ids.sorted("date")
        self.assertEqual([str(d) for d in moves.mapped("date")], ["2026-10-31", "2026-11-30"])
        october = moves[0]
        self.assertAlmostEqual(
            sum(october.line_ids.filtered(lambda line: line.balance > 0).mapped("balance")), 35.90, places=2
        )

    def test_balance_break_blocks_posting_until_accepted(self):
        content = sample_path(FILES["TMALL01"][1]).read_bytes().decode("gbk").split("\r\n")
        fields = content[19].split(",")  # row 20
        balance = Decimal(fields[8])
        fields[8] = str(balance + Decimal("10.00"))
        content[19] = ",".join(fields)
        statement = self.import_bytes("TMALL01", "alipay_break.csv", "\r\n".join(content).encode("gbk"))
        self.assertEqual(statement.balance_break_line_id.row_no, 20)
        self.assertAlmostEqual(statement.balance_break_amount, 10.0, places=2)
        with self.assertRaisesRegex(UserError, "row 20"):
            statement.with_user(self.manager).action_post()
        with self.assertRaises(UserError):
            statement.with_user(self.user).action_accept_balance()
        statement.with_user(self.manager).action_accept_balance()
        self.assertEqual(statement.balance_accepted_by_id, self.manager)
        statement.with_user(self.manager).action_post()
        self.assertEqual(statement.state, "posted")
