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

This module holds what the readers share (the messages, :class:`Statement`,
cell and CSV streaming helpers, control totals); the formats' readers are
in ``readers_formats.py``.

Each reader turns the file into :class:`Statement` rows of plain values
(Decimal amounts signed from the shop's point of view: money in positive),
reusing ``omni_base.tools.tabular`` for the file (encodings, header
aliases, amounts with ¥ and thousands separators). Every problem refuses the
file as a whole through a :class:`tabular.TableError` naming the row.

Pure Python: no Odoo import; message templates are translated by the caller.
"""

import csv
import datetime
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
    # the formats' readers (readers_formats.py) read with this module's
    # tools, so they are imported when a file is read
    from . import readers_formats  # pylint: disable=import-outside-toplevel

    reader = {
        "alipay": readers_formats.read_alipay,
        "jd": readers_formats.read_jd,
        "pdd": readers_formats.read_pdd,
        "douyin": readers_formats.read_douyin,
    }[file_format]
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


def _csv_text_tail(content, size=4096):
    """The last lines of a CSV file (its summary), decoded as the file is."""
    tail = content[-size:]
    for encoding in ("utf-8", "gb18030"):
        try:
            return tail.decode(encoding, errors="strict").splitlines()[-8:]
        except UnicodeDecodeError:
            continue
    return tail.decode("gb18030", errors="replace").splitlines()[-8:]
