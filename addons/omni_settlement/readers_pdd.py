# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reader of Pinduoduo's 店铺账务明细: GBK CSV, title/period/separator lines
above the header, ``#`` totals below."""

import hashlib

from .readers import (
    _ZERO,
    REQUIRED,
    Statement,
    _cell,
    _csv_stream,
    _csv_text_tail,
    _fast_amount,
    _fast_datetime,
    _fast_text,
    _footer_totals,
    _period,
    _side_amount,
    _stream_records,
    _Totals,
)

PDD_ALIASES = {
    "order": ["商户订单号"],
    "at": ["发生时间"],
    "income": ["收入金额"],
    "expense": ["支出金额"],
    "account_type": ["账务类型"],
    "memo": ["备注"],
    "biz_desc": ["业务描述"],
}


def read_pdd(filename, content):
    _footer_totals(filename, _csv_text_tail(content))
    stream = _csv_stream(filename, content, PDD_ALIASES, REQUIRED["pdd"])
    statement = Statement("pdd")
    statement.period_from, statement.period_to = _period(stream.header_lines)
    totals = _Totals(filename)
    idx, label = stream.index, stream.table.label

    def rows():
        for row, cells, raw in _stream_records(stream):
            income = _fast_amount(_cell(cells, idx, "income"), row, label("income"))
            expense = _fast_amount(_cell(cells, idx, "expense"), row, label("expense"))
            amount, income_side = _side_amount(income, expense, row)
            totals.add(amount, income_side)
            yield {
                "row_no": row,
                "sheet": None,
                # no line id in this export: an identical row is the same line (README), so the row is its id
                "serial_no": hashlib.sha1(raw.encode()).hexdigest()[:24],
                "line_at": _fast_datetime(_cell(cells, idx, "at"), row, label("at")),
                "order_ref": _fast_text(_cell(cells, idx, "order")) or None,
                "sub_order_ref": None,
                "type_text": _fast_text(_cell(cells, idx, "biz_desc")) or _fast_text(_cell(cells, idx, "account_type")),
                "amount": amount,
                "fee_amount": _ZERO,
                "balance": None,
                "raw": raw,
            }

    statement.rows = rows()
    statement.finish = lambda: totals.check(stream.footer)
    return statement
