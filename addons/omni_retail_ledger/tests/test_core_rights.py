# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import TransactionCase

from odoo.addons.omni_order.tests.common import OmniOrderTestMixin


class TestInvoicingWithCoreRights(OmniOrderTestMixin, TransactionCase):
    """Invoicing a plain sale order needs Odoo's own rights only, with the
    retail ledger (which refuses invoicing channel orders) installed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.clerk = cls._create_omni_user(
            "core_invoicing_clerk",
            cls.company,
            "sales_team.group_sale_salesman_all_leads",
            "account.group_account_invoice",
        )

    def test_salesman_with_billing_rights_confirms_invoices_and_posts(self):
        partner = self.env["res.partner"].create({"name": "Plain invoiced customer"})
        self.cup.invoice_policy = "order"
        order = (
            self.env["sale.order"]
            .with_user(self.clerk)
            .create(
                {
                    "partner_id": partner.id,
                    "order_line": [Command.create({"product_id": self.cup.id, "product_uom_qty": 2})],
                }
            )
        )
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.invoice_line_ids.quantity, 2)
