# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # A scanner types wherever the cursor is: a tracking label scanned into
    # the weight field read 773,012,345,678 kg. What a packer types is taken
    # as a weight or a quantity only within these limits.
    omni_max_parcel_weight = fields.Float(
        string="Max Parcel Weight (kg)",
        default=100.0,
        digits="Stock Weight",
        help="Heaviest parcel the warehouse ships: a heavier weight is refused as a typing or scanning mistake "
        "(0: no limit).",
    )
    omni_max_pack_quantity = fields.Float(
        string="Max Quantity per Entry",
        default=9999.0,
        digits="Product Unit of Measure",
        help="Largest quantity a packer enters at once at the packing station: a larger one is refused as a "
        "typing or scanning mistake (0: no limit).",
    )
