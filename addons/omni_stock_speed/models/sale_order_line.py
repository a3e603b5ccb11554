# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from .speed_switch import speed_ups_on


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _compute_analytic_distribution(self):
        """Shadows ``sale.order.line._compute_analytic_distribution`` of
        Odoo 18.0 (addons/sale/models/sale_order_line.py) for channel order
        lines: Odoo searches the analytic distribution models once per line;
        with no model at all (none in any company), the search finds nothing
        and the line keeps its distribution, so channel order lines skip
        it."""
        omni = self.filtered(lambda line: line.order_id.omni_channel_id)
        if (
            omni
            and speed_ups_on(self.env)
            # sudo: whether any model exists at all, in any company (nothing is read)
            and not self.env["account.analytic.distribution.model"].sudo().search_count([], limit=1)
        ):
            for line in omni.filtered(lambda line: not line.display_type):
                line.analytic_distribution = line.analytic_distribution
            self -= omni  # noqa: PLW0642
        return super()._compute_analytic_distribution()
