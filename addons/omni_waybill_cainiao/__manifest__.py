# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel E-Waybills: Cainiao",
    "summary": "Cainiao electronic waybills (菜鸟电子面单): numbers and cloud-print data through the Taobao Open "
    "Platform (cainiao.waybill.ii.get / cancel / query), standard templates, CNPrint print tasks",
    "version": "18.0.1.0.0",
    "category": "Inventory/Delivery",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    "depends": ["omni_waybill", "omni_platform"],
    "data": [
        "security/ir.model.access.csv",
        "views/omni_waybill_account_views.xml",
    ],
    "assets": {
        "web.assets_tests": ["omni_waybill_cainiao/static/tests/tours/*.js"],
    },
    "installable": True,
}
