# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The reservation commits parts on cursors of its own only when queue_job
runs it: a ``job_uuid`` in the context (any caller can send one) is not
enough."""

import uuid
from unittest.mock import patch

from odoo.tests import TransactionCase

from ..models import omni_order_wave


class TestReserveJobContext(TransactionCase):
    def _runs_as_job(self, job_uuid):
        Order = self.env["omni.order"].with_context(job_uuid=job_uuid)
        with patch.dict(omni_order_wave.config.options, {"test_enable": False}):
            return Order._omni_runs_as_started_job()

    def test_a_context_key_alone_is_not_a_running_job(self):
        self.assertFalse(self._runs_as_job(str(uuid.uuid4())))
        self.assertFalse(self._runs_as_job(False))

    def test_a_started_job_of_queue_job(self):
        job = self.env["queue.job"].sudo().create(
            {"uuid": str(uuid.uuid4()), "model_name": "omni.order", "method_name": "_reserve_stock_job",
             "state": "started", "name": "reserve"}
        )  # fmt: skip
        self.assertTrue(self._runs_as_job(job.uuid))
        job.state = "done"
        self.assertFalse(self._runs_as_job(job.uuid))
