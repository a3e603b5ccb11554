# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel Sales Channels",
    "summary": "Sales channels (platform stores, web shop, call centre, stores) " "marked by a unit code, per company",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    "depends": ["omni_base", "sale_stock"],
    "data": [
        "security/omni_channel_security.xml",
        "security/ir.model.access.csv",
        "views/omni_channel_views.xml",
        "views/omni_channel_menus.xml",
    ],
    "installable": True,
    "application": False,
}
