# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel Retail Ledger",
    "summary": "Shipped online orders and received returns posted to accounting as retail records "
    "(零售记录) per unit code and day, exactly once; pull API for the offline books",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    "depends": ["omni_aftersale", "omni_courier", "account", "queue_job"],
    "data": [
        "security/omni_retail_ledger_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/queue_job_data.xml",
        "wizards/omni_retail_generate_views.xml",
        "views/omni_retail_record_views.xml",
        "views/omni_retail_report_views.xml",
        "views/omni_channel_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_tests": ["omni_retail_ledger/static/tests/tours/*.js"],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
}
