# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase

from odoo.addons.omni_base.tools import guard

from .common import DAY, RetailLedgerTestMixin

ACCOUNTANT = "omni_retail_ledger.group_retail_ledger_accountant"
READER = "omni_retail_ledger.group_retail_ledger_reader"


class TestRetailLedgerSecurity(RetailLedgerTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_retail_ledger()
        cls._ship(cls._import("TMALL01", "S1", [("TM-TEA-250G", "2", "45.67")]))
        cls._ship(cls._import("TMALL01", "S2", [("TM-HONEY-500G", "3", "19.99")], payment_method="cod"))
        cls.company_b = cls.env["res.company"].create({"name": "Retail Ledger B"})
        cls.accountant_a = cls._create_omni_user("ledger_acc_a", cls.company, ACCOUNTANT)
        cls.accountant_b = cls._create_omni_user("ledger_acc_b", cls.company_b, ACCOUNTANT)
        cls.reader_a = cls._create_omni_user("ledger_reader_a", cls.company, READER)
        cls.clerk_a = cls._create_omni_user("ledger_clerk_a", cls.company, "omni_channel.group_omni_channel_manager")

    def test_accountant_generates_and_posts_with_own_rights(self):
        Record = self.env["omni.retail.record"].with_user(self.accountant_a)
        result = Record.generate(DAY)
        self.assertEqual(result["sales"], 2)
        records = Record.browse(result["records"])
        records.action_post()
        self.assertEqual(records.state, "posted")
        self.assertEqual(records.move_id.state, "posted")

    def test_other_company_sees_nothing(self):
        records = self.Record.browse(self.Record.generate(DAY)["records"])
        records.action_post()
        Record_b = self.env["omni.retail.record"].with_user(self.accountant_b)
        self.assertFalse(Record_b.search([]))
        self.assertFalse(self.env["omni.retail.record.line"].with_user(self.accountant_b).search([]))
        self.assertFalse(self.env["omni.retail.revenue.report"].with_user(self.accountant_b).search([]))
        self.assertFalse(self.env["omni.retail.check.report"].with_user(self.accountant_b).search([]))
        with self.assertRaises(AccessError):
            Record_b.browse(records.ids).read(["name"])
        # generating in company B touches nothing of A
        result = Record_b.generate(DAY)
        self.assertEqual((result["sales"], result["records"]), (0, []))
        # and B cannot ask for A's channel
        with self.assertRaises(Exception) as err:
            Record_b.pull_records("TMALL01", DAY)
        self.assertIn("No channel with unit code", str(err.exception))
        self.assertEqual(Record_b.mark_exported("omni.retail.record", records.ids), 0)
        self.assertFalse(records.exported_at)

    def test_non_accountants_cannot_generate_or_post(self):
        records = self.Record.browse(self.Record.generate(DAY)["records"])
        for user in (self.reader_a, self.clerk_a):
            with self.assertRaises(AccessError):
                self.env["omni.retail.record"].with_user(user).generate(DAY)
            with self.assertRaises(AccessError):
                records.with_user(user).action_post()
        self.assertEqual(records.state, "draft")
        # the reader sees the records, the channel clerk does not
        self.assertEqual(self.env["omni.retail.record"].with_user(self.reader_a).search([]), records)
        with self.assertRaises(AccessError):
            self.env["omni.retail.record"].with_user(self.clerk_a).search([])

    def test_accounting_groups_bring_retail_ledger_rights(self):
        user = self._create_omni_user("ledger_full_acc", self.company, "account.group_account_user")
        self.assertTrue(user.has_group(ACCOUNTANT))
        readonly = self._create_omni_user("ledger_ro", self.company, "account.group_account_readonly")
        self.assertTrue(readonly.has_group(READER))
        self.assertFalse(readonly.has_group(ACCOUNTANT))


class TestRetailLedgerChineseChart(RetailLedgerTestMixin, TransactionCase):
    """A company on the Chinese chart of accounts (l10n_cn) posts its retail
    records with its own VAT and accounts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls.env["ir.module.module"]._get("l10n_cn").state != "installed":
            cls.skipTest(cls, "l10n_cn is not installed in this database")
        env = cls.env
        cls.cn = env["res.company"].create({"name": "零售账套 CN", "country_id": env.ref("base.cn").id})
        cls.cn.partner_id.tz = "Asia/Shanghai"
        env["account.chart.template"].try_loading("cn", cls.cn, install_demo=False)
        cls.env = env = env(context=dict(env.context, allowed_company_ids=[cls.cn.id]))
        cls.warehouse_cn = env["stock.warehouse"].search([("company_id", "=", cls.cn.id)], limit=1)
        cls.tax = cls.cn.account_sale_tax_id
        cls.product = env["product.product"].create(
            {"name": "茶叶", "is_storable": True, "list_price": 100.0, "taxes_id": [Command.set(cls.tax.ids)]}
        )
        env["stock.quant"]._update_available_quantity(cls.product, cls.warehouse_cn.lot_stock_id, 100)
        cls.receivable = env["account.account"].search(
            [("company_ids", "in", cls.cn.id), ("account_type", "=", "asset_receivable")], order="code", limit=1
        )
        cls.channel_cn = env["omni.channel"].create(
            {"name": "天猫旗舰店", "code": "TMCN", "platform": "tmall", "company_id": cls.cn.id,
             "warehouse_id": cls.warehouse_cn.id, "omni_clearing_account_id": cls.receivable.id}
        )  # fmt: skip
        # the channel's parcels ship with a courier of this company (prepaid: it collects nothing)
        env["delivery.carrier"].create(
            {"name": "顺丰速运", "omni_courier_code": "SF", "company_id": cls.cn.id,
             "product_id": env["product.product"].create({"name": "顺丰运费", "type": "service"}).id}
        )  # fmt: skip
        buyer = env["res.partner"].create({"name": "买家"})
        cls.orders = env["sale.order"]
        for qty, price in ((3, 33.33), (1, 99.99)):
            # a channel order made directly (a company on the Chinese chart, no platform order)
            order = guard.internal(env["sale.order"]).create(
                {"partner_id": buyer.id, "company_id": cls.cn.id, "omni_channel_id": cls.channel_cn.id,
                 "omni_payment_method": "prepaid", "warehouse_id": cls.warehouse_cn.id,
                 "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": qty,
                                                "price_unit": price})]}
            )  # fmt: skip
            order.action_confirm()
            cls._ship(order)
            cls.orders |= order

    def test_post_on_chinese_chart(self):
        self.assertTrue(self.tax, "the Chinese chart brings a default sale VAT")
        Record = self.env["omni.retail.record"]
        result = Record.generate(DAY)
        record = Record.browse(result["records"])
        self.assertEqual(record.company_id, self.cn)
        self.assertEqual(record.amount_total, round(sum(self.orders.mapped("amount_total")), 2))
        record.action_post()
        move = record.move_id
        self.assertEqual(move.journal_id, self.cn.omni_retail_journal_id)
        self.assertEqual(move.company_id, self.cn)
        self.assertEqual(self._move_balance(move, self.receivable), record.amount_total)
        revenue = move.line_ids.filtered(lambda ln: ln.tax_ids)
        self.assertEqual(revenue.account_id.account_type, "income")
        tax_line = move.line_ids.filtered("tax_repartition_line_id")
        self.assertEqual(tax_line.tax_line_id, self.tax)
        self.assertEqual(round(-tax_line.balance, 2), round(sum(self.orders.mapped("amount_tax")), 2))
        self.assertTrue(tax_line.account_id.code.startswith("2221"), tax_line.account_id.code)
