# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reader of Douyin's 抖店 资金流水明细: UTF-8 CSV with a BOM, no title or
footer; one settlement row is net of the fees in its own columns."""

import csv

from odoo.addons.omni_base.tools import tabular

from .readers import (
    _ZERO,
    REQUIRED,
    TEMPLATE_BAD_DIRECTION,
    TEMPLATE_CUT_LAST_ROW,
    TEMPLATE_EMPTY_AMOUNT,
    TEMPLATE_EMPTY_SERIAL,
    Statement,
    _cell,
    _csv_stream,
    _csv_text_tail,
    _fast_amount,
    _fast_datetime,
    _fast_text,
    _stream_records,
)

DOUYIN_FEE_COLUMNS = ("平台服务费", "佣金", "服务商佣金", "渠道分成", "招商服务费", "站外推广费", "其他分成")
DOUYIN_ALIASES = {
    "at": ["动账时间"],
    "serial": ["动帐流水号", "动账流水号"],
    "direction": ["动账方向"],
    "amount": ["动账金额"],
    "scene": ["动账场景"],
    "sub_order": ["子订单号"],
    "order": ["订单号"],
    "aftersale": ["售后编号"],
    "memo": ["备注"],
    **{f"fee_{index}": [name] for index, name in enumerate(DOUYIN_FEE_COLUMNS)},
}


def read_douyin(filename, content):
    _check_last_row_whole(filename, content)
    stream = _csv_stream(filename, content, DOUYIN_ALIASES, REQUIRED["douyin"])
    statement = Statement("douyin")
    idx, label = stream.index, stream.table.label
    fee_keys = [f"fee_{index}" for index in range(len(DOUYIN_FEE_COLUMNS)) if f"fee_{index}" in idx]

    def rows():
        for row, cells, raw in _stream_records(stream):
            serial = _fast_text(_cell(cells, idx, "serial"))
            if not serial:
                raise tabular.TableError(TEMPLATE_EMPTY_SERIAL, {"row": row, "column": label("serial")}, row=row)
            amount = _fast_amount(_cell(cells, idx, "amount"), row, label("amount"))
            if amount is None:
                raise tabular.TableError(TEMPLATE_EMPTY_AMOUNT, {"row": row}, row=row)
            direction = _fast_text(_cell(cells, idx, "direction"))
            if direction not in ("入账", "出账"):
                raise tabular.TableError(
                    TEMPLATE_BAD_DIRECTION, {"row": row, "column": label("direction"), "value": direction}, row=row
                )
            amount = abs(amount) if direction == "入账" else -abs(amount)
            fee = sum((_fast_amount(_cell(cells, idx, key), row, label(key)) or _ZERO for key in fee_keys), _ZERO)
            yield {
                "row_no": row,
                "sheet": None,
                "serial_no": serial,
                "line_at": _fast_datetime(_cell(cells, idx, "at"), row, label("at")),
                "order_ref": _fast_text(_cell(cells, idx, "order")) or None,
                "sub_order_ref": _fast_text(_cell(cells, idx, "sub_order")) or None,
                "type_text": _fast_text(_cell(cells, idx, "scene")),
                "amount": amount,
                "fee_amount": fee,
                "balance": None,
                "raw": raw,
            }

    statement.rows = rows()
    return statement


def _check_last_row_whole(filename, content):
    """A Douyin export has no footer: a file cut in the middle shows as a
    last line without its last columns (or no line end)."""
    tail = _csv_text_tail(content, size=65536)
    head = _csv_text_head(content)
    last = tail[-1] if tail else ""
    fields = next(csv.reader([last]), [])
    width = len(next(csv.reader([head.lstrip("\ufeff")]), []))
    if len(fields) < width or not content.endswith(b"\n"):
        raise tabular.TableError(TEMPLATE_CUT_LAST_ROW, {"filename": filename, "row": content.count(b"\n") + 1})


def _csv_text_head(content):
    first = content[:65536].split(b"\n", 1)[0]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return first.decode(encoding).rstrip("\r")
        except UnicodeDecodeError:
            continue
    return ""
