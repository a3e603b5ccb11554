# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel Purchase Billing and Payment Requests",
    "summary": "Vendor bills from received but unbilled quantities per vendor, bills never above what was "
    "received unless a purchase manager accepts it, payment requests (付款申请) approved by finance",
    "version": "18.0.1.0.0",
    "category": "Inventory/Purchase",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    # purchase_stock: received quantities come from receipts; nothing of
    # omni_purchase (suggestions) is needed to bill them
    "depends": ["omni_base", "purchase_stock", "account"],
    "data": [
        "security/omni_purchase_payment_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "views/omni_purchase_payment_request_views.xml",
        "views/account_move_views.xml",
        "views/purchase_order_views.xml",
        "views/res_partner_views.xml",
        "views/omni_purchase_payment_menus.xml",
    ],
    "installable": True,
}
