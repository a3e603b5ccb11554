# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from odoo.addons.omni_base.tools import guard

from .common import FILES, PostingCase, sample_path, truth


@tagged("post_install", "-at_install")
class TestImportAndMatchAgain(PostingCase):
    """The first import and *Match Again* apply one set of line-state rules
    (omni_settlement_match.py, ``_matching_sql``): matching a statement again
    with nothing changed gives every line the state, kind, fee type, order and
    difference its import gave it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in ("TMALL01", "DY01"):
            book = truth(code)["orders"]
            cls._book(code, {o["order"]: float(o["paid"]) for o in book if o["settled_in_file"]})

    def _lines(self, statements):
        self.env.flush_all()
        self.env.invalidate_all()
        lines = self.env["omni.settlement.line"].search([("settlement_id", "in", statements.ids)])
        return {
            line.id: (line.state, line.kind, line.fee_type_id.id, line.omni_order_id.id, line.order_ref,
                      round(line.order_diff, 2))
            for line in lines
        }  # fmt: skip

    def _assert_match_again_agrees(self, statements):
        imported = self._lines(statements)
        statements.action_rematch()
        self.assertEqual(self._lines(statements), imported)
        return {state for state, *_rest in imported.values()}

    def test_samples(self):
        states = set()
        for code in FILES:
            states |= self._assert_match_again_agrees(self.import_sample(code))
        self.assertLessEqual(
            {"matched", "amount_diff", "duplicate", "unknown_order", "refund_no_aftersale", "no_order"}, states
        )

    def test_bad_input(self):
        """An order not shipped, one of another channel, one unknown, a word
        no fee type covers, a duplicate in the file, a sub-order number, and
        an export overlapping the statement imported before (its lines
        duplicates: they count once, also for the comparison with the
        ledger)."""
        orders = self.orders["DY01"]
        guard.internal(orders["6924000300890743114"]).state = "confirmed"
        other = self.env["omni.channel"].create({"name": "Shop DY02", "code": "DY02", "platform": "douyin"})
        guard.internal(orders["6924000152523365934"]).channel_id = other
        guard.internal(orders["6924000169670903333"]).platform_order_no = "6924000169670900000"
        self.env["omni.settlement.fee.type"].search(
            [("channel_id", "=", self.channels["DY01"].id), ("name", "=", "权益保险")]
        ).unlink()
        first = self.import_sample("DY01")
        first_lines = self._lines(first)
        content = sample_path(FILES["DY01"][1]).read_bytes()
        head = b"\r\n".join(content.split(b"\r\n")[:12]) + b"\r\n"
        again = self.import_bytes("DY01", "douyin_part.csv", head)
        self.assertEqual(set(again.line_ids.mapped("state")), {"duplicate"})
        # the overlapping export changed nothing of the first statement (its comparison with the ledger)
        self.assertEqual(self._lines(first), first_lines)
        states = self._assert_match_again_agrees(first | again)
        self.assertLessEqual(
            {"matched", "amount_diff", "duplicate", "unknown_order", "other_channel", "not_shipped", "unmapped",
             "refund_no_aftersale", "no_order"},
            states,
        )  # fmt: skip
