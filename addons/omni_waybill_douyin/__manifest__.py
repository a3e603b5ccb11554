# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel E-Waybills: Douyin",
    "summary": "Douyin's e-waybill service (抖音电子面单) as a delivery provider: numbers and sorting codes in "
    "batches, encrypted receivers printed, cancel, print tasks for the Douyin print component",
    "version": "18.0.1.0.0",
    "category": "Inventory/Delivery",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    "depends": ["omni_waybill", "omni_platform_douyin"],
    "data": [
        "views/delivery_carrier_views.xml",
        "views/omni_waybill_account_views.xml",
    ],
    "installable": True,
}
