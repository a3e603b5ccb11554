# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel Platform: JD",
    "summary": "JD open platform (京东开放平台 JOS) adapter: POP orders, SKU stock and shipments",
    "version": "18.0.1.1.0",
    "category": "Sales/Sales",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    "depends": ["omni_platform"],
    "data": [
        "views/omni_channel_views.xml",
    ],
    "installable": True,
}
