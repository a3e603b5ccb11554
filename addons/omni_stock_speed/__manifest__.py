# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel Stock Speed-ups",
    "summary": "Confirmation waves of channel orders done per batch where Odoo works per order "
    "(rules, quants, precisions, pickings, names), each override proven equal to Odoo's own method",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    "depends": ["omni_order"],
    "data": [
        "views/res_config_settings_views.xml",
    ],
    "auto_install": False,
    "installable": True,
}
