# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .common import CourierTestMixin, b64, xlsx_bytes


@tagged("post_install", "-at_install")
class TestReconciliationTour(CourierTestMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_courier()
        Statement = cls.env["courier.statement"]
        cls.statement = Statement.browse(
            Statement.import_file("SF", "SF_2026-11.xlsx", b64(xlsx_bytes(cls.STATEMENT_ROWS)))
        )

    def _line(self, tracking_no, state):
        return self.statement.line_ids.filtered(lambda line: (line.tracking_no, line.state) == (tracking_no, state))

    def test_resolve_differences_on_screen(self):
        statement = self.statement
        self.assertEqual(statement.state, "to_resolve")
        self.assertEqual((statement.difference_count, statement.unresolved_count), (6, 6))
        self.assertFalse(statement.line_ids.filtered("resolution"))
        self.start_tour(
            "/odoo/action-omni_courier.action_courier_statement", "omni_courier_reconciliation_tour", login="admin"
        )
        statement.invalidate_recordset()
        weight, fee = self._line("SF1004", "weight_diff"), self._line("SF1005", "fee_diff")
        self.assertEqual(weight.resolution, "accepted")
        self.assertEqual(fee.resolution, "disputed")
        self.assertEqual(fee.resolution_note, "Weighed 1.0 kg: 10.00 by the rate card")
        self.assertEqual(
            statement.line_ids.filtered("resolution"), weight | fee, "the other lines are left as they were"
        )
        self.assertEqual(statement.unresolved_count, 4)
        # the courier's 14.00 for the weight difference, our 10.00 for the disputed fee
        self.assertEqual((weight.agreed_fee, fee.agreed_fee), (14.0, 10.0))
