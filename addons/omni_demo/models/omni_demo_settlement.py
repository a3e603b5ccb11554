# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
from datetime import datetime, time, timedelta

from odoo import api, models

# the demo wallets' balances before their month
ALIPAY_OPENING = 5000.00
JD_OPENING = 2500.00
COMMISSION = 0.02  # 天猫佣金（类目） and JD 佣金 on each order payment in the demo statements


class OmniDemo(models.AbstractModel):
    _inherit = "omni.demo"

    @api.model
    def _load_demo_settlement(self):
        """A month of platform settlements of the demo company (after
        ``_load_demo``): the Tmall shop's Alipay 账务明细 (its shipped orders
        paid as the ledger booked them, a refund of the honey return, fees, a
        top-up and a payout) imported and posted, and the JD shop's wallet
        export (its orders still to ship: lines waiting as 'order not
        shipped') imported. Both go through the import users and XML-RPC
        callers use, with wallet journals and fee accounts set up as a
        finance manager would."""
        params = self.env["ir.config_parameter"].sudo()
        company_id = params.get_param("omni.demo_loaded")
        if not company_id or params.get_param("omni.demo_settlement_loaded"):
            return False
        company = self.env["res.company"].browse(int(company_id)).exists()
        if not company:
            return False
        env = self.with_company(company).with_context(allowed_company_ids=[company.id], tracking_disable=True).env
        demo = self.with_env(env)
        channels = {
            code: env["omni.channel"].search([("code", "=", code), ("company_id", "=", company.id)], limit=1)
            for code in ("TMALL01", "JD01")
        }
        demo._demo_settlement_accounts(company, channels)
        today = company._omni_today()
        period_end = datetime.combine(today + timedelta(days=1), time())  # China time, exclusive
        period_start = period_end - timedelta(days=30)
        now = datetime.now(company._omni_tz()).replace(tzinfo=None, microsecond=0)
        Settlement = env["omni.settlement"]
        alipay = demo._demo_alipay_csv(channels["TMALL01"], period_start, period_end, now)
        tmall = Settlement.browse(
            Settlement.import_file(
                "TMALL01", f"支付宝账务明细_{period_start:%Y%m%d}.csv", base64.b64encode(alipay).decode()
            )
        )
        tmall.action_post()
        jd_file = demo._demo_jd_xlsx(channels["JD01"], period_start)
        jd = Settlement.browse(
            Settlement.import_file(
                "JD01", f"京东钱包结算_{period_start:%Y%m%d}.xlsx", base64.b64encode(jd_file).decode()
            )
        )
        params.set_param("omni.demo_settlement_loaded", f"{tmall.id},{jd.id}")
        return True

    def _demo_settlement_accounts(self, company, channels):
        """Wallet journals, the difference account and the accounts of the fee
        types, as a finance manager sets them up."""
        Account = self.env["account.account"]
        accounts = {
            "fee": Account.create({"name": "平台服务费", "code": "660198", "account_type": "expense"}),
            "transfer": Account.create(
                {"name": "平台推广预付款", "code": "112398", "account_type": "asset_prepayments"}
            ),
            "deposit": Account.create({"name": "平台保证金", "code": "122198", "account_type": "asset_current"}),
        }
        diff = Account.create({"name": "平台结算差异", "code": "660199", "account_type": "expense"})
        if not company.transfer_account_id:
            company.transfer_account_id = Account.create(
                {"name": "内部转账", "code": "101299", "account_type": "asset_current", "reconcile": True}
            )
        FeeType = self.env["omni.settlement.fee.type"]
        for code, name, journal_code in (("TMALL01", "支付宝钱包", "ALIW"), ("JD01", "京东钱包", "JDW")):
            journal = self.env["account.journal"].create(
                {"name": name, "code": journal_code, "type": "bank", "company_id": company.id}
            )
            channel = channels[code]
            channel.write({"omni_settlement_journal_id": journal.id, "omni_settlement_diff_account_id": diff.id})
            # the platform's words of its statements (seeded as the first import would), with their accounts
            FeeType._seed_defaults(channel)
            for fee_type in FeeType.search([("channel_id", "=", channel.id), ("kind", "in", list(accounts))]):
                fee_type.account_id = accounts[fee_type.kind]

    def _demo_booked(self, channel):
        """[(platform order no, booked sale, [(after-sales order, booked return)])] of
        the channel's prepaid shipped orders, as the retail ledger booked them."""
        Line = self.env["omni.retail.record.line"]
        orders = self.env["omni.order"].search(
            [("channel_id", "=", channel.id), ("state", "=", "shipped"), ("payment_method", "!=", "cod")],
            order="platform_order_no",
        )
        booked = []
        for order in orders:
            sales = Line.search([("kind", "=", "sale"), ("sale_order_id", "=", order.sale_order_id.id),
                                 ("record_id.state", "=", "posted")])  # fmt: skip
            returns = [
                (aftersale, sum(Line.search([("kind", "=", "return"), ("aftersale_id", "=", aftersale.id),
                                             ("record_id.state", "=", "posted")]).mapped("amount_total")))
                for aftersale in self.env["omni.aftersale"].search([("omni_order_id", "=", order.id),
                                                                    ("state", "=", "received")])
            ]  # fmt: skip
            if sales:
                booked.append((order.platform_order_no, round(sum(sales.mapped("amount_total")), 2), returns))
        return booked

    def _demo_alipay_csv(self, channel, period_start, period_end, now):
        """The Tmall shop's Alipay 账务明细 of the month, in Alipay's export (GBK CSV with
        its title and control totals): fees and transfers during the month, then the
        order payments, commissions and refunds of the orders shipped these days."""
        rows = []  # (at, biz_no, merchant order, amount, biz_type, memo, base order)
        start = period_start + timedelta(hours=10)
        rows.append((start + timedelta(days=2), "BO0001", "", -50.00, "其它", "基础软件服务费", ""))
        rows.append((start + timedelta(days=10), "BO0002", "", -300.00, "转账", "直通车自动充值", ""))
        rows.append((start + timedelta(days=15), "20260001", "", -1000.00, "提现", "", ""))
        for index, (number, amount, returns) in enumerate(self._demo_booked(channel)):
            at = now - timedelta(minutes=60 - 10 * index)
            rows.append((at, f"2026{number[-8:]}", f"T200P{number}", amount, "交易付款", "", number))
            commission = round(amount * COMMISSION, 2)
            rows.append((at + timedelta(seconds=20), f"BO{number[-8:]}", "", -commission, "转账",
                         f"天猫佣金（类目）{{{number}}}扣款", number))  # fmt: skip
            for aftersale, refund in returns:
                refund = refund or aftersale.refund_amount
                rows.append((at + timedelta(minutes=5), f"RF{number[-8:]}", f"T200P{number}", -refund, "交易退款", "",
                             number))  # fmt: skip
        rows.sort(key=lambda row: row[0])
        out = [
            "#支付宝账务明细查询",
            "#账号：[20880000000000000001]",
            f"#起始日期：[{period_start:%Y年%m月%d日 %H:%M:%S}]   终止日期：[{period_end:%Y年%m月%d日 %H:%M:%S}]",
            "#-----------------------------------------账务明细列表----------------------------------------",
            "账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,账户余额（元）,"
            "交易渠道,业务类型,备注,业务描述,业务账单来源,业务基础订单号,业务订单号",
        ]
        balance, income, expense = ALIPAY_OPENING, [0, 0.0], [0, 0.0]
        for serial, (at, biz_no, merchant, amount, biz_type, memo, base) in enumerate(rows, start=1):
            balance = round(balance + amount, 2)
            side = income if amount > 0 else expense
            side[0], side[1] = side[0] + 1, round(side[1] + amount, 2)
            out.append(
                f"{1990000000000000000 + serial},{biz_no},{merchant},,{at:%Y-%m-%d %H:%M:%S},天猫,"
                f"{max(amount, 0):.2f},{min(amount, 0):.2f},{balance:.2f},支付宝,{biz_type},{memo},,,{base},"
            )
        out += [
            "#-----------------------------------------账务明细列表结束------------------------------------",
            f"#支出合计：{expense[0]}笔，共{expense[1]:.2f}元",
            f"#收入合计：{income[0]}笔，共{income[1]:.2f}元",
            f"#导出时间：[{period_end:%Y年%m月%d日} 09:00:00]",
        ]
        return ("\r\n".join(out) + "\r\n").encode("gbk")

    def _demo_jd_xlsx(self, channel, period_start):
        """The JD shop's wallet export of the month (two sheets, as JD exports it):
        the order payments and commissions of its orders in 结算表 (they are not
        shipped yet: the lines wait as 'order not shipped'), the wallet's movements
        with its balance in 资金表 (a payout, the batch paid in)."""
        from openpyxl import Workbook

        orders = self.env["omni.order"].search([("channel_id", "=", channel.id)], order="platform_order_no", limit=2)
        at = period_start + timedelta(days=27, hours=23)
        batch = f"{at:%Y%m%d}0000132240000001"
        book = Workbook()
        settle = book.active
        settle.title = "结算表"
        settle.append(
            ["订单编号", "单据编号", "单据类型", "商品编号", "商户订单号", "商品名称", "费用结算时间", "费用项", "金额",
             "收支方向"]
        )  # fmt: skip
        goods = fees = 0.0
        for order in orders:
            paid = round(order.paid_amount, 2)
            commission = round(paid * COMMISSION, 2)
            goods, fees = goods + paid, fees + commission
            number = order.platform_order_no
            when = f"{at:%Y-%m-%d %H:%M:%S}"
            settle.append([number, number, "订单", "", batch, "", when, "货款", paid, "收入"])
            settle.append([number, number, "订单", "", batch, "", when, "佣金", commission, "支出"])
        wallet = book.create_sheet("资金表")
        wallet.append(["日期", "商户订单号", "账户余额(元)", "收入金额(元)", "支出金额(元)", "交易备注"])
        balance = JD_OPENING - 500.0
        wallet.append([f"{period_start + timedelta(days=2, hours=10):%Y-%m-%d %H:%M:%S}", "TX2026000001",
                       f"{balance:.2f}", "--", "500.00", "提现"])  # fmt: skip
        balance = round(balance + goods, 2)
        wallet.append([f"{at + timedelta(minutes=30):%Y-%m-%d %H:%M:%S}", batch, f"{balance:.2f}", f"{goods:.2f}",
                       "--", "京东支付货款"])  # fmt: skip
        balance = round(balance - fees, 2)
        wallet.append([f"{at + timedelta(minutes=31):%Y-%m-%d %H:%M:%S}", batch, f"{balance:.2f}", "--",
                       f"{fees:.2f}", "京东支付费项"])  # fmt: skip
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
