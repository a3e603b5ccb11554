# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A stand-in Pinduoduo router (``POST /api/router``) on 127.0.0.1 for tests.

It checks the system parameters (``type, client_id, access_token,
timestamp`` within 10 minutes, ``data_type=JSON, version=V1``), the client
id, the md5 signature (computed here independently of the adapter) and the
token, and answers in Pinduoduo's format: ``<name>_response`` bodies and
``error_response`` with ``error_code / error_msg / sub_code / sub_msg``.

Orders are ``order_sn_list`` items with ``updated_at`` (``yyyy-MM-dd
HH:mm:ss``, GMT+8); windows are [start_updated_at, end_updated_at) and at
most 30 minutes. ``goods`` maps SKU codes (outer_id) to goods ids;
``companies`` is the logistics company list. Life cycle, recorded requests
and queued behaviours come from :class:`PlatformStub`.
"""

import datetime as dt
import hashlib
import json
import time

from odoo.addons.omni_platform.tests.platform_stub import PlatformStub

BEIJING = dt.timezone(dt.timedelta(hours=8))
SYSTEM_PARAMS = ("type", "client_id", "access_token", "timestamp", "data_type", "sign")
COMPANIES = [
    {"id": 44, "code": "SF", "logistics_company": "顺丰快递"},
    {"id": 115, "code": "ZTO", "logistics_company": "中通快递"},
]


def pdd_sign(params, secret):
    text = secret
    for key in sorted(params):
        if key != "sign" and params[key] != "":
            text += key + params[key]
    return hashlib.md5((text + secret).encode("utf-8"), usedforsecurity=False).hexdigest().upper()


def pdd_error(code, msg, sub_code="", sub_msg=""):
    error = {"error_code": code, "error_msg": msg, "request_id": "stub-1"}
    if sub_code:
        error.update(sub_code=sub_code, sub_msg=sub_msg)
    return {"error_response": error}


def updated_epoch(order):
    return int(dt.datetime.strptime(order["updated_at"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=BEIJING).timestamp())


class PddStub(PlatformStub):
    def __init__(self, orders=(), *, goods=None, companies=None, refunds=(), **options):
        options.setdefault("router_path", "/api/router")
        super().__init__(orders, **options)
        self.goods = dict(goods or {})
        self.companies = list(COMPANIES if companies is None else companies)
        self.refunds = list(refunds)
        # the shop's 货款 account lines, as rows of its 账务明细 (商户订单号, 发生时间, 收入金额（+元）,
        # 支出金额（-元）, 账务类型, 备注, 业务描述): pdd.finance.balance.daily.bill.url.get gives the URL of a
        # day's file (lywzx/pdd-node-sdk src/pddApi/caiWu/PddFinanceBalanceDailyBillUrlGet.ts),
        # served by GET /bills/<day>.csv
        self.bill_rows = []
        self.bill_files = {}  # {bill_date: bytes} served instead of the file made from bill_rows

    def pdd_error_next(self, n=1, code=70031, msg="调用过于频繁，请调整调用频率"):
        self.respond_next(n, json.dumps(pdd_error(code, msg), ensure_ascii=False))

    def bill_file(self, bill_date):
        """The day's bill file as the shop's 账务明细 export (GBK CSV, title lines, ``#`` totals)."""
        if bill_date in self.bill_files:
            return self.bill_files[bill_date]
        rows = [row for row in self.bill_rows if row[1].startswith(bill_date)]
        income = [row for row in rows if row[2] not in ("0", "0.00")]
        expense = [row for row in rows if row not in income]
        lines = [
            "拼多多店铺账务明细查询",
            "",
            f"起始时间：{bill_date} 00:00:00  终止时间：{bill_date} 23:59:59",
            "----------交易记录明细列表---------",
            "商户订单号,发生时间,收入金额（+元）,支出金额（-元）,账务类型,备注,业务描述",
            *(",".join(row) for row in rows),
            f"#支出合计：{len(expense)}笔",
            f"#收入合计：{len(income)}笔",
            f"#总计：{len(rows)}笔",
            f"#导出时间：{bill_date} 23:59:59",
        ]
        return ("\r\n".join(lines) + "\r\n").encode("gbk")

    def _route(self, recorded):
        if recorded.method == "GET" and recorded.path.startswith("/bills/"):
            content = self.bill_file(recorded.path.removeprefix("/bills/").removesuffix(".csv"))
            return 200, {"Content-Type": "text/csv; charset=GBK"}, content
        if recorded.method != "POST" or recorded.path != self.router_path:
            return self._answer(pdd_error(10000, "not found"), 404)
        params = recorded.form
        missing = [name for name in SYSTEM_PARAMS if not params.get(name)]
        if missing:
            return self._answer(pdd_error(10000, "公共参数错误", "missing", ",".join(missing)))
        if params["data_type"] != "JSON" or params.get("version", "V1") != "V1":
            return self._answer(pdd_error(10000, "公共参数错误", "data_type", "data_type/version"))
        if not params["timestamp"].isdigit() or abs(int(params["timestamp"]) - time.time()) > 600:
            return self._answer(pdd_error(10000, "timestamp已过期"))
        if self.app_key and params["client_id"] != self.app_key:
            return self._answer(pdd_error(10016, "client_id不存在"))
        if self.app_secret and params["sign"] != pdd_sign(params, self.app_secret):
            return self._answer(pdd_error(20004, "签名错误"))
        if self.access_token and params["access_token"] != self.access_token:
            return self._answer(pdd_error(10019, "access_token已过期"))
        handler = {
            "pdd.order.number.list.increment.get": ("order_sn_increment_get_response", self._orders),
            "pdd.refund.list.increment.get": ("refund_increment_get_response", self._refunds),
            "pdd.goods.list.get": ("goods_list_get_response", self._goods),
            "pdd.goods.quantity.update": ("goods_quantity_update_response", self._stock),
            "pdd.logistics.companies.get": ("logistics_companies_get_response", self._companies),
            "pdd.logistics.online.send": ("logistics_online_send_response", self._shipment),
            "pdd.open.decrypt.batch": ("open_decrypt_batch_response", self._decrypt),
            "pdd.finance.balance.daily.bill.url.get": ("finance_balance_daily_bill_url_get_response", self._bill_url),
        }.get(params["type"])
        if handler is None:
            return self._answer(pdd_error(10000, "type不存在"))
        key, function = handler
        body = function(params)
        return self._answer(body if "error_response" in body else {key: body})

    def _bill_url(self, params):
        # bill_date 账单日期（形如yyyy-MM-dd）; answer download_url 下载url
        try:
            day = dt.datetime.strptime(params["bill_date"], "%Y-%m-%d").date()
        except (KeyError, ValueError):
            return pdd_error(10000, "业务参数错误", "bill_date", "账单日期格式错误")
        return {"download_url": f"{self.url}/bills/{day.isoformat()}.csv"}

    def _decrypt(self, params):
        # data_list: [{data_tag (订单号), encrypted_data}], 不超过100; answer
        # data_decrypt_list items (lywzx/pdd-node-sdk PddOpenDecryptBatch.ts)
        try:
            data_list = json.loads(params["data_list"])
        except (KeyError, ValueError):
            return pdd_error(10000, "业务参数错误", "data_list", "data_list")
        if not isinstance(data_list, list) or not 1 <= len(data_list) <= 100:
            return pdd_error(10000, "业务参数错误", "data_list", "列表大小不超过100")
        if not self._decrypt_call_allowed():
            return pdd_error(70031, "调用过于频繁，请调整调用频率")
        answers = []
        for item in data_list:
            plain = self.receivers.get(item.get("encrypted_data"))
            answer = {"data_tag": item.get("data_tag"), "encrypted_data": item.get("encrypted_data")}
            if plain is None or str(plain.get("data_tag")) != str(item.get("data_tag")):
                answer.update(error_code=40001, error_msg="解密失败", decrypted_data="")
            else:
                answer.update(error_code=0, error_msg="", data_type=plain["data_type"], decrypted_data=plain["text"])
            answers.append(answer)
        return {"data_decrypt_list": answers}

    def _window(self, items, params, epoch):
        try:
            start, end = int(params["start_updated_at"]), int(params["end_updated_at"])
            page, size = int(params.get("page", 1)), int(params.get("page_size", 100))
        except (KeyError, ValueError) as exc:
            return None, pdd_error(10000, "参数错误", "invalid", str(exc))
        if end - start > 1800 or end < start:
            return None, pdd_error(10000, "参数错误", "time_range", "开始时间结束时间间距不超过30分钟")
        if size > 100:
            return None, pdd_error(10000, "参数错误", "page_size", "page_size最大100")
        with self._lock:
            found = sorted((o for o in items if start <= epoch(o) < end), key=epoch)
        return (found[(page - 1) * size : page * size], page * size < len(found), len(found)), None

    def _orders(self, params):
        result, error = self._window(self.orders, params, updated_epoch)
        if error:
            return error
        chunk, has_next, total = result
        # use_has_next=true: has_next and no total_count (返回的结果中不包含总记录数)
        if params.get("use_has_next") == "true":
            return {"order_sn_list": chunk, "has_next": has_next}
        return {"order_sn_list": chunk, "total_count": total}

    def _refunds(self, params):
        result, error = self._window(self.refunds, params, updated_epoch)
        if error:
            return error
        return {"refund_list": result[0], "total_count": result[2]}

    def _goods(self, params):
        outer = params.get("outer_id")
        goods = [
            {"goods_id": goods_id, "sku_list": [{"sku_id": goods_id * 10, "outer_id": code}]}
            for code, goods_id in self.goods.items()
            if code == outer
        ]
        return {"goods_list": goods, "total_count": len(goods)}

    def _stock(self, params):
        code, goods_id = params.get("outer_id"), params.get("goods_id")
        if self.goods.get(code) is None or str(self.goods[code]) != goods_id or params.get("update_type") != "1":
            return pdd_error(10000, "参数错误", "goods", "goods_id/outer_id/update_type")
        if code in self.stock_refuse:
            return pdd_error(30000, "业务错误", "goods.sku.not.on.sale", self.stock_refuse[code])
        with self._lock:
            self.stock[code] = int(params["quantity"])
        return {"is_success": True}

    def _companies(self, params):
        return {"logistics_companies": self.companies}

    def _shipment(self, params):
        number = params.get("order_sn")
        if not number or not params.get("logistics_id", "").isdigit() or not params.get("tracking_number"):
            return pdd_error(10000, "参数错误", "shipment", "order_sn/logistics_id/tracking_number")
        if number in self.shipment_refuse:
            return pdd_error(30000, "业务错误", "order.shipped", self.shipment_refuse[number])
        with self._lock:
            self.shipments.append(
                {"order_no": number, "courier": params["logistics_id"], "tracking_no": params["tracking_number"]}
            )
        return {"is_success": True}
