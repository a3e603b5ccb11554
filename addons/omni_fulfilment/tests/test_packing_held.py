# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from xmlrpc.client import Fault

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.omni_order.tests.common import OmniOrderTestMixin

from .common import CourierMixin


@tagged("post_install", "-at_install")
class TestPackingHeld(CourierMixin, OmniOrderTestMixin, HttpCase):
    """退款拦截 (issue 25): a platform order held because the buyer asked a
    refund is refused by the packing station with the reason, and by the
    delivery's validation whoever calls it (an integrator's XML-RPC too),
    until the platform says it ships again."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls._setup_couriers(codes=("SF",))
        cls.packer = cls._create_omni_user("packer_held", cls.company, "stock.group_stock_user")
        [result] = cls.env["omni.order"].import_orders("TMALL01", [cls._order("HELD-1")])
        cls.order = cls.env["omni.order"].browse(result["order_id"])
        cls.picking = cls.order.sale_order_id.picking_ids

    def _call(self, method, *args, **kwargs):
        password = self.packer.login + "-Pass-123"
        uid = self.xmlrpc_common.login(self.env.cr.dbname, self.packer.login, password)
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, password, "stock.picking", method, list(args), kwargs
        )

    def _platform_says(self, state, status):
        # an entry as the Pinduoduo adapter lists it after a pull (platforms/base.py ``skipped``)
        self.env["omni.order"]._omni_apply_platform_states(
            self.channel, [{"platform_order_no": "HELD-1", "status": status, "unknown": False, "state": state}]
        )

    def test_held_order_refused_at_the_station_and_over_xmlrpc(self):
        self.assertEqual(self.picking.state, "assigned")
        status = "confirm_status 1, order_status 1, refund_status 2, risk_control_status 0"
        self._platform_says("hold", status)
        self.assertEqual(self.order.hold_reason, "platform")
        self.assertEqual(self.picking.state, "confirmed", "its stock is given back")
        packer_pickings = self.env["stock.picking"].with_user(self.packer)
        with self.assertRaisesRegex(UserError, "is held.*refund_status 2"):
            packer_pickings.omni_packing_scan(self.picking.name)
        for move in self.picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        with self.assertRaises(Fault) as err:
            self._call("button_validate", [self.picking.id])
        self.assertIn("TMALL01] HELD-1 is held", err.exception.faultString)
        self.assertIn("refund_status 2", err.exception.faultString)
        self.assertNotEqual(self.picking.state, "done")
        # the refund was refused on the platform: the order comes back paid and waiting to ship
        self.picking.move_ids.picked = False
        self.picking.do_unreserve()
        [result] = self.env["omni.order"]._import_orders(self.channel, [self._order("HELD-1")], source="api")
        self.assertEqual(result["result"], "updated")
        self.assertFalse(self.order.hold_reason)
        self.assertEqual(self.picking.state, "assigned")
        result = packer_pickings.omni_packing_scan(self.picking.name)
        self.assertEqual(result["picking"]["id"], self.picking.id)
        self.picking.move_ids.picked = True
        self._call("button_validate", [self.picking.id])
        self.assertEqual(self.picking.state, "done")
        self.assertEqual(self.order.state, "shipped")
