# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel Purchase Suggestions",
    "summary": "Purchase suggestions from every channel's shipped sales (weighted daily sales, lead time, "
    "safety stock, open orders), turned into purchase requests or RFQs per vendor; turnover report",
    "version": "18.0.1.0.0",
    "category": "Inventory/Purchase",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    # the engine counts shipped stock moves whatever channel sold them: no omni_order
    "depends": ["omni_base", "purchase_stock", "purchase_request"],
    "data": [
        "security/omni_purchase_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/omni_purchase_suggestion_views.xml",
        "views/res_config_settings_views.xml",
        "views/product_views.xml",
        "views/res_partner_views.xml",
        "views/purchase_order_views.xml",
        "wizards/omni_purchase_give_up_views.xml",
        "views/omni_purchase_menus.xml",
    ],
    "assets": {
        "web.assets_tests": ["omni_purchase/static/tests/tours/*.js"],
    },
    "installable": True,
}
