# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command
from odoo.tests import TransactionCase

from odoo.addons.omni_order.tests.common import OmniOrderTestMixin

from .common import CourierMixin


class TestPickingList(CourierMixin, OmniOrderTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls._setup_couriers()
        results = cls.env["omni.order"].import_orders(
            "TMALL01",
            [
                cls._order("PL1", paid_amount="60", shipping_fee="0",
                           lines=[{"platform_sku": "TM-HONEY-500G", "quantity": "2", "unit_price": "30"}]),
                cls._order("PL2", receiver_name="王芳", phone="17714475366", paid_amount="150", shipping_fee="0",
                           payment_method="cod",
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

    def _label_pickings(self):
        self.pickings.write({"omni_courier_code": "SF", "omni_parcel_weight": 1.25})
        for index, picking in enumerate(self.pickings):
            picking.omni_tracking_no = f"SF14000000{index}"
        self.warehouse.partner_id.write({"name": "电商总仓", "phone": "021-55556666", "street": "浦东新区川沙路1号"})

    def test_waybills_render_in_batch_with_barcode(self):
        self._label_pickings()
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "omni_fulfilment.report_omni_waybill", self.pickings.ids
        )
        html = html.decode()
        self.assertEqual(html.count("o_omni_waybill"), 2)
        self.assertEqual(html.count('class="article'), 2, "one page of Odoo's layout per label")
        # the barcode is an inline image: it prints without the server's base URL
        self.assertEqual(html.count('src="data:image/png;base64,'), 2)
        self.assertIn('alt="Barcode SF140000000"', html)
        self.assertIn("刘洋", html)
        self.assertIn("王芳", html)
        self.assertIn("177****5366", html, "the receiver's phone masked as on platform waybills")
        self.assertNotIn("17714475366", html)
        self.assertIn("电商总仓", html, "the sender block")
        self.assertIn("浦东新区川沙路1号", html)
        self.assertIn("TMALL01", html)
        self.assertIn("PL2", html)
        self.assertEqual(html.count("Cash on Delivery"), 1, "PL2 is cash on delivery, PL1 prepaid")

    def test_waybill_label_prints_in_the_simplified_chinese_face_over_the_whole_label(self):
        self._label_pickings()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("omni_fulfilment.report_omni_waybill", self.pickings[:1].ids)[0]
            .decode()
        )
        # fontconfig's default CJK face is Noto Sans CJK JP (Japanese glyph shapes)
        self.assertIn("font-family: &#39;Noto Sans CJK SC&#39;", html)
        self.assertNotIn("CJK JP", html)
        # the label's blocks are one table filling a box of the printable area's
        # proportions (144 / 94 mm), whatever the wkhtmltopdf build's scale
        self.assertIn("padding-bottom: 151%", html)
        self.assertIn("height: 100%; border-collapse: collapse", html)

    def test_picking_list_says_which_selected_deliveries_are_shipped(self):
        shipped = self.pickings.filtered(lambda p: len(p.move_ids) == 1)
        open_delivery = self.pickings - shipped
        for move in shipped.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        shipped._action_done()
        self.assertEqual(shipped.state, "done")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("omni_fulfilment.report_omni_picking_list", self.pickings.ids)[0]
            .decode()
        )
        self.assertIn("Already shipped, not on this list:", html)
        self.assertIn(f"<span>{shipped.name}</span>", html)
        self.assertNotIn(f"<td>{shipped.name}</td>", html, "not among the deliveries to pick")
        self.assertIn(f"<td>{open_delivery.name}</td>", html)
        self.assertIn("<span>1</span> deliveries:", html)
        # only the open delivery's honey: 3, not 5
        rows = {row["product"]: row["quantity"] for row in self.pickings._omni_picking_list_rows()}
        self.assertEqual(rows[self.honey], 3.0)

    def test_picking_list_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["omni_fulfilment"], ["zh_CN"], overwrite=True)
        shipped = self.pickings[:1]
        shipped.action_cancel()
        html = (
            self.env["ir.actions.report"]
            .with_context(lang="zh_CN")
            ._render_qweb_html("omni_fulfilment.report_omni_picking_list", self.pickings.ids)[0]
            .decode()
        )
        self.assertIn("已取消，未列入：", html)

    def test_waybill_prints_on_a_label(self):
        """100 × 150 mm labels, one page each (Odoo's layout breaks the page
        after each article)."""
        report = self.env.ref("omni_fulfilment.action_report_omni_waybill")
        paper = report.paperformat_id
        self.assertEqual((paper.format, paper.page_width, paper.page_height), ("custom", 100, 150))
        self.assertEqual(report.get_paperformat(), paper)

    def test_an_inventory_user_prints_waybills(self):
        """Packers are Inventory users, not Sales Channels users."""
        self._label_pickings()
        packer = self.env["res.users"].create(
            {
                "name": "Packer",
                "login": "waybill_packer",
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
                "groups_id": [Command.set([self.env.ref("stock.group_stock_user").id])],
            }
        )
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(packer)
            ._render_qweb_html("omni_fulfilment.report_omni_waybill", self.pickings.ids)
        )
        self.assertIn("刘洋", html.decode())

    def test_moves_carry_the_unit_code(self):
        self.assertEqual(set(self.pickings.move_ids.mapped("omni_unit_code")), {"TMALL01"})
        grouped = self.env["stock.move"]._read_group(
            [("id", "in", self.pickings.move_ids.ids)], ["omni_channel_id"], ["product_uom_qty:sum"]
        )
        self.assertEqual(grouped, [(self.channel, 9.0)])

    def test_rows_say_which_platform_skus_and_show_barcodes(self):
        self.honey.barcode = "6900000000028"
        rows = {row["product"]: row for row in self.pickings._omni_picking_list_rows()}
        self.assertEqual(rows[self.honey]["sources"], "TM-HONEY-500G × 5")
        self.assertEqual(rows[self.cup]["sources"], "TM-CUP-SET × 1")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("omni_fulfilment.report_omni_picking_list", self.pickings.ids)[0]
            .decode()
        )
        self.assertIn("TM-CUP-SET × 1", html)
        self.assertIn("data:image/png;base64", html, "the product barcode prints as an image")
        for picking in self.pickings:
            self.assertIn(f"<td>{picking.name}</td>", html, "one delivery per line")

    def test_picking_list_prints_as_pdf(self):
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("omni_fulfilment.report_omni_picking_list", self.pickings.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_delivery_late_by_the_platform_promise(self):
        picking = self.pickings[:1]
        order = picking.sale_id.omni_order_ids
        self.assertEqual(picking.omni_ship_deadline, order.ship_deadline)
        self.assertEqual(picking.omni_unit_code, "TMALL01")
        # the orders were placed on 2026-11-11 10:30 with a 48-hour promise: today is later
        with freeze_time("2026-11-12 12:00:00"):
            self.assertFalse(
                self.env["stock.picking"].search([("omni_is_late", "=", True), ("id", "in", self.pickings.ids)])
            )
        with freeze_time("2026-11-14 12:00:00"):
            late = self.env["stock.picking"].search([("omni_is_late", "=", True), ("id", "in", self.pickings.ids)])
            self.assertEqual(late, self.pickings)
            self.assertTrue(picking.with_context(prefetch_fields=False).omni_is_late)
            not_late = self.env["stock.picking"].search([("omni_is_late", "=", False), ("id", "in", self.pickings.ids)])
            self.assertFalse(not_late)
