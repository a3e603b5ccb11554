# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel After-sales Orders",
    "summary": "After-sales orders (售后单): review, approval, return receipt into sellable stock "
    "or defective goods, refund amount",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    # omni_order: after-sales of platform orders, returns into the warehouse's
    # sellable stock or its defective goods location (stock.warehouse, omni_order)
    "depends": ["omni_order"],
    "data": [
        "security/omni_aftersale_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "views/omni_aftersale_views.xml",
    ],
    "installable": True,
}
