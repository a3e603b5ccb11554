# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase

from odoo.addons.omni_base.tools import guard
from odoo.addons.omni_order.tests.common import OmniOrderTestMixin


class TestChannelOverviewStock(OmniOrderTestMixin, TransactionCase):
    """The channel overview card says whether the channel's last stock sync failed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()

    def test_last_stock_sync_state(self):
        Sync = guard.internal(self.env["omni.stock.sync"])  # logs as the sync writes them
        self.assertFalse(self.channel.last_stock_sync_state)
        Sync.create({"channel_id": self.channel.id, "mode": "full", "state": "done"})
        failed = Sync.create({"channel_id": self.channel.id, "mode": "incremental", "state": "failed"})
        self.channel.invalidate_recordset()
        self.assertEqual(self.channel.last_stock_sync_id, failed)
        self.assertEqual(self.channel.last_stock_sync_state, "failed")
        self.assertEqual(self.channel.action_open_last_stock_sync()["res_id"], failed.id)
        Sync.create({"channel_id": self.channel.id, "mode": "incremental", "state": "done"})
        self.channel.invalidate_recordset()
        self.assertEqual(self.channel.last_stock_sync_state, "done")
