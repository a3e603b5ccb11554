# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The order states that the code groups are defined once
(tools/order_states.py) and read by the Python, the domains and the SQL."""

import re
from pathlib import Path

from odoo.tests import TransactionCase
from odoo.tools import SQL

from ..models.omni_order_allocation import demand_sql
from ..tools.order_states import OPEN_STATES, TO_SHIP_STATES

ADDON = Path(__file__).resolve().parents[1]


class TestOrderStatesDefinedOnce(TransactionCase):
    def test_the_groups_are_states_of_the_order(self):
        states = dict(self.env["omni.order"]._fields["state"].selection)
        self.assertLessEqual(set(TO_SHIP_STATES), set(states))
        self.assertEqual(TO_SHIP_STATES, (*OPEN_STATES, "confirmed"))

    def test_the_allocation_sql_reads_them(self):
        self.assertIn(OPEN_STATES, demand_sql(SQL("TRUE")).params)

    def test_no_list_of_open_states_is_written_out_again(self):
        spelled = re.compile(r"""["']new["'],\s*["']exception["'],\s*["']to_review["']""")
        found = [
            str(path.relative_to(ADDON))
            for path in sorted(ADDON.glob("**/*.py"))
            if path.name != "order_states.py" and "tests" not in path.parts and spelled.search(path.read_text())
        ]
        self.assertEqual(found, [])
