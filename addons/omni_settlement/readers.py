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
reusing ``omni_base.tools.tabular`` for the file (encodings, header
aliases, amounts with ¥ and thousands separators). Every problem refuses the
file as a whole through a :class:`tabular.TableError` naming the row.

Pure Python: no Odoo import; message templates are translated by the caller.
"""

import csv
import datetime
import hashlib
import io
import itertools
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from odoo.addons.omni_base.tools import tabular


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

_ZERO = Decimal("0.00")
_RAW_ENCODER = json.JSONEncoder(ensure_ascii=False)
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
    """What a reader found. ``rows`` is an iterable of dicts (a generator
    for the CSV formats: a million lines are never all in memory) with
    ``row_no``, ``sheet``, ``serial_no``, ``line_at`` (naive datetime as in
    the file), ``order_ref``, ``sub_order_ref``, ``type_text`` (the
    platform's words, numbers taken out), ``amount`` (Decimal, signed),
    ``fee_amount`` (fees inside the row, Douyin), ``balance`` (Decimal or
    None) and ``raw`` (the row as read: the CSV line, or header -> value as
    JSON text). ``finish()``, called once every row was consumed, refuses a
    file whose control totals disagree with its rows."""

    file_format: str
    rows: object = field(default_factory=list)
    period_from: object = None
    period_to: object = None  # end as given: Alipay exclusive (00:00:00), PDD inclusive (23:59:59)
    finish: object = None


def read_statement(file_format, filename, content):
    """Read a settlement file of ``file_format`` (see PLATFORM_FORMATS)."""
    if file_format == "api":  # lines pulled through a platform adapter (readers_api.py)
        from .readers_api import read_api  # pylint: disable=import-outside-toplevel

        return read_api(filename, bytes(content))
    reader = {"alipay": _read_alipay, "jd": _read_jd, "pdd": _read_pdd, "douyin": _read_douyin}[file_format]
    return reader(filename, bytes(content))


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
    return _RAW_ENCODER.encode({table.label(key): _text(record[key]) for key in table.columns})


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


def _datetime(value, row, column, cache):
    if value not in cache:
        cache[value] = tabular.to_datetime(value, row, column)
    return cache[value]


def _income_expense(table, record, row):
    income = _amount(record["income"], row, table.label("income")) or _ZERO
    expense = _amount(record["expense"], row, table.label("expense")) or _ZERO
    if income is _ZERO and expense is _ZERO and record["income"] is None and record["expense"] is None:
        raise tabular.TableError(TEMPLATE_EMPTY_AMOUNT, {"row": row}, row=row)
    # expenses are negative in these exports; a positive one in the expense column is money out too
    return income - abs(expense), bool(income)


# ---------------------------------------------------------------------------
# CSV streaming


@dataclass
class _Stream:
    """A CSV statement read line by line: the header found by tabular (its
    aliases and messages), then the data lines as (line number, cells, raw
    line); ``#`` lines after the data are kept in ``footer``."""

    table: object
    index: dict
    lines: object
    header_lines: list
    footer: list = field(default_factory=list)


def _csv_stream(filename, content, aliases, required, scan_rows=30):
    encoding, text = tabular._decode(content)  # pylint: disable=protected-access
    if text is None:
        # not text: tabular says what it is (a workbook, a web page, ...)
        tabular.read_table(filename, content, aliases, required)
    head = list(itertools.islice(io.StringIO(text, newline=""), scan_rows + 5))
    table = tabular.read_table(filename, "".join(head).encode("utf-8"), aliases, required, scan_rows=scan_rows)
    header = next(csv.reader([head[table.header_row - 1]]))
    labels = {label: key for key, label in table.columns.items()}
    index = {}
    for col, cell in enumerate(header):
        key = labels.get(tabular.to_text(cell))
        if key is not None and key not in index:
            index[key] = col
    lines = io.StringIO(text, newline="")
    header_lines = [next(lines) for _i in range(table.header_row)]
    del encoding
    return _Stream(table, index, lines, header_lines)


def _stream_records(stream):
    """(line number, cells, raw line) of the data lines; blank lines skipped,
    ``#`` lines collected as the footer."""
    last = [""]

    def source():
        for line in stream.lines:
            last[0] = line
            yield line

    number = len(stream.header_lines)
    for cells in csv.reader(source()):
        number += 1
        if not cells or not any(cell.strip() for cell in cells):
            continue
        if cells[0].startswith("#"):
            stream.footer.append(last[0].rstrip("\r\n"))
            continue
        if stream.footer:  # a data line after the summary: not a statement we know
            stream.footer.append(last[0].rstrip("\r\n"))
            continue
        yield number, cells, last[0].rstrip("\r\n")


def _cell(cells, index, key):
    col = index.get(key)
    if col is None or col >= len(cells):
        return None
    value = cells[col]
    return value if value.strip() else None


_WORDS = {}  # non-ASCII cell text -> normalised (few distinct words over a million lines: types, scenes)
_WORDS_MAX = 100_000


def _fast_text(value):
    """A cell as text without Excel's text markers: plain ASCII ids take the
    short way, words are normalised once per distinct text."""
    if value is None:
        return ""
    text = value.strip().lstrip("'")
    if text.isascii():
        return text
    words = _WORDS.get(text)
    if words is None:
        words = _text(text)
        if len(_WORDS) < _WORDS_MAX:
            _WORDS[text] = words
    return words


def _fast_amount(value, row, column):
    if value is None:
        return None
    text = value.strip()
    if text in ("", "--", "-"):
        return None
    # the plain '-12.30' of the exports: Decimal straight away (tabular for '¥1,234.50', '(3.00)'...)
    if text.isascii() and len(text.rpartition(".")[2] if "." in text else "") <= 2:
        try:
            result = Decimal(text)
        except InvalidOperation:
            result = None  # not the plain form: tabular's full reading below says what is wrong
        if result is not None and result.is_finite():
            return result if result else _ZERO  # no '-0.00'
    return tabular.to_decimal(value, row, column, digits=2)


def _fast_datetime(value, row, column):
    text = value.strip() if value else ""
    # the exports' '2026-11-01 00:00:07' in C; tabular for every other form (and its message)
    if len(text) == 19 and text[4] == "-" and text[10] == " " and text[:4].isdigit():
        try:
            return datetime.datetime.fromisoformat(text)
        except ValueError:
            return tabular.to_datetime(value, row, column)
    return tabular.to_datetime(value, row, column)


def _side_amount(income, expense, row):
    if income is None and expense is None:
        raise tabular.TableError(TEMPLATE_EMPTY_AMOUNT, {"row": row}, row=row)
    # expenses are negative in these exports; a positive one in the expense column is money out too
    return (income or _ZERO) - abs(expense or _ZERO), bool(income)


class _Totals:
    """Income and expense lines counted while streaming, compared with the
    ``#…合计`` lines at the end."""

    def __init__(self, filename):
        self.filename = filename
        self.found = {"income": [0, _ZERO], "expense": [0, _ZERO]}

    def add(self, amount, income_side):
        side = self.found["income" if amount > 0 or (not amount and income_side) else "expense"]
        side[0] += 1
        side[1] += amount

    def check(self, footer):
        totals = _footer_totals(self.filename, footer)
        for side, (count, total) in totals.items():
            found = self.found[side]
            if found[0] != count or found[1] != total:
                raise tabular.TableError(
                    TEMPLATE_CUT_TOTALS,
                    {"filename": self.filename, "expected_count": count, "side": "收入" if side == "income" else "支出",
                     "expected_sum": total, "count": found[0], "sum": found[1]},
                )  # fmt: skip


# ---------------------------------------------------------------------------
# Alipay


def _read_alipay(filename, content):
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


def _csv_text_tail(content, size=4096):
    """The last lines of a CSV file (its summary), decoded as the file is."""
    tail = content[-size:]
    for encoding in ("utf-8", "gb18030"):
        try:
            return tail.decode(encoding, errors="strict").splitlines()[-8:]
        except UnicodeDecodeError:
            continue
    return tail.decode("gb18030", errors="replace").splitlines()[-8:]


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
# Douyin


def _read_douyin(filename, content):
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
