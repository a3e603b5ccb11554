# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel Stock Write-back",
    "summary": "Sellable stock per channel (ratio, safety quantity, bundles) pushed to the platforms, "
    "incremental and full, logged and retried",
    "version": "18.0.1.4.0",
    "category": "Inventory/Inventory",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    "depends": ["omni_order"],
    "data": [
        "security/omni_stock_security.xml",
        "security/ir.model.access.csv",
        "data/queue_job_data.xml",
        "data/ir_cron_data.xml",
        "views/omni_stock_sync_views.xml",
        "views/omni_stock_state_report_views.xml",
        "views/omni_channel_views.xml",
        "views/omni_stock_menus.xml",
    ],
    "uninstall_hook": "uninstall_hook",
    "installable": True,
}
