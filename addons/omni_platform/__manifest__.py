# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel Platform APIs",
    "summary": "Sales platform adapter interface, signed HTTP client with retries, a channel's API "
    "settings; generic REST and Taobao/Tmall TOP adapters",
    "version": "18.0.1.1.0",
    "category": "Sales/Sales",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    "depends": ["omni_channel"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/omni_platform_security.xml",
        "security/ir.model.access.csv",
        "views/omni_channel_views.xml",
    ],
    "installable": True,
}
