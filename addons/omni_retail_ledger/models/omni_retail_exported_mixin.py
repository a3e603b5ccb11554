# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class OmniRetailExportedMixin(models.AbstractModel):
    """The mark the offline retail books leave on a document they read
    (platform order, received return)."""

    _name = "omni.retail.exported.mixin"
    _description = "Read by the Offline Retail Books"

    retail_exported_at = fields.Datetime(
        string="Exported to Offline Books",
        readonly=True,
        copy=False,
        index=True,
        help="When the offline retail books marked this document as read (pull API).",
    )

    # only the pull API marks what the offline books read (guard.internal): a
    # hand-set mark would hide the document from them. The field is read-only,
    # so the one rule of omni_channel (tools/guard.py) refuses it to everybody else.
