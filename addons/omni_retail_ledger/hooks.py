# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def post_init_hook(env):
    """Every company that already has a chart of accounts gets its Retail
    Ledger journal at once (others get it with their first generation)."""
    companies = env["res.company"].search([("chart_template", "!=", False)])
    for company in companies:
        company._omni_retail_journal()
