# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import csv
import io

from odoo.addons.omni_channel.tests.common import OmniChannelTestMixin

ORDER_HEADER = [
    "平台单位编码", "平台订单号", "下单时间", "买家昵称", "收货人", "手机", "省", "市", "区", "详细地址",
    "平台商家编码", "数量", "单价", "运费", "付款方式", "实付金额", "买家留言",
]  # fmt: skip


def csv_bytes(rows, encoding="utf-8", header=None, title_rows=()):
    header = ORDER_HEADER if header is None else header
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for title in title_rows:
        writer.writerow(title)
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def b64(content):
    return base64.b64encode(content).decode()


class OmniOrderTestMixin(OmniChannelTestMixin):
    """A channel TMALL01 with the sample relation table (a bundle among it)
    and stock for every product."""

    @classmethod
    def _setup_omni_order(cls):
        env = cls.env
        cls.company = env.company
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.warehouse = env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        Product = env["product.product"]
        kg = env.ref("uom.product_uom_kgm")
        cls.tea = Product.create(
            {"name": "Tea 1 kg", "default_code": "TEA-1KG", "is_storable": True, "list_price": 400.0,
             "uom_id": kg.id, "uom_po_id": kg.id}
        )  # fmt: skip
        cls.cup = Product.create({"name": "Cup", "default_code": "CUP", "is_storable": True, "list_price": 25.0})
        cls.honey = Product.create(
            {"name": "Honey 500 g", "default_code": "HONEY-500G", "is_storable": True, "list_price": 30.0}
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        for product, qty in ((cls.tea, 100), (cls.cup, 1000), (cls.honey, 1000)):
            env["stock.quant"]._update_available_quantity(product, cls.stock_location, qty)
        cls.channel = env["omni.channel"].create(
            {"name": "Tmall flagship", "code": "TMALL01", "platform": "tmall", "company_id": cls.company.id,
             "warehouse_id": cls.warehouse.id}
        )  # fmt: skip
        if "ships_without_courier" in cls.channel._fields:
            # with omni_fulfilment installed a channel's parcels ship with a
            # courier; order, stock, after-sales and purchase tests ship
            # parcels without knowing couriers (their addons do not depend on
            # them): the test channel is a pick-up one. Tests of couriers and
            # packing set it back.
            cls.channel.ships_without_courier = True
        Mapping = env["omni.product.mapping"]
        Mapping.create(
            [
                {
                    "channel_id": cls.channel.id,
                    "platform_sku": "TM-TEA-250G",
                    "product_id": cls.tea.id,
                    "quantity": 0.25,
                },
                {"channel_id": cls.channel.id, "platform_sku": "TM-CUP-SET", "product_id": cls.cup.id, "quantity": 4},
                {
                    "channel_id": cls.channel.id,
                    "platform_sku": "TM-GIFT-BOX",
                    "product_id": cls.tea.id,
                    "quantity": 0.5,
                },
                {"channel_id": cls.channel.id, "platform_sku": "TM-GIFT-BOX", "product_id": cls.cup.id, "quantity": 2},
                {
                    "channel_id": cls.channel.id,
                    "platform_sku": "TM-HONEY-500G",
                    "product_id": cls.honey.id,
                    "quantity": 1,
                },
            ]
        )

    @staticmethod
    def _order(number, **values):
        order = {
            "platform_order_no": number,
            "order_time": "2026-11-11 10:30:00",
            "buyer_nick": "buyer_" + number,
            "receiver_name": "刘洋",
            "phone": "19038879107",
            "province": "江苏省",
            "city": "南京市",
            "district": "鼓楼区",
            "address": "建国路685号",
            "payment_method": "prepaid",
            "paid_amount": "105.00",
            "shipping_fee": "6",
            "buyer_note": "",
            "lines": [{"platform_sku": "TM-TEA-250G", "quantity": "1", "unit_price": "99.0"}],
        }
        order.update(values)
        return order


class JobsMixin:
    """Jobs as the runner sees them: queue.job records, performed here in
    the test's transaction (queue_job's own test helpers need a newer Odoo
    18 than some installations have)."""

    def _jobs(self, method_name, state="pending"):
        return self.env["queue.job"].search([("method_name", "=", method_name), ("state", "=", state)])

    def _perform_jobs(self, method_name):
        from odoo.addons.queue_job.job import Job

        records = self._jobs(method_name)
        for record in records:
            job = Job.load(self.env, record.uuid)
            job.set_started()
            job.perform()
            job.set_done()
            job.store()
        return records
