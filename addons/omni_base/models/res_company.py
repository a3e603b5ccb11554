# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

import pytz

from odoo import models

DEFAULT_TZ = "Asia/Shanghai"


class ResCompany(models.Model):
    _inherit = "res.company"

    def _omni_tz(self):
        """The time zone the company counts its days in (China time when the
        company has none): cut-offs, ship-on days, statement periods, ledger
        days. Never the user's: the same data gives the same days whoever
        looks or imports."""
        self.ensure_one()
        return pytz.timezone(self.partner_id.tz or DEFAULT_TZ)

    def _omni_today(self):
        """Today in the company's time zone."""
        return datetime.now(self._omni_tz()).date()
