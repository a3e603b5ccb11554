# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
from datetime import timedelta

from odoo import Command, api, fields, models

from odoo.addons.omni_base.tools import guard

# (platform order no, channel, receiver, province, city, lines, extra): the
# orders of the first run, one per state a user meets
DEMO_RECEIVERS = [
    ("陈静", "13800138001", "上海市", "上海市", "浦东新区", "张杨路500号"),
    ("王芳", "13900139002", "江苏省", "南京市", "鼓楼区", "中山北路30号"),
    ("李娜", "13700137003", "浙江省", "杭州市", "西湖区", "文三路90号"),
    ("张伟", "13600136004", "广东省", "广州市", "天河区", "体育西路1号"),
    ("刘洋", "13500135005", "北京市", "北京市", "朝阳区", "建国路88号"),
    ("赵磊", "13400134006", "四川省", "成都市", "武侯区", "人民南路四段12号"),
]


class OmniDemo(models.AbstractModel):
    """The demo data of a first run (manifest 'demo', ODOO_DEMO=1): a
    Chinese company in CNY on the Chinese chart of accounts, its channels,
    products and relation table (with a bundle), orders in every state, a
    courier with a rate card and a statement with differences, and posted
    retail records. Made through the same methods users and integrators
    call, so the demo shows the real flow.

    An abstract model: no table and no records, only the loading methods
    (run by the demo file as the superuser), so it has no access rules
    (security/ir.model.access.csv is for models with records)."""

    _name = "omni.demo"
    _description = "Omni-channel Demo Data"

    @api.model
    def _load_demo(self):
        # loaded once: a module update runs the demo file again
        params = self.env["ir.config_parameter"].sudo()
        if params.get_param("omni.demo_loaded"):
            return False
        company = self._demo_company()
        env = self.with_company(company).with_context(allowed_company_ids=[company.id], tracking_disable=True).env
        demo = self.with_env(env)
        products = demo._demo_products(company)
        channels = demo._demo_channels(company, products)
        carrier = demo._demo_courier(company)
        orders = demo._demo_orders(channels)
        demo._demo_statement(carrier, orders)
        demo._demo_retail(company)
        params.set_param("omni.demo_loaded", company.id)
        return True

    def _demo_company(self):
        company = self.env["res.company"].create(
            {
                "name": "悦选电商（上海）有限公司",
                "currency_id": self.env.ref("base.CNY").id,
                "country_id": self.env.ref("base.cn").id,
                "street": "浦东新区川沙路1号",
                "city": "上海市",
                "phone": "021-55556666",
            }
        )
        company.partner_id.tz = "Asia/Shanghai"
        self.env["stock.warehouse"].search([("company_id", "=", company.id)]).write({"name": "电商总仓", "code": "EC"})
        self.env["account.chart.template"].try_loading("cn", company, install_demo=False)
        self.env.ref("base.user_admin").write({"company_ids": [Command.link(company.id)], "company_id": company.id})
        return company

    def _demo_products(self, company):
        Product = self.env["product.product"]
        kg = self.env.ref("uom.product_uom_kgm")
        values = [
            ("tea", "西湖龙井 1 kg", "TEA-1KG", "6901234500011", 400.0, {"uom_id": kg.id, "uom_po_id": kg.id}),
            ("cup", "青瓷茶杯", "CUP", "6901234500028", 25.0, {}),
            ("honey", "椴树蜂蜜 500 g", "HONEY-500G", "6901234500035", 30.0, {}),
            ("rice", "五常大米 1 kg", "RICE-1KG", "6901234500042", 12.0, {"uom_id": kg.id, "uom_po_id": kg.id}),
        ]
        products = {}
        for key, name, code, barcode, price, extra in values:
            products[key] = Product.create(
                {"name": name, "default_code": code, "barcode": barcode, "is_storable": True, "list_price": price,
                 "company_id": company.id, **extra}
            )  # fmt: skip
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        for product, qty in ((products["tea"], 200), (products["cup"], 2000), (products["honey"], 500),
                             (products["rice"], 1000)):  # fmt: skip
            self.env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, qty)
        return products

    def _demo_channels(self, company, products):
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        Account = self.env["account.account"]
        channels = {}
        for code, name, platform, account_code in (
            ("TMALL01", "天猫旗舰店", "tmall", "112301"),
            ("JD01", "京东自营店", "jd", "112302"),
            ("PDD01", "拼多多店", "pinduoduo", "112303"),
            ("WEB01", "官网商城", "webshop", "112304"),
        ):
            clearing = Account.create(
                {"name": f"{name} 结算", "code": account_code, "account_type": "asset_receivable", "reconcile": True}
            )
            channels[code] = self.env["omni.channel"].create(
                {"name": name, "code": code, "platform": platform, "company_id": company.id,
                 "warehouse_id": warehouse.id, "require_scan_packing": True, "omni_clearing_account_id": clearing.id}
            )  # fmt: skip
        Mapping = self.env["omni.product.mapping"]
        rows = []
        for code, prefix in (("TMALL01", "TM"), ("JD01", "JD"), ("PDD01", "PDD"), ("WEB01", "WEB")):
            channel = channels[code]
            rows += [
                {"channel_id": channel.id, "platform_sku": f"{prefix}-TEA-250G", "product_id": products["tea"].id,
                 "quantity": 0.25},
                {"channel_id": channel.id, "platform_sku": f"{prefix}-CUP-SET", "product_id": products["cup"].id,
                 "quantity": 4},
                {"channel_id": channel.id, "platform_sku": f"{prefix}-HONEY", "product_id": products["honey"].id,
                 "quantity": 1},
                {"channel_id": channel.id, "platform_sku": f"{prefix}-RICE-5KG", "product_id": products["rice"].id,
                 "quantity": 5},
                # the gift box bundle: half a kilo of tea and two cups
                {"channel_id": channel.id, "platform_sku": f"{prefix}-GIFT-BOX", "product_id": products["tea"].id,
                 "quantity": 0.5},
                {"channel_id": channel.id, "platform_sku": f"{prefix}-GIFT-BOX", "product_id": products["cup"].id,
                 "quantity": 2},
            ]  # fmt: skip
        Mapping.create(rows)
        # the overview shows a channel whose last order pull failed and one
        # whose last stock sync failed
        # facts of earlier pulls and syncs, as those would have written them
        guard.internal(channels["PDD01"]).write(
            {
                "last_pull_state": "failed",
                "last_pull_error": "HTTP 502 Bad Gateway",
                "pull_failure_count": 2,
                "last_pull_at": fields.Datetime.now() - timedelta(minutes=12),
            }
        )
        guard.internal(self.env["omni.stock.sync"]).create(
            {"channel_id": channels["JD01"].id, "mode": "incremental", "state": "failed",
             "finished_at": fields.Datetime.now(), "result_note": "error",
             "message": "HTTP 503 Service Unavailable"}
        )  # fmt: skip
        return channels

    def _demo_courier(self, company):
        partner = self.env["res.partner"].create({"name": "顺丰速运", "is_company": True, "company_id": company.id})
        product = self.env["product.product"].create({"name": "顺丰运费", "type": "service", "company_id": company.id})
        cod_account = self.env["account.account"].create(
            {"name": "应收顺丰代收货款", "code": "112210", "account_type": "asset_receivable", "reconcile": True}
        )
        carrier = self.env["delivery.carrier"].create(
            {
                "name": "顺丰速运",
                "company_id": company.id,
                "omni_courier_code": "SF",
                # a scanned SF label fills in the courier at the packing station
                "omni_tracking_pattern": "SF",
                "product_id": product.id,
                "omni_partner_id": partner.id,
                "omni_weight_rounding": "0.1",
                "omni_volumetric_divisor": 6000,
                "omni_cod_fee_rate": 1.0,
                "omni_rate_ids": [
                    Command.create({"name": "江浙沪", "provinces": "江苏, 浙江省、上海市", "first_weight": 1,
                                    "first_price": 10, "additional_unit": 1, "additional_price": 2}),
                    Command.create({"name": "其他地区", "first_weight": 1, "first_price": 15, "additional_unit": 1,
                                    "additional_price": 5}),
                ],
            }
        )  # fmt: skip
        carrier.omni_cod_account_id = cod_account
        # a second courier, so that the packing station tells couriers apart by their labels (中通 7730...)
        self.env["delivery.carrier"].create(
            {
                "name": "中通快递",
                "company_id": company.id,
                "omni_courier_code": "ZTO",
                "omni_tracking_pattern": "7730, 7731",
                "product_id": self.env["product.product"]
                .create({"name": "中通运费", "type": "service", "company_id": company.id})
                .id,
            }
        )
        return carrier

    def _demo_order_values(self, number, index, hours_ago, lines, **extra):
        name, phone, province, city, district, address = DEMO_RECEIVERS[index % len(DEMO_RECEIVERS)]
        order_time = fields.Datetime.now() - timedelta(hours=hours_ago)
        paid = sum(float(line["quantity"]) * float(line["unit_price"]) for line in lines)
        values = {
            "platform_order_no": number,
            "order_time": fields.Datetime.to_string(order_time + timedelta(hours=8)),  # China time
            "buyer_nick": f"buyer_{index}",
            "receiver_name": name,
            "phone": phone,
            "province": province,
            "city": city,
            "district": district,
            "address": address,
            "payment_method": "prepaid",
            "paid_amount": f"{paid:.2f}",
            "shipping_fee": "0",
            "buyer_note": "",
            "lines": lines,
        }
        values.update(extra)
        return values

    def _demo_orders(self, channels):
        Order = self.env["omni.order"]

        def line(sku, qty, price):
            return {"platform_sku": sku, "quantity": str(qty), "unit_price": str(price)}

        tmall = [
            # shipped (with a statement line each), one cash on delivery
            self._demo_order_values("4090012345678901231", 0, 30, [line("TM-GIFT-BOX", 1, 168)]),
            self._demo_order_values("4090012345678901232", 1, 29, [line("TM-HONEY", 2, 30)]),
            self._demo_order_values("4090012345678901233", 2, 28, [line("TM-TEA-250G", 2, 99)], payment_method="cod"),
            self._demo_order_values("4090012345678901234", 3, 27, [line("TM-CUP-SET", 1, 60)]),
            # confirmed, waiting to ship; one 3 days past its 48-hour promise
            self._demo_order_values("4090012345678901235", 4, 5,
                                    [line("TM-GIFT-BOX", 3, 168), line("TM-RICE-5KG", 1, 59)]),
            self._demo_order_values("4090012345678901236", 5, 120, [line("TM-HONEY", 1, 30)]),
            # exceptions: an unknown SKU, a paid amount that does not match
            self._demo_order_values("4090012345678901237", 0, 3, [line("TM-NEW-SKU", 1, 88)], receiver_name="孙悦"),
            self._demo_order_values("4090012345678901238", 1, 2, [line("TM-HONEY", 2, 30)], paid_amount="50.00",
                        receiver_name="周杰"),
        ]  # fmt: skip
        Order.import_orders("TMALL01", tmall)
        # JD: orders to review (buyer note), two of the same receiver to merge
        channels["JD01"]._buyer_note_rule_lines().enabled = True
        Order.import_orders(
            "JD01",
            [
                self._demo_order_values("JD2026113000001", 2, 4, [line("JD-TEA-250G", 1, 99)], buyer_note="请周末送货"),
                self._demo_order_values(
                    "JD2026113000002", 3, 1, [line("JD-HONEY", 1, 30)], buyer_note="发票抬头：个人"
                ),
                self._demo_order_values("JD2026113000003", 3, 1, [line("JD-CUP-SET", 1, 60)], buyer_note="请一起发"),
            ],
        )
        # Pinduoduo: new orders waiting for the reviewer
        # facts of earlier pulls and syncs, as those would have written them
        channels["PDD01"].write({"auto_confirm": False})
        Order.import_orders(
            "PDD01",
            [self._demo_order_values(f"PDD2611300000{n}", n, 2, [line("PDD-RICE-5KG", 2, 55)]) for n in range(1, 4)],
        )
        orders = Order.search([("channel_id", "=", channels["TMALL01"].id)], order="platform_order_no")
        shipped = orders[:4]
        for index, order in enumerate(shipped):
            picking = order.sale_order_id.picking_ids
            # packed at the packing station: every product scanned, weighed, labelled
            for move in picking.move_ids:
                picking.omni_scan(move.product_id.barcode, quantity=move.product_uom_qty)
            picking.omni_packing_set_parcel(weight=1.2, courier_code="SF", tracking_no=f"SF14000000{index + 1}")
            picking.action_omni_pack_validate()
        # a return of one honey jar, received back into stock
        aftersale = self.env["omni.aftersale"].create(
            {
                "omni_order_id": shipped[1].id,
                "refund_amount": 30.0,
                "line_ids": [Command.create({"product_id": shipped[1].sale_order_id.order_line.product_id.id,
                                             "quantity": 1, "destination": "sellable"})],
            }
        )  # fmt: skip
        aftersale.action_submit()
        aftersale.action_approve()
        aftersale.action_receive()
        return shipped

    def _demo_statement(self, carrier, shipped):
        from openpyxl import Workbook

        pickings = shipped.sale_order_id.picking_ids.filtered("omni_tracking_no")
        today = fields.Date.context_today(self)
        book = Workbook()
        sheet = book.active
        sheet.append(["运单号", "寄件日期", "目的地", "重量(kg)", "运费", "代收货款"])
        for picking in pickings.sorted("omni_tracking_no"):
            sheet.append([picking.omni_tracking_no, str(today), picking.partner_id.city or "", 1.2, 12.4, 0])
        sheet.append(["SF140000009", str(today), "北京", 1.0, 15, 0])  # a parcel that is not ours
        # differences: a heavier billed weight, a COD amount short of what was paid
        sheet.cell(row=2, column=4, value=2.5)
        sheet.cell(row=2, column=5, value=14.0)
        sheet.cell(row=4, column=6, value=150)
        buffer = io.BytesIO()
        book.save(buffer)
        self.env["courier.statement"].import_file("SF", "顺丰对账单.xlsx", base64.b64encode(buffer.getvalue()).decode())

    def _demo_retail(self, company):
        today = company._omni_today()
        result = self.env["omni.retail.record"].generate(str(today - timedelta(days=2)), str(today))
        self.env["omni.retail.record"].browse(result["records"]).action_post()
