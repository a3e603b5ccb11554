# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel Customers and Call Centre",
    "summary": "Caller lookup on normalised numbers, screen pop for the call centre, customer card, "
    "phone orders, members with points",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    # stock_delivery: the agent search reads the delivery's tracking number
    # (carrier_tracking_ref) and the card leaves delivery lines out (is_delivery)
    "depends": ["omni_aftersale", "stock_delivery", "bus", "mail"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/omni_customer_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "views/res_partner_views.xml",
        "views/omni_call_views.xml",
        "views/omni_member_views.xml",
        "views/res_users_views.xml",
        "wizards/omni_caller_search_views.xml",
        "wizards/omni_phone_order_wizard_views.xml",
        "views/omni_customer_menus.xml",
    ],
    "assets": {
        "web.assets_backend": ["omni_customer/static/src/js/*.js"],
        "web.assets_tests": ["omni_customer/static/tests/tours/*.js"],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
}
