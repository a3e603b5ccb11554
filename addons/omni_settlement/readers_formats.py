# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The readers of the platforms' settlement statement files, one per format
(:data:`.readers.PLATFORM_FORMATS`), with the column names of each; what
they share is in :mod:`.readers`."""

import csv
import hashlib

from odoo.addons.omni_base.tools import tabular

from .readers import (
    _ZERO,
    REQUIRED,
    TEMPLATE_BAD_DIRECTION,
    TEMPLATE_CUT_LAST_ROW,
    TEMPLATE_EMPTY_AMOUNT,
    TEMPLATE_EMPTY_SERIAL,
    Statement,
    _amount,
    _cell,
    _cleaned_type,
    _csv_stream,
    _csv_text_tail,
    _datetime,
    _fast_amount,
    _fast_datetime,
    _fast_text,
    _footer_totals,
    _income_expense,
    _order_in_text,
    _period,
    _raw,
    _side_amount,
    _stream_records,
    _text,
    _Totals,
)

# ---------------------------------------------------------------------------
# Alipay's 账务明细 (Tmall, Taobao): GBK CSV, ``#`` title lines above the header,
# ``#`` end marker and control totals below.


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


# ---------------------------------------------------------------------------
# JD's wallet export (.xlsx): sheet 结算表 (settled lines) and sheet 资金表 (wallet
# movements, with the running balance).


JD_SETTLE_ALIASES = {
    "order": ["订单编号"],
    "document": ["单据编号"],
    "document_type": ["单据类型"],
    "sku": ["商品编号"],
    "merchant_order": ["商户订单号"],
    "product": ["商品名称"],
    "at": ["费用结算时间"],
    "fee_item": ["费用项"],
    "amount": ["金额"],
    "direction": ["收支方向"],
}
JD_WALLET_ALIASES = {
    "at": ["日期"],
    "merchant_order": ["商户订单号"],
    "balance": ["账户余额"],
    "income": ["收入金额"],
    "expense": ["支出金额"],
    "memo": ["交易备注"],
}


def read_jd(filename, content):
    statement = Statement("jd")
    dates = {}
    settle = tabular.read_table(filename, content, JD_SETTLE_ALIASES, REQUIRED["jd_settle"], sheet="结算表")
    batches = {}  # 商户订单号 -> its 结算表 rows
    for record in settle.rows:
        row = record["_row"]
        order, document = _text(record["order"]), _text(record["document"])
        fee_item = _text(record["fee_item"])
        amount = _amount(record["amount"], row, settle.label("amount"))
        if amount is None:
            raise tabular.TableError(TEMPLATE_EMPTY_AMOUNT, {"row": row}, row=row)
        if _text(record["direction"]) == "支出" and amount > 0:
            amount = -amount
        statement.rows.append(
            {
                "row_no": row,
                "sheet": settle.sheet_name,
                # a document has one line per fee item and SKU (README: same 单据编号, 费用项, 商品编号)
                "serial_no": f"{document}/{fee_item}/{_text(record['sku'])}",
                "line_at": _datetime(record["at"], row, settle.label("at"), dates),
                "order_ref": order or None,
                "sub_order_ref": document if document and document != order else None,
                "type_text": fee_item,
                "amount": amount,
                "fee_amount": _ZERO,
                "balance": None,
                "raw": _raw(settle, record),
            }
        )
        batches.setdefault(_text(record["merchant_order"]), []).append(statement.rows[-1])
    wallet_goods = {}
    wallet = tabular.read_table(filename, content, JD_WALLET_ALIASES, REQUIRED["jd_wallet"], sheet="资金表")
    for record in wallet.rows:
        row = record["_row"]
        amount, _income_side = _income_expense(wallet, record, row)
        memo = _text(record["memo"])
        if "projectName:" in memo:
            memo = memo.split("projectName:", 1)[1]
        merchant = _text(record["merchant_order"])
        statement.rows.append(
            {
                "row_no": row,
                "sheet": wallet.sheet_name,
                "serial_no": f"{merchant}/{memo}/{amount}",
                "line_at": _datetime(record["at"], row, wallet.label("at"), dates),
                "order_ref": None,
                "sub_order_ref": merchant or None,
                "type_text": memo,
                "amount": amount,
                "fee_amount": _ZERO,
                "balance": _amount(record["balance"], row, wallet.label("balance")),
                "raw": _raw(wallet, record),
            }
        )
        if memo == "京东支付货款":
            wallet_goods[merchant] = wallet_goods.get(merchant, _ZERO) + amount
    for batch, rows in batches.items():
        _tell_jd_repeats(rows, wallet_goods.get(batch))
    return statement


def _tell_jd_repeats(rows, wallet_amount):
    """Identical 结算表 rows (same 单据编号, 费用项, 商品编号 and amount) are
    either a duplicate of the export or two units of one SKU settled on two
    lines. The wallet says which: its 京东支付货款 line of the batch
    (商户订单号) moves what the batch's income lines really hold. A repeat
    the wallet paid gets its own serial number ('#2'); one it did not pay
    keeps the serial of the line it copies (a duplicate). Without the
    wallet line (moved in another month), a repeat is a duplicate (the
    platform's own rule)."""
    counts = {}
    for row in rows:
        counts[(row["serial_no"], row["amount"])] = counts.get((row["serial_no"], row["amount"]), 0) + 1
    repeats = {key for key, count in counts.items() if count > 1}
    if not repeats or wallet_amount is None:
        return
    excess = sum((row["amount"] for row in rows if row["amount"] > 0), _ZERO) - wallet_amount
    seen = {}
    for row in rows:
        key = (row["serial_no"], row["amount"])
        if key not in repeats:
            continue
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == 1:
            continue
        if excess > 0 and row["amount"] == excess:
            excess = _ZERO  # this copy is the one the wallet did not pay: a duplicate
            continue
        row["serial_no"] = f"{row['serial_no']}#{seen[key]}"


# ---------------------------------------------------------------------------
# Pinduoduo's 店铺账务明细: GBK CSV, title/period/separator lines above the header, ``#`` totals below.


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


# ---------------------------------------------------------------------------
# Douyin's 抖店 资金流水明细: UTF-8 CSV with a BOM, no title or footer; one
# settlement row is net of the fees in its own columns.


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
