# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The first run's demo data (ODOO_DEMO=1) is made through the real
    flow: a Chinese company in CNY, orders in every state, a statement
    with differences, posted retail records."""

    def test_demo_data_shows_the_flow(self):
        self.env["ir.config_parameter"].sudo().set_param("omni.demo_loaded", "")
        self.assertTrue(self.env["omni.demo"]._load_demo())
        company = self.env["res.company"].browse(int(self.env["ir.config_parameter"].get_param("omni.demo_loaded")))
        self.assertEqual(company.currency_id.name, "CNY")
        self.assertEqual(company.chart_template, "cn")
        orders = self.env["omni.order"].search([("company_id", "=", company.id)])
        states = set(orders.mapped("state"))
        self.assertTrue({"exception", "to_review", "confirmed", "shipped"} <= states, states)
        self.assertTrue(orders.filtered("is_overdue"))
        self.assertTrue(self.env["omni.aftersale"].search([("omni_order_id.company_id", "=", company.id),
                                                           ("state", "=", "received")]))  # fmt: skip
        statement = self.env["courier.statement"].search([("company_id", "=", company.id)])
        self.assertEqual(len(statement), 1)
        self.assertTrue(statement.line_ids.filtered(lambda line: line.state not in ("matched",)))
        records = self.env["omni.retail.record"].search([("company_id", "=", company.id)])
        self.assertTrue(records)
        self.assertEqual(set(records.mapped("state")), {"posted"})
        # a packer can scan a label into any field (issue 23): the couriers know their labels
        Carrier = self.env["delivery.carrier"].with_company(company)
        self.assertEqual(Carrier._omni_match_tracking("773012345678", company=company).omni_courier_code, "ZTO")
        self.assertEqual(Carrier._omni_match_tracking("SF1400000099", company=company).omni_courier_code, "SF")
        self.assertTrue(
            self.env["stock.picking"].search(
                [("company_id", "=", company.id), ("omni_channel_id.require_scan_packing", "=", True),
                 ("picking_type_code", "=", "outgoing"), ("state", "=", "assigned")]
            ),
            "a delivery waits at the packing station",
        )  # fmt: skip
        self.assertFalse(self.env["omni.demo"]._load_demo(), "loaded once")
