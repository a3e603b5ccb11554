# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def post_init_hook(env):
    """Every company that already has a chart of accounts gets its Customer
    Deposit Account (the others get it when their chart is loaded)."""
    env["res.company"].search([("chart_template", "!=", False)])._omni_ensure_deposit_account()
