# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel Demo Data",
    "summary": "The first run's demo company, made through the same methods users call "
    "(ODOO_DEMO=1): channels, orders in every state, packing, courier statement, retail "
    "ledger, call centre with a prepaid deposit, a month of Tmall and JD platform settlements, "
    "a wholesale company supplying the e-commerce warehouse (goods requests, invoice and bill)",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    # l10n_cn: the demo company keeps its books on the Chinese chart of accounts
    "depends": ["omni_deposit", "omni_stock", "omni_settlement", "omni_intercompany", "l10n_cn"],
    "demo": ["demo/omni_demo.xml"],
    "assets": {
        "web.assets_tests": ["omni_demo/static/tests/tours/*.js"],
    },
    "installable": True,
}
