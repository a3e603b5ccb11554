# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Odoo's own actions need Odoo's own rights only: a warehouse user with
Inventory rights ships channel orders and plain sale orders, a salesman reads
sale orders over XML-RPC, with every addon of the project installed."""

from odoo import Command
from odoo.tests import HttpCase, TransactionCase, tagged

from odoo.addons.omni_order.tests.common import JobsMixin, OmniOrderTestMixin
from odoo.addons.omni_platform.tests.platform_stub import PlatformStub

from .common import CourierMixin


class CoreRightsMixin(CourierMixin, OmniOrderTestMixin):
    @classmethod
    def _setup_core_users(cls):
        cls._setup_omni_order()
        cls._setup_couriers()
        # core groups only: no Sales Channels, Courier or Retail Ledger group
        cls.stock_user = cls._create_omni_user("core_stock_user", cls.company, "stock.group_stock_user")
        cls.salesman = cls._create_omni_user("core_salesman", cls.company, "sales_team.group_sale_salesman")
        cls.customer = cls.env["res.partner"].create({"name": "Plain customer"})

    @classmethod
    def _plain_sale_order(cls, user=None):
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": (user or cls.env.user).id,
                "order_line": [Command.create({"product_id": cls.cup.id, "product_uom_qty": 3})],
            }
        )
        order.action_confirm()
        return order

    def _channel_order(self, number):
        honey = [{"platform_sku": "TM-HONEY-500G", "quantity": "1", "unit_price": "30"}]
        [result] = self.env["omni.order"].import_orders(
            "TMALL01", [self._order(number, lines=honey, paid_amount="36.00")]
        )
        order = self.env["omni.order"].browse(result["order_id"])
        self.assertEqual(order.state, "confirmed", result)
        return order


# post_install: core rights are checked with every addon installed, as users meet them
@tagged("post_install", "-at_install")
class TestCoreRights(JobsMixin, CoreRightsMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_core_users()

    def test_inventory_user_ships_a_channel_order(self):
        with PlatformStub([], access_token="tok") as stub:
            self.channel.write(
                {
                    "adapter_kind": "generic_rest",
                    "api_base_url": stub.url,
                    "api_access_token": "tok",
                    "require_scan_packing": True,
                    "require_tracking": True,
                }
            )
            order = self._channel_order("RIGHTS1")
            picking = order.sale_order_id.picking_ids.with_user(self.stock_user)
            picking.write({"omni_courier_code": "SF", "omni_tracking_no": "SF1400000099"})
            picking.omni_scan("HONEY-500G")
            self.assertIs(picking.button_validate(), True)
            self.assertEqual(picking.state, "done")
            self.assertEqual(order.state, "shipped", "the platform order follows its delivery")
            # the write-back job runs as the user who shipped
            job = self._jobs("_omni_push_shipment")
            self.assertEqual(job.user_id, self.stock_user)
            self._perform_jobs("_omni_push_shipment")
            self.assertEqual(stub.shipments[0]["order_no"], "RIGHTS1")
            self.assertEqual(picking.omni_shipment_state, "sent")

    def test_inventory_user_ships_a_plain_sale_order(self):
        sale_order = self._plain_sale_order()
        picking = sale_order.picking_ids.with_user(self.stock_user)
        picking.move_ids.quantity = 3
        picking.move_ids.picked = True
        self.assertIs(picking.button_validate(), True)
        self.assertEqual(picking.state, "done")
        self.assertEqual(sale_order.order_line.qty_delivered, 3)

    def test_salesman_confirms_a_sale_order(self):
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": self.cup.id, "product_uom_qty": 1})],
                }
            )
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.warehouse_id, self.warehouse)

    def test_no_sale_order_defaults_to_another_warehouse(self):
        company = self.env["res.company"].create({"name": "Core Rights New Co"})
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)])
        self.assertEqual(len(warehouse), 1, "one warehouse per company")
        # a return received into defective goods makes no second warehouse
        warehouse._omni_get_defective_location()
        self.assertEqual(self.env["stock.warehouse"].search([("company_id", "=", company.id)]), warehouse)
        multi_warehouses = self.env.ref("stock.group_stock_multi_warehouses")
        self.assertNotIn(multi_warehouses, self.env.ref("base.group_user").implied_ids)
        partner = self.env["res.partner"].create({"name": "New Co customer", "company_id": company.id})
        SaleOrder = self.env["sale.order"].with_company(company)
        self.assertEqual(SaleOrder.new({"partner_id": partner.id}).warehouse_id, warehouse)
        # the main warehouse archived: no warehouse to default to, Odoo says so
        warehouse.active = False
        self.assertFalse(SaleOrder.new({"partner_id": partner.id}).warehouse_id)


@tagged("post_install", "-at_install")
class TestCoreRightsXmlRpc(CoreRightsMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_core_users()

    def _read(self, user, model, ids):
        """read() over XML-RPC without a field list: every field the user may see."""
        password = user.login + "-Pass-123"
        uid = self.xmlrpc_common.login(self.env.cr.dbname, user.login, password)
        self.assertEqual(uid, user.id)
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, password, model, "read", [ids])

    def test_salesman_reads_sale_orders_without_fields(self):
        plain = self._plain_sale_order(user=self.salesman)
        channel_order = self._channel_order("RIGHTS2").sale_order_id
        channel_order.user_id = self.salesman
        rows = self._read(self.salesman, "sale.order", [plain.id, channel_order.id])
        self.assertEqual([row["id"] for row in rows], [plain.id, channel_order.id])
        self.assertEqual(rows[1]["omni_unit_code"], "TMALL01")
        self.assertNotIn("omni_order_ids", rows[1], "platform orders are for Sales Channels users")
        # (sale.order.line is not readable so in plain Odoo either: analytic_line_ids)

    def test_inventory_user_reads_deliveries_without_fields(self):
        picking = self._channel_order("RIGHTS3").sale_order_id.picking_ids
        plain_picking = self._plain_sale_order().picking_ids
        rows = self._read(self.stock_user, "stock.picking", (picking | plain_picking).ids)
        self.assertEqual(len(rows), 2)
        # (stock.move is not readable so in plain Odoo either: stock_account's account_move_ids)
