# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The stock rules of a confirmation wave, found once per product.

Shadows ``procurement.group._get_rule`` of Odoo 18.0
(addons/stock/models/stock_rule.py), inside ``rules_found_once`` only;
proven equal by tests/test_differential.py.

Odoo searches the pull rule of every procurement (one per sale line), with
the same answer for every line of a product in one wave. Within
``rules_found_once`` (a confirmation of channel orders), the answer is kept
per everything it depends on: product, location, routes, packaging,
warehouse (given, given empty, or not given: then Odoo takes the
location's), company, the user and their companies. The memo lives on the
cursor (``cr.cache``: no caller can send it) for that one call."""

from odoo import api, models

from odoo.addons.omni_base.tools.cursor_memo import cursor_memo

RULE_MEMO = "omni_rule_memo"


def rules_found_once(env):
    return cursor_memo(env, RULE_MEMO)


def _ids(value):
    return tuple(sorted(value.ids)) if value else ()


class ProcurementGroup(models.Model):
    _inherit = "procurement.group"

    @api.model
    def _get_rule(self, product_id, location_id, values):
        """Shadows ``procurement.group._get_rule`` of Odoo 18.0
        (addons/stock/models/stock_rule.py) inside ``rules_found_once``:
        Odoo's answer, kept per everything it depends on."""
        memo = self.env.cr.cache.get(RULE_MEMO)
        if memo is None:
            return super()._get_rule(product_id, location_id, values)
        key = (
            self.env.uid,
            self.env.su,
            tuple(self.env.companies.ids),
            product_id.id,
            location_id.id,
            _ids(values.get("route_ids")),
            _ids(values.get("product_packaging_id")),
            # Odoo takes the location's warehouse when none is given, none
            # when one is given empty: not the same rule
            "warehouse_id" in values,
            _ids(values.get("warehouse_id")),
            _ids(values.get("company_id")),
            "sale_line_id" in values,
        )
        if key not in memo:
            memo[key] = super()._get_rule(product_id, location_id, values)
        return memo[key].with_env(self.env)
