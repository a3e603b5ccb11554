# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel E-Waybills",
    "summary": "Electronic waybills (电子面单): tracking numbers and print data from the couriers' and "
    "platforms' waybill services, as Odoo delivery providers; routing rules per channel",
    "version": "18.0.1.0.0",
    "category": "Inventory/Delivery",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    "depends": ["omni_courier", "omni_fulfilment", "omni_platform", "stock_delivery"],
    "data": [
        "security/omni_waybill_security.xml",
        "security/ir.model.access.csv",
        "views/omni_waybill_views.xml",
        "views/omni_waybill_account_views.xml",
        "views/omni_waybill_rule_views.xml",
        "views/delivery_carrier_views.xml",
        "views/stock_picking_views.xml",
        "views/stock_picking_batch_views.xml",
    ],
    "assets": {
        "web.assets_backend": ["omni_waybill/static/src/**/*"],
    },
    "installable": True,
}
