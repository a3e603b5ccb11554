# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reader of Alipay's 账务明细 (Tmall, Taobao): GBK CSV, ``#`` title lines
above the header, ``#`` end marker and control totals below."""

from odoo.addons.omni_base.tools import tabular

from .readers import (
    _ZERO,
    REQUIRED,
    TEMPLATE_EMPTY_SERIAL,
    Statement,
    _cell,
    _cleaned_type,
    _csv_stream,
    _csv_text_tail,
    _fast_amount,
    _fast_datetime,
    _fast_text,
    _footer_totals,
    _order_in_text,
    _period,
    _side_amount,
    _stream_records,
    _Totals,
)

ALIPAY_ALIASES = {
    "serial": ["账务流水号"],
    "biz_no": ["业务流水号"],
    "merchant_order": ["商户订单号"],
    "product": ["商品名称"],
    "at": ["发生时间"],
    "partner": ["对方账号"],
    "income": ["收入金额"],
    "expense": ["支出金额"],
    "balance": ["账户余额"],
    "channel": ["交易渠道"],
    "biz_type": ["业务类型"],
    "memo": ["备注"],
    "biz_desc": ["业务描述"],
    "bill_source": ["业务账单来源"],
    "base_order": ["业务基础订单号"],
    "biz_order": ["业务订单号"],
}


def read_alipay(filename, content):
    _footer_totals(filename, _csv_text_tail(content))  # a cut file has no summary: refused before any row
    stream = _csv_stream(filename, content, ALIPAY_ALIASES, REQUIRED["alipay"])
    statement = Statement("alipay")
    statement.period_from, statement.period_to = _period(stream.header_lines)
    totals = _Totals(filename)
    idx, label = stream.index, stream.table.label

    def rows():
        for row, cells, raw in _stream_records(stream):
            serial = _fast_text(_cell(cells, idx, "serial"))
            if not serial:
                raise tabular.TableError(TEMPLATE_EMPTY_SERIAL, {"row": row, "column": label("serial")}, row=row)
            income = _fast_amount(_cell(cells, idx, "income"), row, label("income"))
            expense = _fast_amount(_cell(cells, idx, "expense"), row, label("expense"))
            amount, income_side = _side_amount(income, expense, row)
            totals.add(amount, income_side)
            biz_type = _fast_text(_cell(cells, idx, "biz_type"))
            memo = (_cell(cells, idx, "memo") or "").strip()
            order = _fast_text(_cell(cells, idx, "base_order"))
            if not order:
                merchant = _fast_text(_cell(cells, idx, "merchant_order"))
                order = merchant[5:] if merchant.startswith("T200P") else _order_in_text(memo)
            if biz_type in ("交易付款", "交易退款", "提现"):
                type_text = biz_type
            else:
                type_text = _fast_text(_cleaned_type(memo)) or _fast_text(_cell(cells, idx, "biz_desc")) or biz_type
            yield {
                "row_no": row,
                "sheet": None,
                "serial_no": serial,
                "line_at": _fast_datetime(_cell(cells, idx, "at"), row, label("at")),
                "order_ref": order or None,
                "sub_order_ref": _fast_text(_cell(cells, idx, "biz_order")) or None,
                "type_text": type_text,
                "amount": amount,
                "fee_amount": _ZERO,
                "balance": _fast_amount(_cell(cells, idx, "balance"), row, label("balance")),
                "raw": raw,
            }

    statement.rows = rows()
    statement.finish = lambda: totals.check(stream.footer)
    return statement
