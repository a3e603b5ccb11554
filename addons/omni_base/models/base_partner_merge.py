# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from ..tools import guard


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_values(self, src_partners, dst_partner):
        # Core's merge (a Contact Creation right, checked by core) copies every
        # stored, non-computed field of the merged contacts into the one kept,
        # read-only ones included: values those contacts already hold, no
        # client's. Without the marker the one rule for read-only fields would
        # refuse a core action to a user with core rights (card figures and the
        # buyer key of our addons are such fields).
        return super()._update_values(src_partners, guard.internal(dst_partner))
