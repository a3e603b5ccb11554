# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel Order Intake",
    "summary": "Every platform's orders into Odoo Sales: API pulls, batch files and XML-RPC, "
    "product relation table, exception queue, review, merge and split",
    "version": "18.0.1.4.0",
    "category": "Sales/Sales",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    "depends": ["omni_platform", "queue_job", "sale_stock"],
    "external_dependencies": {"python": ["openpyxl", "xlrd"]},
    "data": [
        "security/omni_order_security.xml",
        "security/ir.model.access.csv",
        "data/product_data.xml",
        "data/omni_review_rule_data.xml",
        "data/queue_job_data.xml",
        "data/ir_cron_data.xml",
        "views/omni_product_mapping_views.xml",
        "views/omni_order_views.xml",
        "views/omni_review_rule_views.xml",
        "views/omni_import_file_views.xml",
        "views/omni_channel_views.xml",
        "views/sale_order_views.xml",
        "views/stock_location_views.xml",
        "wizards/omni_order_import_wizard_views.xml",
        "wizards/omni_order_split_wizard_views.xml",
        "wizards/omni_order_override_wizard_views.xml",
        "views/omni_order_menus.xml",
    ],
    "assets": {
        "web.assets_tests": ["omni_order/static/tests/tours/*.js"],
    },
    "installable": True,
}
