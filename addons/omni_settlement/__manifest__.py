# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel Platform Settlements",
    "summary": "Platform settlement statements (平台结算对账: Alipay, JD, Pinduoduo, Douyin) imported, "
    "matched to platform orders, classified by fee type and checked against their running balance",
    "version": "18.0.1.1.0",
    "category": "Accounting/Accounting",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    "depends": ["omni_retail_ledger", "account", "mail"],
    "external_dependencies": {"python": ["python_calamine"]},
    "data": [
        "security/omni_settlement_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "data/queue_job_data.xml",
        "views/omni_settlement_views.xml",
        "views/omni_settlement_fee_type_views.xml",
        "views/omni_channel_views.xml",
        "views/omni_order_views.xml",
        "views/omni_settlement_report_views.xml",
        "views/menus.xml",
    ],
    "installable": True,
}
