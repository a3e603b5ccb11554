# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The buyer claims (one row per company and new buyer key) do not grow
forever: the daily cron deletes those no running job needs."""

import uuid

from odoo.tests import TransactionCase


class TestBuyerClaimPurge(TransactionCase):
    def _claims(self, keys):
        self.env.cr.execute("SELECT buyer_key FROM omni_buyer_claim WHERE buyer_key = ANY(%s)", [list(keys)])
        return {row[0] for row in self.env.cr.fetchall()}

    def test_old_claims_purged_a_running_jobs_claim_kept(self):
        Partner = self.env["res.partner"]
        company = self.env.company
        old, running = (f"test-claim|{uuid.uuid4().hex}|{name}" for name in ("old", "running"))
        # a claim of a job that ended two days ago, and its customer
        Partner._omni_buyers_by_key(company, {old: {"name": "Old buyer", "omni_buyer_key": old}})
        self.env.cr.execute(
            "UPDATE omni_buyer_claim SET claimed_at = claimed_at - interval '2 days' WHERE buyer_key = %s", [old]
        )
        # a job creating its customer right now (this transaction)
        Partner._omni_buyers_by_key(company, {running: {"name": "New buyer", "omni_buyer_key": running}})
        self.assertEqual(self._claims([old, running]), {old, running})

        self.env.ref("omni_order.ir_cron_omni_purge_buyer_claims").method_direct_trigger()

        self.assertEqual(self._claims([old, running]), {running}, "the running job's claim is kept")
        # the customer of the purged claim is found again by its key, not made twice
        again = Partner._omni_buyers_by_key(company, {old: {"name": "Old buyer", "omni_buyer_key": old}})[old]
        self.assertEqual(Partner.search([("omni_buyer_key", "=", old)]), again)
