# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo import Command
from odoo.tests import TransactionCase


class TestDeliveriesInChinese(TransactionCase):
    """The deliveries list and form as a Chinese warehouse user reads them."""

    def _load_chinese(self, modules):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(modules, ["zh_CN"], overwrite=True)

    def test_deliveries_list_headers_in_chinese_and_company_on_demand(self):
        self._load_chinese(["stock", "stock_delivery", "omni_fulfilment"])
        # a user of two companies: Odoo gives them the multi-company group
        other = self.env["res.company"].create({"name": "Second Warehouse Co"})
        user = self.env["res.users"].create(
            {
                "name": "Warehouse user",
                "login": "zh_deliveries_user",
                "lang": "zh_CN",
                "company_id": self.env.company.id,
                "company_ids": [Command.set([self.env.company.id, other.id])],
                "groups_id": [
                    Command.set(
                        [self.env.ref("stock.group_stock_user").id, self.env.ref("base.group_multi_company").id]
                    )
                ],
            }
        )
        views = (
            self.env["stock.picking"]
            .with_user(user)
            .with_context(lang="zh_CN")
            .get_views([(self.env.ref("stock.vpicktree").id, "list")])
        )
        arch = etree.fromstring(views["views"]["list"]["arch"])
        fields = views["models"]["stock.picking"]["fields"]

        def header(name):
            node = arch.xpath(f"//field[@name='{name}']")[-1]
            return node.get("string") or fields[name]["string"], node

        self.assertEqual(header("carrier_tracking_ref")[0], "运单号")
        self.assertEqual(header("carrier_id")[0], "快递公司")
        self.assertEqual(header("omni_packing_complete")[0], "已装箱")
        # the reference, the tracking number and 已装箱 are given their width;
        # the Company column no longer takes it unless asked for
        for name in ("name", "carrier_tracking_ref", "omni_packing_complete"):
            self.assertTrue(header(name)[1].get("width"), name)
        company_columns = arch.xpath("//field[@name='company_id'][not(@column_invisible)]")
        self.assertEqual([node.get("optional") for node in company_columns], ["hide"])

    def test_operation_types_of_a_company_made_before_chinese_was_installed(self):
        """The demo company (and any company a script makes) is created while
        only English is installed: Odoo names its operation types in
        English, and installing Chinese afterwards translated only the first
        warehouse's types."""
        if self.env["res.lang"]._lang_get("zh_CN"):
            self.skipTest("Chinese is installed in this database already")
        company = self.env["res.company"].create({"name": "Made in English Co"})
        out_type = self.env["stock.warehouse"].search([("company_id", "=", company.id)]).out_type_id
        self._load_chinese(["stock"])
        self.assertEqual(out_type.with_context(lang="zh_CN").name, "交货单")
        self.assertEqual(out_type.with_context(lang="en_US").name, "Delivery Orders")
        picking = self.env["stock.picking"].create({"picking_type_id": out_type.id, "company_id": company.id})
        self.assertIn("交货单", picking.with_context(lang="zh_CN").picking_type_id.display_name)

    def test_operation_types_of_a_company_made_in_english_after_chinese_was_installed(self):
        self._load_chinese(["stock"])
        company = self.env["res.company"].with_context(lang="en_US").create({"name": "Made Later Co"})
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)])
        self.assertEqual(warehouse.out_type_id.with_context(lang="zh_CN").name, "交货单")
        self.assertEqual(warehouse.in_type_id.with_context(lang="zh_CN").name, "收货")

    def test_a_name_typed_by_a_user_is_kept(self):
        company = self.env["res.company"].create({"name": "Renamed Types Co"})
        out_type = self.env["stock.warehouse"].search([("company_id", "=", company.id)]).out_type_id
        out_type.with_context(lang="en_US").name = "Parcels"
        self._load_chinese(["stock"])
        self.assertEqual(out_type.with_context(lang="zh_CN").name, "Parcels")
