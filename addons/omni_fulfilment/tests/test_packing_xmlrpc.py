# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from xmlrpc.client import Fault

from odoo.tests import HttpCase, tagged

from odoo.addons.omni_order.tests.common import OmniOrderTestMixin

from .common import CourierMixin


@tagged("post_install", "-at_install")
class TestPackingXmlRpc(CourierMixin, OmniOrderTestMixin, HttpCase):
    """The limits and the courier rule hold for an integrator's script as
    for the packing station (issue 23)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls._setup_couriers(codes=("SF",))
        cls.channel.ships_without_courier = False
        cls.packer = cls._create_omni_user("packer_rpc", cls.company, "stock.group_stock_user")
        [result] = cls.env["omni.order"].import_orders("TMALL01", [cls._order("RPC-PK")])
        cls.picking = cls.env["omni.order"].browse(result["order_id"]).sale_order_id.picking_ids

    def _call(self, method, *args, **kwargs):
        password = self.packer.login + "-Pass-123"
        uid = self.xmlrpc_common.login(self.env.cr.dbname, self.packer.login, password)
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, password, "stock.picking", method, list(args), kwargs
        )

    def test_weight_out_of_range_refused_over_xmlrpc(self):
        for method, args, kwargs in (
            ("omni_packing_set_parcel", [[self.picking.id]], {"weight": 773012345678.0}),
            ("write", [[self.picking.id], {"omni_parcel_weight": 773012345678.0}], {}),
            ("omni_packing_scan", ["773012345678"], {"picking_id": self.picking.id, "field": "weight"}),
        ):
            with self.subTest(method=method), self.assertRaises(Fault) as err:
                self._call(method, *args, **kwargs)
            self.assertIn(f"no plausible weight for {self.picking.name}", err.exception.faultString)
        self.assertEqual(self.picking.omni_parcel_weight, 0)
        self._call("omni_packing_set_parcel", [self.picking.id], weight=2.5)
        self.assertEqual(self.picking.omni_parcel_weight, 2.5)

    def test_channel_delivery_without_courier_refused_over_xmlrpc(self):
        self.picking.move_ids.picked = True
        with self.assertRaises(Fault) as err:
            self._call("button_validate", [self.picking.id])
        self.assertIn(f"Choose the courier of {self.picking.name}", err.exception.faultString)
        self.assertNotEqual(self.picking.state, "done")
        self._call("write", [self.picking.id], {"omni_courier_code": "SF"})
        self._call("button_validate", [self.picking.id])
        self.assertEqual(self.picking.state, "done")
