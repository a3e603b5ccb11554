# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel Prepaid Deposits",
    "summary": "Customer prepaid deposits (预存款) as a liability, consumed by phone orders, "
    "debited by the retail ledger when they ship, credited back by returns",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    "depends": ["omni_customer", "omni_retail_ledger"],
    "data": [
        "security/omni_deposit_security.xml",
        "security/ir.model.access.csv",
        "views/res_company_views.xml",
        "views/omni_deposit_hold_views.xml",
        "views/res_partner_views.xml",
        "wizards/omni_deposit_wizard_views.xml",
    ],
    "post_init_hook": "post_init_hook",
    "installable": True,
}
