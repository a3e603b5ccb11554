# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel Courier Reconciliation",
    "summary": "Couriers with codes and rate cards; courier statements (快递对账) imported from "
    "Excel and reconciled parcel by parcel; settlement to a vendor bill and COD receipts",
    "version": "18.0.1.1.0",
    "category": "Inventory/Delivery",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    "depends": ["omni_fulfilment", "stock_delivery", "account", "mail", "queue_job"],
    "external_dependencies": {"python": ["openpyxl", "xlrd"]},
    "data": [
        "security/omni_courier_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/queue_job_data.xml",
        "views/delivery_carrier_views.xml",
        "views/courier_statement_views.xml",
        "views/stock_picking_views.xml",
        "views/stock_picking_courier_missing_views.xml",
    ],
    "assets": {
        "web.assets_tests": ["omni_courier/static/tests/tours/*.js"],
    },
    "installable": True,
}
