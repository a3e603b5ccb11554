# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Readers of the platforms' settlement statements (平台结算对账单), apart
from the statement model (as OCA's account_statement_import_sheet_file keeps
the sheet mapping apart from the statement).

One reader per file format, chosen by the channel's platform:

- ``alipay`` (Tmall, Taobao): Alipay 账务明细, GBK CSV, ``#`` title lines
  above the header, ``#`` end marker and control totals below;
- ``jd``: JD wallet export (.xlsx), sheet 结算表 (settled lines) and sheet
  资金表 (wallet movements, with the running balance);
- ``pdd``: Pinduoduo 店铺账务明细, GBK CSV, title/period/separator lines
  above the header, ``#`` totals below;
- ``douyin``: 抖店 资金流水明细, UTF-8 CSV with a BOM, no title or footer;
  one settlement row is net of the fees in its own columns.

Each reader turns the file into :class:`Statement` rows of plain values
(Decimal amounts signed from the shop's point of view: money in positive),
reusing ``omni_channel.tools.tabular`` for the file (encodings, header
aliases, amounts with ¥ and thousands separators). Every problem refuses the
file as a whole through a :class:`tabular.TableError` naming the row.

Pure Python: no Odoo import; message templates are translated by the caller.
"""

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from odoo.addons.omni_channel.tools import tabular


def _lt(source):
    """Mark a message template for the translation export (translated when shown)."""
    return source


# pylint: disable=prefer-env-translation
TEMPLATE_CUT_NO_FOOTER = _lt(
    "File '%(filename)s' is incomplete (cut in the middle?): its end marker and control totals are missing. "
    "Download the statement again; nothing was recorded."
)
TEMPLATE_CUT_TOTALS = _lt(
    "File '%(filename)s' is incomplete (cut in the middle?): its control totals give %(expected_count)s "
    "%(side)s lines for %(expected_sum)s, the file holds %(count)s for %(sum)s. Download the statement again; "
    "nothing was recorded."
)
TEMPLATE_CUT_LAST_ROW = _lt(
    "File '%(filename)s' is incomplete (cut in the middle?): its last row %(row)s stops before the last column. "
    "Download the statement again; nothing was recorded."
)
TEMPLATE_EMPTY_SERIAL = _lt("Row %(row)s: the serial number (%(column)s) is empty.")
TEMPLATE_EMPTY_AMOUNT = _lt("Row %(row)s: no amount.")
TEMPLATE_BAD_DIRECTION = _lt("Row %(row)s, column %(column)s: %(value)r is neither 入账 nor 出账.")
TEMPLATE_NO_LINE = _lt("File '%(filename)s' holds no statement line.")
OUR_TEMPLATES = (
    TEMPLATE_CUT_NO_FOOTER,
    TEMPLATE_CUT_TOTALS,
    TEMPLATE_CUT_LAST_ROW,
    TEMPLATE_EMPTY_SERIAL,
    TEMPLATE_EMPTY_AMOUNT,
    TEMPLATE_BAD_DIRECTION,
    TEMPLATE_NO_LINE,
)
# pylint: enable=prefer-env-translation

_ZERO = Decimal(0)
_CENT = Decimal("0.01")
_LONG_NUMBER_RE = re.compile(r"\d{5,}")
_T200P_RE = re.compile(r"T200P(\d{12,})")
_ORDER_FORMS_RE = (
    re.compile(r"订单号[:：]?(\d{12,})"),
    re.compile(r"[{\[(（](\d{12,})[}\])）]"),
    re.compile(r"(\d{16,})"),
)
_EMPTY_BRACKETS_RE = re.compile(r"\{\}|\[\]|\(\)|（）|\[T200P\]")
_ALIPAY_TOTAL_RE = re.compile(r"#\s*(支出|收入)合计[:：]\s*(\d+)\s*笔[,，]?\s*共?\s*([-+]?[\d,.]+)\s*元")
_PERIOD_RE = re.compile(
    r"(?:起始日期|起始时间)[:：]\s*\[?([0-9]{4}[-年][0-9]{2}[-月][0-9]{2}日?\s*[0-9:]*)\]?.*?"
    r"(?:终止日期|终止时间)[:：]\s*\[?([0-9]{4}[-年][0-9]{2}[-月][0-9]{2}日?\s*[0-9:]*)\]?"
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
PDD_ALIASES = {
    "order": ["商户订单号"],
    "at": ["发生时间"],
    "income": ["收入金额"],
    "expense": ["支出金额"],
    "account_type": ["账务类型"],
    "memo": ["备注"],
    "biz_desc": ["业务描述"],
}
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

REQUIRED = {
    "alipay": ("serial", "at", "income", "expense", "balance", "biz_type"),
    "jd_settle": ("order", "document", "fee_item", "amount"),
    "jd_wallet": ("at", "merchant_order", "income", "expense", "memo"),
    "pdd": ("order", "at", "income", "expense", "biz_desc"),
    "douyin": ("at", "serial", "direction", "amount", "scene"),
}
# which reader reads a channel's statements, by omni.channel.platform
PLATFORM_FORMATS = {"tmall": "alipay", "taobao": "alipay", "jd": "jd", "pinduoduo": "pdd", "douyin": "douyin"}


@dataclass
class Statement:
    """What a reader found: ``rows`` are dicts with ``row_no``, ``sheet``,
    ``serial_no``, ``line_at`` (naive datetime as in the file),
    ``order_ref``, ``sub_order_ref``, ``type_text`` (the platform's words,
    numbers taken out), ``amount`` (Decimal, signed), ``fee_amount`` (fees
    inside the row, Douyin), ``balance`` (Decimal or None) and ``raw`` (the
    row as read, header -> text)."""

    file_format: str
    rows: list = field(default_factory=list)
    period_from: object = None
    period_to: object = None  # end as given: Alipay exclusive (00:00:00), PDD inclusive (23:59:59)
    opening_balance: Decimal | None = None
    closing_balance: Decimal | None = None


def read_statement(file_format, filename, content):
    """Read a settlement file of ``file_format`` (see PLATFORM_FORMATS)."""
    reader = {"alipay": _read_alipay, "jd": _read_jd, "pdd": _read_pdd, "douyin": _read_douyin}[file_format]
    statement = reader(filename, content)
    if not statement.rows:
        raise tabular.TableError(TEMPLATE_NO_LINE, {"filename": filename})
    balances = [row for row in statement.rows if row["balance"] is not None]
    if balances:
        statement.opening_balance = balances[0]["balance"] - balances[0]["amount"]
        statement.closing_balance = balances[-1]["balance"]
    return statement


# ---------------------------------------------------------------------------
# helpers


def _text(value):
    """A cell as text without the Excel text markers (Alipay's trailing TAB,
    Douyin's leading apostrophe)."""
    text = tabular.to_text(value)
    return text.lstrip("'").strip() if text else ""


def _amount(value, row, column):
    if isinstance(value, str) and value.strip() in ("--", "-"):
        return None
    return tabular.to_decimal(value, row, column, digits=2)


def _raw(table, record):
    return {table.label(key): _text(record[key]) for key in table.columns}


def _cleaned_type(text):
    """The platform's words of a memo without the numbers in it, so that
    200,000 memos of one fee give one text to classify."""
    text = _T200P_RE.sub("", text)
    text = _LONG_NUMBER_RE.sub("", text)
    return _EMPTY_BRACKETS_RE.sub("", text).strip(" -;:：")


def _order_in_text(text):
    match = _T200P_RE.search(text)
    if match:
        return match.group(1)
    for pattern in _ORDER_FORMS_RE:
        match = pattern.search(text)
        if match:
            return match.group(1)
    return ""


def _period(lines):
    for line in lines:
        match = _PERIOD_RE.search(line)
        if match:
            start, stop = (tabular.to_datetime(value.strip(), 0, "") for value in match.groups())
            return start, stop
    return None, None


def _csv_text(content):
    _encoding, text = tabular._decode(bytes(content))  # pylint: disable=protected-access
    return text or ""


def _footer_totals(filename, lines):
    """{'income'|'expense': (count, sum)} of the ``#…合计`` lines; a file
    without them was cut (checked before any row, whose error would hide it)."""
    totals = {}
    for line in lines:
        match = _ALIPAY_TOTAL_RE.search(line.replace(" ", ""))
        if match:
            totals["expense" if match.group(1) == "支出" else "income"] = (
                int(match.group(2)),
                Decimal(match.group(3).replace(",", "")),
            )
    if len(totals) < 2:
        raise tabular.TableError(TEMPLATE_CUT_NO_FOOTER, {"filename": filename})
    return totals


def _control_totals(filename, totals, rows):
    """Refuse a file whose control totals disagree with the lines read (the
    file was cut or changed): they count every data line, income and expense
    apart, the duplicate included."""
    found = {"income": [0, _ZERO], "expense": [0, _ZERO]}
    for row in rows:
        side = "income" if row["amount"] > 0 or (not row["amount"] and row.get("_income_side")) else "expense"
        found[side][0] += 1
        found[side][1] += row["amount"]
    for side, (count, total) in totals.items():
        if found[side][0] != count or found[side][1] != total:
            params = {
                "filename": filename,
                "expected_count": count,
                "side": "收入" if side == "income" else "支出",
                "expected_sum": total,
                "count": found[side][0],
                "sum": found[side][1],
            }
            raise tabular.TableError(TEMPLATE_CUT_TOTALS, params)


def _data_records(table):
    """Rows of the table below the header, without the ``#`` title/footer lines."""
    first = next(iter(table.columns))
    return [record for record in table.rows if not _text(record[first]).startswith("#")]


def _income_expense(table, record, row):
    income = _amount(record["income"], row, table.label("income")) or _ZERO
    expense = _amount(record["expense"], row, table.label("expense")) or _ZERO
    if income is _ZERO and expense is _ZERO and record["income"] is None and record["expense"] is None:
        raise tabular.TableError(TEMPLATE_EMPTY_AMOUNT, {"row": row}, row=row)
    # expenses are negative in these exports; a positive one in the expense column is money out too
    return income - abs(expense), bool(income)


# ---------------------------------------------------------------------------
# Alipay


def _read_alipay(filename, content):
    lines = _csv_text(content).splitlines()
    totals = _footer_totals(filename, lines[-8:])
    table = tabular.read_table(filename, content, ALIPAY_ALIASES, REQUIRED["alipay"])
    statement = Statement("alipay")
    statement.period_from, statement.period_to = _period(lines[: table.header_row])
    dates = {}
    for record in _data_records(table):
        row = record["_row"]
        serial = _text(record["serial"])
        if not serial:
            raise tabular.TableError(TEMPLATE_EMPTY_SERIAL, {"row": row, "column": table.label("serial")}, row=row)
        amount, income_side = _income_expense(table, record, row)
        biz_type = _text(record["biz_type"])
        memo = _text(record["memo"])
        order = _text(record["base_order"])
        if not order:
            merchant = _text(record["merchant_order"])
            order = merchant[5:] if merchant.startswith("T200P") else _order_in_text(memo)
        if biz_type in ("交易付款", "交易退款", "提现"):
            type_text = biz_type
        else:
            type_text = _cleaned_type(memo) or _text(record["biz_desc"]) or biz_type
        statement.rows.append(
            {
                "row_no": row,
                "sheet": None,
                "serial_no": serial,
                "line_at": _datetime(record["at"], row, table.label("at"), dates),
                "order_ref": order or None,
                "sub_order_ref": _text(record["biz_order"]) or None,
                "type_text": type_text,
                "amount": amount,
                "fee_amount": _ZERO,
                "balance": _amount(record["balance"], row, table.label("balance")),
                "raw": _raw(table, record),
                "_income_side": income_side,
            }
        )
    _control_totals(filename, totals, statement.rows)
    return statement


def _datetime(value, row, column, cache):
    if value not in cache:
        cache[value] = tabular.to_datetime(value, row, column)
    return cache[value]


# ---------------------------------------------------------------------------
# JD


def _read_jd(filename, content):
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
# Pinduoduo


def _read_pdd(filename, content):
    lines = _csv_text(content).splitlines()
    totals = _footer_totals(filename, lines[-6:])
    table = tabular.read_table(filename, content, PDD_ALIASES, REQUIRED["pdd"])
    statement = Statement("pdd")
    statement.period_from, statement.period_to = _period(lines[: table.header_row])
    dates = {}
    for record in _data_records(table):
        row = record["_row"]
        amount, income_side = _income_expense(table, record, row)
        raw = _raw(table, record)
        # no line id in this export: an identical row is the same line (README), so the row is its id
        serial = hashlib.sha1("\x1f".join(raw.values()).encode()).hexdigest()[:24]
        statement.rows.append(
            {
                "row_no": row,
                "sheet": None,
                "serial_no": serial,
                "line_at": _datetime(record["at"], row, table.label("at"), dates),
                "order_ref": _text(record["order"]) or None,
                "sub_order_ref": None,
                "type_text": _text(record["biz_desc"]) or _text(record["account_type"]),
                "amount": amount,
                "fee_amount": _ZERO,
                "balance": None,
                "raw": raw,
                "_income_side": income_side,
            }
        )
    _control_totals(filename, totals, statement.rows)
    return statement


# ---------------------------------------------------------------------------
# Douyin


def _read_douyin(filename, content):
    table = tabular.read_table(filename, content, DOUYIN_ALIASES, REQUIRED["douyin"])
    _check_last_row_whole(filename, content, table)
    statement = Statement("douyin")
    dates = {}
    fee_keys = [f"fee_{index}" for index in range(len(DOUYIN_FEE_COLUMNS))]
    for record in table.rows:
        row = record["_row"]
        serial = _text(record["serial"])
        if not serial:
            raise tabular.TableError(TEMPLATE_EMPTY_SERIAL, {"row": row, "column": table.label("serial")}, row=row)
        amount = _amount(record["amount"], row, table.label("amount"))
        if amount is None:
            raise tabular.TableError(TEMPLATE_EMPTY_AMOUNT, {"row": row}, row=row)
        direction = _text(record["direction"])
        if direction not in ("入账", "出账"):
            raise tabular.TableError(
                TEMPLATE_BAD_DIRECTION,
                {"row": row, "column": table.label("direction"), "value": direction},
                row=row,
            )
        amount = abs(amount) if direction == "入账" else -abs(amount)
        fee = sum((_amount(record[key], row, table.label(key)) or _ZERO for key in fee_keys), _ZERO)
        statement.rows.append(
            {
                "row_no": row,
                "sheet": None,
                "serial_no": serial,
                "line_at": _datetime(record["at"], row, table.label("at"), dates),
                "order_ref": _text(record["order"]) or None,
                "sub_order_ref": _text(record["sub_order"]) or None,
                "type_text": _text(record["scene"]),
                "amount": amount,
                "fee_amount": fee,
                "balance": None,
                "raw": _raw(table, record),
            }
        )
    return statement


def _check_last_row_whole(filename, content, table):
    """A Douyin export has no footer: a file cut in the middle shows as a
    last line without its last columns (or no line end)."""
    text = _csv_text(content).rstrip("\r\n")
    last = text.rsplit("\n", 1)[-1]
    header = text.split("\n", 1)[0]
    fields = next(csv.reader(io.StringIO(last)), [])
    width = len(next(csv.reader(io.StringIO(header.lstrip("\ufeff"))), []))
    if len(fields) < width or not bytes(content).endswith(b"\n"):
        params = {"filename": filename, "row": len(table.rows) + table.header_row}
        raise tabular.TableError(TEMPLATE_CUT_LAST_ROW, params)
