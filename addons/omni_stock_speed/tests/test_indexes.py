# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The look-ups a confirmation wave makes read an index, not every row the
history holds (issue 29: waves on a grown database)."""

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL


@tagged("post_install", "-at_install")
class TestWaveLookupsUseAnIndex(TransactionCase):
    def _plan(self, model, domain):
        query = self.env[model]._search(domain)
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute(SQL("EXPLAIN %s", query.select()))
        return "\n".join(row[0] for row in self.env.cr.fetchall())

    def test_deliveries_of_groups_by_index(self):
        # stock.move._omni_create_pickings and Odoo's _assign_picking look
        # deliveries up by their procurement group
        plan = self._plan("stock.picking", [("group_id", "in", [1, 2, 3])])
        self.assertIn("stock_picking__group_id_index", plan)
        self.assertNotIn("Seq Scan on stock_picking", plan)
