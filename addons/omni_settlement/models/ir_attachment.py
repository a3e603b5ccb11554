# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model
    def _index(self, bin_data, file_type, checksum=None):
        """A settlement statement's file (kept for a person to download) is
        not indexed for the attachments' full-text search: core copies every
        run of printable ASCII of a text file into ``index_content``, 167 MB
        for a million-line Alipay statement (2.3 s to compute, and most of
        the 10-20 s its attachment took: scripts/bench_settlements.py). The
        file is found through its statement, never by its numbers."""
        if self.env.context.get("omni_settlement_file"):
            return file_type and file_type.split("/")[0]
        return super()._index(bin_data, file_type, checksum=checksum)
