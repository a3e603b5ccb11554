# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoIntercompany(TransactionCase):
    """The demo's wholesale company supplies the demo retail company: a
    goods request received and billed on both sides, another on its way,
    and the inter-company check agreeing."""

    def test_demo_wholesale_company_supplies_the_retail_company(self):
        params = self.env["ir.config_parameter"].sudo()
        for key in ("omni.demo_loaded", "omni.demo_intercompany_loaded"):
            params.set_param(key, "")
        self.assertTrue(self.env["omni.demo"]._load_demo())
        self.assertTrue(self.env["omni.demo"]._load_demo_intercompany())
        self.assertFalse(self.env["omni.demo"]._load_demo_intercompany(), "loaded once")
        retail = self.env["res.company"].browse(int(params.get_param("omni.demo_loaded")))
        rule = self.env["omni.intercompany.rule"].browse(int(params.get_param("omni.demo_intercompany_loaded")))
        wholesale = rule.supplier_company_id
        self.assertEqual(rule.customer_company_id, retail)
        self.assertEqual((wholesale.chart_template, wholesale.currency_id.name), ("cn", "CNY"))
        self.assertEqual(rule.supplier_warehouse_id.code, "WS")
        self.assertEqual(rule.customer_warehouse_id.name, "电商总仓")
        self.assertIn(wholesale, self.env.ref("base.user_admin").company_ids)

        requests = self.env["purchase.order"].search([("omni_ic_rule_id", "=", rule.id)], order="id")
        self.assertEqual(len(requests), 2)
        received, in_transit = requests
        sales = self.env["sale.order"].search([("omni_ic_purchase_order_id", "in", requests.ids)])
        self.assertEqual(set(sales.mapped("state")), {"sale"})
        self.assertEqual(sales.company_id, wholesale)
        for order in requests:
            sale = sales.filtered(lambda s, order=order: s.omni_ic_purchase_order_id == order)
            self.assertEqual(order.omni_ic_sale_order_ref, sale.name)
            self.assertEqual(round(order.amount_total * 100), round(sale.amount_total * 100), order.name)
            self.assertEqual(sale.picking_ids.state, "done", "wholesale shipped it")

        # the first: received and billed on both sides, to the cent
        self.assertEqual(received.picking_ids.state, "done")
        self.assertEqual(received.order_line.mapped("qty_received"), received.order_line.mapped("product_qty"))
        invoice = sales.filtered(lambda s: s.omni_ic_purchase_order_id == received).invoice_ids
        bill = received.invoice_ids
        self.assertEqual((invoice.state, bill.state), ("posted", "posted"))
        self.assertEqual(bill.omni_ic_invoice_id, invoice)
        self.assertTrue(invoice.amount_tax)
        for field in ("amount_untaxed", "amount_tax", "amount_total"):
            self.assertEqual(round(bill[field] * 100), round(invoice[field] * 100), field)

        # the second: on its way, the receipt waits filled in with what was shipped
        receipt = in_transit.picking_ids
        self.assertEqual(receipt.state, "assigned")
        self.assertEqual(receipt.move_ids.mapped("quantity"), receipt.move_ids.mapped("product_uom_qty"))
        self.assertFalse(in_transit.invoice_ids)

        # the check made at loading: the balances agree, the second request's goods in transit
        lines = self.env["omni.intercompany.check.line"].search([("rule_id", "=", rule.id)])
        self.assertFalse(lines.filtered("problem"), lines.mapped("problem"))
        balance = lines.filtered(lambda line: line.kind == "balance")
        self.assertEqual(len(balance), 1)
        self.assertEqual(round(balance.supplier_amount * 100), round(invoice.amount_total * 100))
        self.assertEqual(round(balance.customer_amount * 100), round(bill.amount_total * 100))
        transit = lines.filtered(lambda line: line.kind == "transit")
        self.assertEqual(set(transit.mapped("customer_document")), {in_transit.name})
        self.assertEqual(transit.product_id, in_transit.order_line.product_id)
