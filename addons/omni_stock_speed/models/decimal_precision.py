# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Decimal precisions read once per confirmation wave.

Shadows ``decimal.precision.precision_get`` of Odoo 18.0
(odoo/addons/base/models/decimal_precision.py, ormcached; account's
override in addons/account/models/decimal_precision.py answers 100 for
"Discount" while it computes some taxes), inside ``precisions_read_once``
only; proven equal by tests/test_differential.py.

Every float written or cached by the ORM asks ``precision_get`` for its
digits: about 140 times per platform order in a wave. The answer is cached by
Odoo already, but each call still pays for the cache's argument binding (8 %
of a wave's time, measured). Within ``precisions_read_once`` the answers are
kept in a dict on the cursor (``cr.cache``: no caller can send it) for that
one block, which changes no precision."""

from odoo import models

from odoo.addons.omni_base.tools.cursor_memo import cursor_memo

PRECISION_MEMO = "omni_precision_memo"


def precisions_read_once(env):
    return cursor_memo(env, PRECISION_MEMO)


class DecimalPrecision(models.Model):
    _inherit = "decimal.precision"

    def precision_get(self, application):
        """Shadows ``decimal.precision.precision_get`` of Odoo 18.0
        (odoo/addons/base/models/decimal_precision.py) inside
        ``precisions_read_once``: the first answer per name is kept."""
        cache = self.env.cr.cache
        memo = cache.get(PRECISION_MEMO)
        if memo is None or (
            # account's switch for the "Discount" precision, on only while
            # it computes some taxes: then it answers itself, as in Odoo
            application == "Discount"
            and cache.get("account_disable_recursion_stack", {}).get("ignore_discount_precision")
        ):
            return super().precision_get(application)
        try:
            return memo[application]
        except KeyError:
            digits = memo[application] = super().precision_get(application)
            return digits
