# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class OmniChannelCourierCode(models.Model):
    _inherit = "omni.channel.courier.code"

    def _omni_numeric_platforms(self):
        return super()._omni_numeric_platforms() | {"pinduoduo"}
