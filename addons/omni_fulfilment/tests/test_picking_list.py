# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase

from odoo.addons.omni_order.tests.common import OmniOrderTestMixin


class TestPickingList(OmniOrderTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        results = cls.env["omni.order"].import_orders(
            "TMALL01",
            [
                cls._order("PL1", paid_amount="60", shipping_fee="0",
                           lines=[{"platform_sku": "TM-HONEY-500G", "quantity": "2", "unit_price": "30"}]),
                cls._order("PL2", receiver_name="王芳", phone="17714475366", paid_amount="150", shipping_fee="0",
                           lines=[{"platform_sku": "TM-HONEY-500G", "quantity": "3", "unit_price": "30"},
                                  {"platform_sku": "TM-CUP-SET", "quantity": "1", "unit_price": "60"}]),
            ],
        )  # fmt: skip
        orders = cls.env["omni.order"].browse([r["order_id"] for r in results])
        cls.pickings = orders.sale_order_id.picking_ids

    def test_unpicked_quantities_summed_per_location_and_product(self):
        rows = self.pickings._omni_picking_list_rows()
        summary = {(r["location"], r["product"]): r["quantity"] for r in rows}
        stock = self.warehouse.lot_stock_id
        self.assertEqual(summary, {(stock, self.honey): 5.0, (stock, self.cup): 4.0})

    def test_picked_lines_are_left_out(self):
        first = self.pickings.filtered(lambda p: len(p.move_ids) == 1)
        first.move_ids.move_line_ids.picked = True
        rows = self.pickings._omni_picking_list_rows()
        honey = [r for r in rows if r["product"] == self.honey]
        self.assertEqual(honey[0]["quantity"], 3.0)

    def test_report_renders(self):
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "omni_fulfilment.report_omni_picking_list", self.pickings.ids
        )
        html = html.decode()
        self.assertIn("Picking List", html)
        self.assertIn("Honey 500 g", html)
        self.assertIn(">5<", html)
        for picking in self.pickings:
            self.assertIn(picking.name, html)

    def test_waybills_render_in_batch_with_barcode(self):
        self.pickings.write({"omni_courier_code": "SF"})
        for index, picking in enumerate(self.pickings):
            picking.omni_tracking_no = f"SF14000000{index}"
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "omni_fulfilment.report_omni_waybill", self.pickings.ids
        )
        html = html.decode()
        self.assertEqual(html.count("o_omni_waybill"), 2)
        self.assertIn("barcode_type=Code128&amp;value=SF140000000", html)
        self.assertIn("刘洋", html)
        self.assertIn("TMALL01", html)

    def test_moves_carry_the_unit_code(self):
        self.assertEqual(set(self.pickings.move_ids.mapped("omni_unit_code")), {"TMALL01"})
        grouped = self.env["stock.move"]._read_group(
            [("id", "in", self.pickings.move_ids.ids)], ["omni_channel_id"], ["product_uom_qty:sum"]
        )
        self.assertEqual(grouped, [(self.channel, 9.0)])

    def test_picking_list_prints_as_pdf(self):
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("omni_fulfilment.report_omni_picking_list", self.pickings.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
