# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel E-Waybills: Pinduoduo",
    "summary": "Pinduoduo's e-waybill service (拼多多电子面单) as a delivery provider: numbers in batches of 10, "
    "encrypted receivers printed, cancel, print tasks for the Pinduoduo print component",
    "version": "18.0.1.0.0",
    "category": "Inventory/Delivery",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    "depends": ["omni_waybill", "omni_platform_pdd"],
    "data": [
        "views/delivery_carrier_views.xml",
        "views/omni_waybill_account_views.xml",
    ],
    "assets": {
        "web.assets_tests": ["omni_waybill_pdd/static/tests/tours/*.js"],
    },
    "installable": True,
}
