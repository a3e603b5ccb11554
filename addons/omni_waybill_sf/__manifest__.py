# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel E-Waybills: SF Express",
    "summary": "SF Express open platform (顺丰丰桥) as a delivery provider: waybill numbers and routing codes, "
    "PDF labels from SF's cloud print, cancel",
    "version": "18.0.1.0.0",
    "category": "Inventory/Delivery",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    "depends": ["omni_waybill", "omni_platform"],
    "data": [
        "views/omni_waybill_account_views.xml",
    ],
    "installable": True,
}
