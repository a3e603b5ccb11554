# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel Inter-company Returns to Wholesale",
    "summary": "Returns to wholesale (申请退货): customer returns received by the retail company are "
    "locked for the wholesale company until it accepts them (return delivery, return receipt, "
    "credit notes on both sides) or refuses them (unlocked)",
    "version": "18.0.1.0.0",
    "category": "Inventory/Purchase",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    # omni_intercompany: the rule per company pair and the invoice -> bill mirror;
    # omni_aftersale: the received customer returns; omni_stock: the stock states report
    "depends": ["omni_intercompany", "omni_aftersale", "omni_stock"],
    "data": [
        "security/omni_intercompany_return_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "views/omni_intercompany_return_views.xml",
        "views/stock_location_views.xml",
        "views/account_move_views.xml",
        "views/omni_stock_state_report_views.xml",
    ],
    "installable": True,
}
