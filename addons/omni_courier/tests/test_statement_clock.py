# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo.tests import TransactionCase, tagged

from .common import CourierTestMixin, xlsx_bytes


@tagged("post_install", "-at_install")
class TestStatementClock(CourierTestMixin, TransactionCase):
    """A statement period's days are the company's (China time here), not
    the importing user's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_courier()
        # 20:00 UTC on the 23rd: the 24th in China, still the 23rd in New York
        cls.pickings["SF1006"].date_done = datetime(2026, 11, 23, 20, 0, 0)

    def _missing(self, tz):
        self.env.user.tz = tz
        statement = self._import(
            xlsx_bytes([["SF1001", "2026-11-24", "南京", 1.2, 12, 0]]), date_from="2026-11-24", date_to="2026-11-24"
        )
        return statement.line_ids.filtered(lambda line: line.state == "missing").mapped("tracking_no")

    def test_period_in_company_days_for_a_user_far_away(self):
        self.assertEqual(self._missing("America/New_York"), ["SF1006"])

    def test_period_in_company_days_for_a_user_in_china(self):
        self.assertEqual(self._missing("Asia/Shanghai"), ["SF1006"])
