# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel Inter-company (wholesale / retail)",
    "summary": "Goods requests (请货) from the retail company to the wholesale company: a confirmed "
    "purchase order makes the wholesale sale order, wholesale's delivery makes retail's receipt ready",
    "version": "18.0.1.0.0",
    "category": "Inventory/Purchase",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    "depends": ["omni_base", "sale_stock", "purchase_stock"],
    "data": [
        "security/omni_intercompany_security.xml",
        "security/ir.model.access.csv",
        "views/omni_intercompany_rule_views.xml",
        "views/purchase_order_views.xml",
        "views/account_move_views.xml",
        "views/omni_intercompany_check_line_views.xml",
    ],
    "assets": {
        "web.assets_tests": ["omni_intercompany/static/tests/tours/*.js"],
    },
    "installable": True,
}
