# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel Fulfilment",
    "summary": "Scan-verified packing of channel deliveries: wrong items refused, " "over- and under-packing caught",
    "version": "18.0.1.1.0",
    "category": "Inventory/Inventory",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    "depends": ["omni_order", "stock_delivery"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/ir.model.access.csv",
        "data/queue_job_data.xml",
        "views/omni_channel_views.xml",
        "views/delivery_carrier_views.xml",
        "views/res_config_settings_views.xml",
        "views/stock_picking_views.xml",
        "report/omni_picking_list.xml",
        "report/omni_waybill.xml",
        "views/omni_packing_station_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "omni_fulfilment/static/src/packing_station/*",
        ],
        "web.assets_tests": ["omni_fulfilment/static/tests/tours/*.js"],
    },
    "installable": True,
}
