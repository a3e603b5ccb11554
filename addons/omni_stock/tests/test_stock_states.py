# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase

from odoo.addons.omni_order.tests.common import OmniOrderTestMixin


class TestStockStates(OmniOrderTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.channel.write({"stock_ratio": 1.0, "stock_safety_qty": 0})

    def _states(self, product):
        self.env.flush_all()
        self.env.invalidate_all()  # a view: read it again
        report = self.env["omni.stock.state.report"].search(
            [("product_id", "=", product.id), ("company_id", "=", self.company.id)]
        )
        return report.read(["on_hand", "sellable", "reserved", "allocated", "awaiting_inspection", "defective"])[0]

    def test_states_and_what_is_sellable(self):
        defective = self.warehouse._omni_get_defective_location()
        # no code makes the inspection location: it is a location marked so
        inspection = self.env["stock.location"].create(
            {
                "name": "Returns Inspection",
                "location_id": self.warehouse.view_location_id.id,
                "usage": "internal",
                "omni_inspection": True,
                "company_id": self.company.id,
            }
        )
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(self.honey, defective, 7)
        Quant._update_available_quantity(self.honey, inspection, 5)
        self.env["omni.order"].import_orders(
            "TMALL01",
            [self._order("ST1", paid_amount="290", shipping_fee="0",
                         lines=[{"platform_sku": "TM-HONEY-500G", "quantity": "10", "unit_price": "29"}])],
        )  # fmt: skip
        states = self._states(self.honey)
        self.assertEqual(states["on_hand"], 1000)
        self.assertEqual(states["reserved"], 10)
        self.assertEqual(states["sellable"], 990)
        self.assertEqual(states["awaiting_inspection"], 5)
        self.assertEqual(states["defective"], 7)
        # neither defective goods nor returns awaiting inspection are offered
        self.assertEqual(
            self.env["omni.channel"].get_sellable_stock("TMALL01", ["TM-HONEY-500G"]), {"TM-HONEY-500G": 990}
        )
        # an order in review is sold: allocated, no longer sellable, before any reservation
        self.channel.auto_confirm = False
        self.env["omni.order"].import_orders(
            "TMALL01",
            [self._order("ST2", paid_amount="87", shipping_fee="0",
                         lines=[{"platform_sku": "TM-HONEY-500G", "quantity": "3", "unit_price": "29"}])],
        )  # fmt: skip
        states = self._states(self.honey)
        self.assertEqual((states["reserved"], states["allocated"], states["sellable"]), (10, 3, 987))
        self.assertEqual(
            self.env["omni.channel"].get_sellable_stock("TMALL01", ["TM-HONEY-500G"]), {"TM-HONEY-500G": 987}
        )

    def test_other_company_states_hidden(self):
        other = self.env["res.company"].create({"name": "Omni Stock Other"})
        user = self._create_omni_user("omni_stock_other", other, "omni_channel.group_omni_channel_user")
        self.env.flush_all()
        seen = self.env["omni.stock.state.report"].with_user(user).search([("product_id", "=", self.honey.id)])
        self.assertFalse(seen)
        self.env["omni.channel"].sync_stock("TMALL01", "full")
        self.assertTrue(self.env["omni.stock.sync"].search([("channel_id", "=", self.channel.id)]))
        self.assertFalse(self.env["omni.stock.sync"].with_user(user).search([("channel_id", "=", self.channel.id)]))
        self.assertFalse(self.env["omni.stock.sync.line"].with_user(user).search([]))
        with self.assertRaises(ValidationError):
            self.env["omni.channel"].with_user(user).get_sellable_stock("TMALL01")
