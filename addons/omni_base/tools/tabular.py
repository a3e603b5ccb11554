# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Read the spreadsheets users upload (platform orders, product mappings,
courier statements) into rows keyed by canonical column names.

Accepts CSV (UTF-8, UTF-8 with BOM, GBK/GB18030; comma, tab or semicolon),
.xlsx, .xls and .ods, recognised by their content rather than their name.
Workbooks are read with python-calamine (Rust: a 100,000-row .xlsx in under
a second where openpyxl takes 6-10 s), its values brought back to what
openpyxl (.xlsx) and xlrd (.xls) gave: integral numbers of an .xlsx as int,
every number of an .xls as float, dates as datetimes at midnight, empty
cells as None. openpyxl and xlrd stay as the fallback where calamine cannot
(see _read_workbook): calamine reads an error cell (#N/A, #DIV/0!...) as
empty, so a workbook holding error cells is read by openpyxl (.xlsx) or xlrd
(.xls), which give their text ('#N/A'); so is a workbook calamine fails to
open. (Times alone in an .xls come on xlrd's day 0, 1899-12-31.)

The header row is looked for below title rows, header cells are matched
against aliases (Chinese headers, full-width forms, units in brackets), and
every problem is reported as a :class:`TableError` whose message names the
file, row and column.

Pure Python: no Odoo import. Messages are English templates kept as
module-level constants; ``TableError.template`` and ``TableError.params``
let the caller translate them; :func:`error_message` does it for the
templates of this module (their translations are this addon's).
"""

import codecs
import csv
import datetime
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .normalize import normalize_text


def _lt(source):
    """Mark a message template for Odoo's translation export (its extractor
    collects the literal arguments of ``_`` and ``_lt`` calls in the addon's
    Python files) without importing Odoo. Returns ``source`` unchanged."""
    return source


# The checker wants env._ for translations, but this module has no env: the
# templates are only marked here and translated by the caller.
# pylint: disable=prefer-env-translation
TEMPLATE_EMPTY_FILE = _lt("File '%(filename)s' is empty.")
TEMPLATE_NOT_SPREADSHEET = _lt("File '%(filename)s' is not a spreadsheet (expected .csv, .xlsx or .xls)")
TEMPLATE_WEB_PAGE = _lt(
    "File '%(filename)s' is a web page or an XML export under a spreadsheet name: "
    "open it in Excel and save it as .xlsx."
)
TEMPLATE_ENCRYPTED = _lt(
    "File '%(filename)s' is protected by a password: remove the password in Excel and upload it again."
)
TEMPLATE_SHEET_NOT_FOUND = _lt("Sheet '%(sheet)s' not found in '%(filename)s' (sheets: %(sheets)s).")
TEMPLATE_NO_HEADER = _lt(
    "No header row with the columns %(columns)s found in the first %(scan_rows)s rows of '%(filename)s'."
)
TEMPLATE_HEADER_INCOMPLETE = _lt(
    "No header row with the columns %(columns)s found in the first %(scan_rows)s rows of '%(filename)s': "
    "the closest, row %(row)s, lacks %(missing)s."
)
TEMPLATE_NOT_A_NUMBER = _lt("Row %(row)s, column %(column)s: %(value)r is not a number")
TEMPLATE_NOT_A_DATETIME = _lt("Row %(row)s, column %(column)s: %(value)r is not a date and time")
TEMPLATE_NOT_A_DATE = _lt("Row %(row)s, column %(column)s: %(value)r is not a date")
# pylint: enable=prefer-env-translation

XLSX_SIGNATURE = b"PK\x03\x04"
XLS_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Files that are surely not text even when short and NUL-free.
_BINARY_SIGNATURES = (
    b"PK\x05\x06",  # empty zip
    b"PK\x07\x08",  # spanned zip
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
    b"Rar!",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b",  # gzip
)
# Name of the stream holding an encrypted OOXML package, UTF-16 in the OLE2 directory.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# BIFF records of an error cell: BOOLERR (0x0205, 8 bytes, error flag 1) and
# FORMULA (0x0006) whose cached result is an error (type 2, 0xFFFF marker).
# A chance match in other bytes only sends the file to xlrd, slower but right.
_XLS_ERROR_RE = re.compile(rb"\x05\x02\x08\x00.{7}\x01|\x06\x00.{8}\x02.{5}\xff\xff", re.DOTALL)
_MAX_EXACT_INT = 2**53
_XLS_DAY_ZERO = datetime.date(1899, 12, 31)
# the date class calamine returns, compared by identity on the hot path: the
# real one even where a test clock (freezegun) replaces datetime.date
_DATE = datetime.date.__mro__[-2]  # freezegun: (FakeDate, date, object)
_CONTROL_CHARS_RE = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f]")
_CSV_DELIMITERS = (",", "\t", ";")
_SNIFF_LINES = 50
_UNIT_SUFFIX_RE = re.compile(r"(.+?)[(\[【][^()\[\]【】]*[)\]】]")
_MAX_VALUE_IN_MESSAGE = 60

_EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
_EXCEL_MAX_SERIAL = 2958466  # 10000-01-01
_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y.%m.%d %H:%M:%S",
    "%Y.%m.%d %H:%M",
    "%Y.%m.%d",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日%H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日%H:%M",
    "%Y年%m月%d日",
)
_COMPACT_DATETIME_FORMATS = {8: "%Y%m%d", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}

_NUMBER_RE = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_THOUSANDS_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")
_CURRENCY_PREFIX_RE = re.compile(r"^(?:rmb|cny|¥|￥|\$) ?", re.IGNORECASE)
_CURRENCY_SUFFIX_RE = re.compile(r" ?(?:元|rmb|cny)$", re.IGNORECASE)


class TableError(ValueError):
    """A user-facing problem with an uploaded table.

    ``str(error)`` is the English message. ``template`` and ``params`` give
    it unformatted so that the caller can translate the template first;
    ``row`` (1-based, as seen in the file) and ``column`` (the column name
    given by the caller or found in the file) locate it when known.
    A plain message is accepted too: ``TableError("Row 3: unknown SKU")``.
    """

    def __init__(self, template, params=None, row=None, column=None):
        self.template = template
        self.params = dict(params or {})
        self.row = row
        self.column = column
        self.message = template % self.params if self.params else template
        super().__init__(self.message)

    def __str__(self):
        return self.message


def error_message(env, error):
    """The message of ``error`` (a :class:`TableError` or any exception) in
    the language of ``env``: this module's templates are translated in
    ``omni_base``, where they are exported (``env._`` finds the addon from
    the caller's module)."""
    if getattr(error, "template", None):
        return env._(error.template) % error.params  # pylint: disable=translation-required
    return str(error)


@dataclass
class Table:
    """What :func:`read_table` found.

    ``rows``: one dict per non-blank data row, every canonical key of the
    aliases -> raw cell value (str, int, float, bool, datetime, date or None;
    None also for a column absent from the file or a whitespace-only cell),
    plus ``'_row'``: the 1-based row number the user sees in the file/sheet.
    ``columns``: canonical key -> header text found (only the columns present).
    ``unknown_columns``: header texts that matched no alias.
    ``duplicate_columns``: header texts ignored because an earlier column
    already matched the same canonical key (the first one wins).
    """

    rows: list = field(default_factory=list)
    header_row: int = 0
    columns: dict = field(default_factory=dict)
    unknown_columns: list = field(default_factory=list)
    file_format: str = ""
    encoding: str | None = None
    sheet_name: str | None = None
    duplicate_columns: list = field(default_factory=list)
    aliases: dict = field(default_factory=dict, repr=False)
    _labels: dict = field(default_factory=dict, repr=False, compare=False)

    def label(self, key):
        """User-facing name of a canonical column: the header text found in
        the file, else its first alias, else the key itself (kept once
        asked: the importers ask it for every cell they convert)."""
        label = self._labels.get(key)
        if label is None:
            label = self._labels[key] = self.columns.get(key) or _label(key, self.aliases)
        return label


# ---------------------------------------------------------------------------
# Reading


def read_table(filename, content, aliases, required, scan_rows=30, sheet=None):
    """Read an uploaded .csv, .xlsx, .xls or .ods file into a :class:`Table`.

    :param filename: name of the uploaded file, only used in messages
    :param content: the file's bytes
    :param aliases: canonical key -> list of header texts it may appear as
    :param required: canonical keys whose columns must be in the header row
    :param scan_rows: how many rows from the top may hold the header row
    :param sheet: workbook sheet name or 0-based index (first sheet if None)
    :raise TableError: not a spreadsheet, empty, no header row found...
    """
    filename = filename or ""
    if isinstance(content, str):
        content = content.encode("utf-8")
    content = bytes(content or b"")
    if not content.strip():
        raise TableError(TEMPLATE_EMPTY_FILE, {"filename": filename})
    table = Table(aliases=dict(aliases))
    if content.startswith(XLSX_SIGNATURE):
        table.file_format = "ods" if _is_ods(content) else "xlsx"
        table.sheet_name, rows = _read_workbook(filename, content, sheet, table.file_format)
    elif content.startswith(XLS_SIGNATURE):
        table.file_format = "xls"
        table.sheet_name, rows = _read_workbook(filename, content, sheet, "xls")
    else:
        table.file_format = "csv"
        table.encoding, rows = _read_csv(filename, content)
        rows = _clean_rows(rows)
    if all(_is_blank(row) for row in rows):
        raise TableError(TEMPLATE_EMPTY_FILE, {"filename": filename})
    _fill_table(table, filename, rows, aliases, list(required), scan_rows)
    return table


def _fill_table(table, filename, rows, aliases, required, scan_rows):
    index = _alias_index(aliases)
    header_idx, mapping = _find_header(filename, rows, index, aliases, required, scan_rows)
    table.header_row = header_idx + 1
    header = rows[header_idx]
    for col, cell in enumerate(header):
        text = to_text(cell)
        if not text:
            continue
        key = mapping.get(col)
        if key is not None:
            table.columns[key] = text
        elif any(norm in index for norm in _header_keys(cell)):
            table.duplicate_columns.append(text)
        else:
            table.unknown_columns.append(text)
    blank = dict.fromkeys([*aliases, *required])
    cols, mapped = list(mapping), list(mapping.values())
    width = max(cols, default=-1) + 1
    padding = [None] * width
    append = table.rows.append
    for row_idx in range(header_idx + 1, len(rows)):
        cells = rows[row_idx]
        if cells.count(None) == len(cells):  # blank row
            continue
        if len(cells) < width:  # a short CSV row
            cells = cells + padding
        record = blank.copy()
        record.update(zip(mapped, [cells[col] for col in cols], strict=True))
        record["_row"] = row_idx + 1
        append(record)


def _clean_cell(value):
    """Whitespace-only texts become None; other values stay as they are."""
    if isinstance(value, str) and (not value or not value[0].isalnum()) and not normalize_text(value):
        return None
    return value


def _clean_rows(rows):
    return [[_clean_cell(value) for value in row] for row in rows]


def _is_blank(cells):
    return cells.count(None) == len(cells)


def _not_a_spreadsheet(filename):
    return TableError(TEMPLATE_NOT_SPREADSHEET, {"filename": filename})


def _is_ods(content):
    """An OpenDocument spreadsheet: a zip whose first entry, 'mimetype', says so."""
    return content[30:38] == b"mimetype" and _ODS_MIMETYPE in content[38:120]


def _read_workbook(filename, content, sheet, file_format):
    """(sheet name, rows) of an .xlsx, .xls or .ods: python-calamine, or
    openpyxl (.xlsx) / xlrd (.xls) for a workbook holding error cells
    (calamine reads them as empty) or that calamine cannot open."""
    fallback = {"xls": _read_xls, "xlsx": _read_xlsx}.get(file_format)
    if file_format == "xls":
        if _ENCRYPTED_PACKAGE in content:  # a password-protected .xlsx is an OLE2 file
            raise TableError(TEMPLATE_ENCRYPTED, {"filename": filename})
        use_fallback = bool(_XLS_ERROR_RE.search(content))
    else:
        use_fallback = file_format == "xlsx" and _xlsx_has_error_cells(content)
    if not use_fallback:
        try:
            return _read_calamine(filename, content, sheet, file_format)
        except TableError as err:
            if err.template != TEMPLATE_NOT_SPREADSHEET or fallback is None:
                raise
    name, rows = fallback(filename, content, sheet)
    return name, _clean_rows(rows)


def _xlsx_has_error_cells(content):
    """Whether a worksheet of the .xlsx holds an error cell (<c ... t="e">);
    True when the zip cannot be read (openpyxl then says what is wrong)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                if not name.startswith("xl/worksheets/") or not name.endswith(".xml"):
                    continue
                with archive.open(name) as part:
                    tail = b""
                    while chunk := part.read(1 << 20):
                        if b' t="e"' in tail + chunk:
                            return True
                        tail = chunk[-8:]
    except Exception:  # noqa: BLE001 - not a zip, corrupt member...: left to the reader
        return True
    return False


def _read_calamine(filename, content, sheet, file_format):
    from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    except PasswordError as exc:
        raise TableError(TEMPLATE_ENCRYPTED, {"filename": filename}) from exc
    except Exception as exc:  # a zip that is no workbook: docx, corrupt...
        if "encrypt" in str(exc).lower() or "password" in str(exc).lower():
            raise TableError(TEMPLATE_ENCRYPTED, {"filename": filename}) from exc
        raise _not_a_spreadsheet(filename) from exc
    try:
        names = book.sheet_names
        # chart and macro sheets hold no cells: the index counts worksheets only (as openpyxl did)
        worksheets = [meta.name for meta in book.sheets_metadata if meta.typ == SheetTypeEnum.WorkSheet]
        if sheet is None or isinstance(sheet, int):
            number = sheet or 0
            if not -len(worksheets) <= number < len(worksheets):
                raise _sheet_not_found(filename, sheet, names)
            name = worksheets[number]
        elif sheet in worksheets:
            name = sheet
        else:
            raise _sheet_not_found(filename, sheet, names)
        # skip_empty_area=False: the rows before the first cell are kept, so row numbers are the sheet's
        cells = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except TableError:
        raise
    except Exception as exc:  # corrupt sheet
        raise _not_a_spreadsheet(filename) from exc
    finally:
        book.close()
    # the hot loop of a 100,000-row statement (600,000 cells): texts starting with a letter or digit and
    # floats are handled inline, empty texts become None, the rest goes through _clean_cell / convert
    clean = _clean_cell
    if file_format == "xls":
        convert = _calamine_value_xls
        rows = [
            [
                (v if v[:1].isalnum() else clean(v) if v else None) if (c := v.__class__) is str
                else v if c is float
                else convert(v)
                for v in row
            ]
            for row in cells
        ]  # fmt: skip
    else:
        convert, limit = _calamine_value, _MAX_EXACT_INT
        rows = [
            [
                (v if v[:1].isalnum() else clean(v) if v else None) if (c := v.__class__) is str
                else (int(v) if v.is_integer() and -limit < v < limit else v) if c is float
                else convert(v)
                for v in row
            ]
            for row in cells
        ]  # fmt: skip
    return name, rows


def _calamine_value(value):
    """A non-text calamine value of an .xlsx/.ods as openpyxl gave it:
    integral numbers as int (openpyxl reads '12' as 12, '12.5' as 12.5),
    dates as datetimes at midnight, durations from the Excel epoch."""
    cls = value.__class__
    if cls is float:
        return int(value) if value.is_integer() and -_MAX_EXACT_INT < value < _MAX_EXACT_INT else value
    if cls is _DATE:
        return datetime.datetime(value.year, value.month, value.day)
    if cls is datetime.timedelta:
        return _EXCEL_EPOCH + value
    return value


def _calamine_value_xls(value):
    """A non-text calamine value of an .xls as xlrd gave it: every number a
    float, dates as datetimes (a time alone on xlrd's day 0, 1899-12-31)."""
    cls = value.__class__
    if cls is int:
        return float(value)
    if cls is _DATE:
        return datetime.datetime(value.year, value.month, value.day)
    if cls is datetime.time:
        return datetime.datetime.combine(_XLS_DAY_ZERO, value)
    if cls is datetime.timedelta:
        return _EXCEL_EPOCH + value
    return value


def _read_xlsx(filename, content, sheet):
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # "Workbook contains no default style", unsupported extensions...
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a zip that is no workbook: docx, corrupt...
        raise _not_a_spreadsheet(filename) from exc
    try:
        if sheet is None or isinstance(sheet, int):
            worksheets = book.worksheets
            number = sheet or 0
            if not -len(worksheets) <= number < len(worksheets):
                raise _sheet_not_found(filename, sheet, book.sheetnames)
            worksheet = worksheets[number]
        else:
            if sheet not in book.sheetnames or not hasattr(book[sheet], "iter_rows"):
                raise _sheet_not_found(filename, sheet, book.sheetnames)
            worksheet = book[sheet]
        # Some exporters write a wrong <dimension>: read every row present.
        worksheet.reset_dimensions()
        rows = [list(row) for row in worksheet.iter_rows(values_only=True)]
        return worksheet.title, rows
    except TableError:
        raise
    except Exception as exc:  # corrupt sheet XML, read lazily
        raise _not_a_spreadsheet(filename) from exc
    finally:
        book.close()


def _read_xls(filename, content, sheet):
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=content, logfile=io.StringIO(), on_demand=True)
    except Exception as exc:
        if "encrypted" in str(exc).lower():
            raise TableError(TEMPLATE_ENCRYPTED, {"filename": filename}) from exc
        raise _not_a_spreadsheet(filename) from exc
    try:
        names = book.sheet_names()
        if sheet is None or isinstance(sheet, int):
            number = sheet or 0
            if not -len(names) <= number < len(names):
                raise _sheet_not_found(filename, sheet, names)
            worksheet = book.sheet_by_index(number % len(names))
        else:
            if sheet not in names:
                raise _sheet_not_found(filename, sheet, names)
            worksheet = book.sheet_by_name(sheet)
        rows = [[_xls_value(cell, book.datemode) for cell in worksheet.row(r)] for r in range(worksheet.nrows)]
        return worksheet.name, rows
    except TableError:
        raise
    except Exception as exc:
        raise _not_a_spreadsheet(filename) from exc
    finally:
        book.release_resources()


def _xls_value(cell, datemode):
    import xlrd

    ctype, value = cell.ctype, cell.value
    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(value, datemode)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return value
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERROR")
    return value


def _sheet_not_found(filename, sheet, names):
    return TableError(
        TEMPLATE_SHEET_NOT_FOUND,
        {"sheet": sheet, "filename": filename, "sheets": ", ".join(str(name) for name in names)},
    )


def _decode(content):
    """(encoding, text) of CSV bytes, or (None, None) when they are no text."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel "Unicode text"
        try:
            return "utf-16", content.decode("utf-16")
        except UnicodeDecodeError:
            return None, None
    if content.startswith(_BINARY_SIGNATURES) or b"\x00" in content:
        return None, None
    encodings = ("utf-8", "gb18030")  # GB18030 is a superset of GBK and GB2312
    if content.startswith(codecs.BOM_UTF8):
        encodings = ("utf-8-sig", *encodings)
    for encoding in encodings:
        try:
            return encoding, content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None, None


def _read_csv(filename, content):
    encoding, text = _decode(content)
    if text is None or _CONTROL_CHARS_RE.search(text.rstrip("\x1a")):
        raise _not_a_spreadsheet(filename)
    start = text.lstrip("\ufeff \t\r\n")[:2000].lower()
    if start.startswith(("<!doctype html", "<html", "<table", "<?xml", "mime-version:")):
        raise TableError(TEMPLATE_WEB_PAGE, {"filename": filename})
    delimiter = _sniff_delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise _not_a_spreadsheet(filename) from exc
    return encoding, rows


def _sniff_delimiter(text):
    """The delimiter among comma, tab and semicolon that splits the first
    lines into the most fields (comma on a tie)."""
    sample = "\n".join(text.splitlines()[:_SNIFF_LINES])
    best, best_score = ",", -1
    for delimiter in _CSV_DELIMITERS:
        try:
            rows = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
            score = sum(max(len(row) - 1, 0) for row in rows)
        except csv.Error:
            continue
        if score > best_score:
            best, best_score = delimiter, score
    return best


# ---------------------------------------------------------------------------
# Header


def _header_norm(value):
    return normalize_text(to_text(value)).lower().replace(" ", "")


def _header_keys(value):
    """Forms under which a header cell is looked up: its normalised text,
    then the same without a trailing unit in brackets ('重量(kg)' -> '重量')."""
    text = _header_norm(value)
    if not text:
        return []
    match = _UNIT_SUFFIX_RE.fullmatch(text)
    return [text, match.group(1)] if match else [text]


def _alias_index(aliases):
    """normalised header text -> canonical key (the first key declaring it wins)."""
    index = {}
    for key, names in aliases.items():
        for name in (key, *(names or ())):
            norm = _header_norm(name)
            if norm:
                index.setdefault(norm, key)
    return index


def _map_header(cells, index):
    """column index -> canonical key for a candidate header row; a key
    matched by several columns keeps the first one."""
    mapping = {}
    for col, cell in enumerate(cells):
        for text in _header_keys(cell):
            key = index.get(text)
            if key is not None:
                if key not in mapping.values():
                    mapping[col] = key
                break
    return mapping


def _label(key, aliases):
    names = aliases.get(key) or ()
    return names[0] if names else key


def _find_header(filename, rows, index, aliases, required, scan_rows):
    best = None  # (number of required keys matched, row index)
    for row_idx, cells in enumerate(rows[: max(scan_rows, 1)]):
        if _is_blank(cells):
            continue
        mapping = _map_header(cells, index)
        found = set(mapping.values())
        matched = sum(1 for key in required if key in found)
        if matched == len(required) and (required or mapping):
            return row_idx, mapping
        if best is None or matched > best[0]:
            best = (matched, row_idx, found)
    wanted = required or list(aliases)
    params = {
        "columns": ", ".join(_label(key, aliases) for key in wanted),
        "scan_rows": scan_rows,
        "filename": filename,
    }
    if best is None or not best[0]:
        raise TableError(TEMPLATE_NO_HEADER, params)
    params["row"] = best[1] + 1
    params["missing"] = ", ".join(_label(key, aliases) for key in required if key not in best[2])
    raise TableError(TEMPLATE_HEADER_INCOMPLETE, params, row=best[1] + 1)


# ---------------------------------------------------------------------------
# Cell conversion


def _shown(value):
    """Cell value as put in a message: long texts are cut."""
    if isinstance(value, str) and len(value) > _MAX_VALUE_IN_MESSAGE:
        return value[: _MAX_VALUE_IN_MESSAGE - 3] + "..."
    return value


def _cell_error(template, value, row, column):
    params = {"row": row, "column": column, "value": _shown(value)}
    return TableError(template, params, row=row, column=column)


def to_text(value):
    """Cell value as normalised text: None -> '', integral floats without
    their '.0' (19038879107.0 -> '19038879107'), datetimes as
    'YYYY-MM-DD HH:MM:SS', dates as 'YYYY-MM-DD', then :func:`normalize_text`."""
    cls = value.__class__
    # fast paths (every cell of a 100,000-line statement comes here): ints, and ASCII texts with no
    # space to collapse or strip, which normalize_text would return unchanged
    if cls is str:
        if value.isascii() and value.isprintable() and "  " not in value and value.strip() == value:
            return value
    elif cls is int:
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        value = int(value)
    elif isinstance(value, datetime.datetime):
        value = value.isoformat(" ")
    elif isinstance(value, datetime.date | datetime.time):
        value = value.isoformat()
    return normalize_text(value)


def _parse_decimal(value):
    """Decimal, None for blank, or ValueError."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError(value)
    if isinstance(value, int | Decimal):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(str(value))  # 382.8 -> Decimal('382.8'), not its binary expansion
    else:
        text = normalize_text(value)
        if not text:
            return None
        negative = text.startswith("(") and text.endswith(")")  # accounting format
        if negative:
            text = text[1:-1].strip()
        for _step in range(2):  # sign before or after the currency: '-¥12', '¥-12'
            if text and text[0] in "+-":
                negative = negative != (text[0] == "-")
                text = text[1:].strip()
            text = _CURRENCY_SUFFIX_RE.sub("", _CURRENCY_PREFIX_RE.sub("", text))
        if _THOUSANDS_RE.fullmatch(text):
            text = text.replace(",", "")
        if not _NUMBER_RE.fullmatch(text):
            raise ValueError(value)
        result = Decimal(text)
        if negative:
            result = -result
    if not result.is_finite():
        raise ValueError(value)
    return result


def to_decimal(value, row, column, digits=None):
    """Number of a cell as a Decimal rounded half-up to ``digits`` decimals
    when given; None for a blank cell.

    Accepts ints, floats (through their shortest repr), Decimals and texts
    such as '1,234.50', '¥12', '12元', '-¥3', '(3.00)', full-width digits.
    :raise TableError: "Row 7, column 运费: 'abc' is not a number"
    """
    try:
        result = _parse_decimal(value)
        if result is not None and digits is not None:
            result = result.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    except (ValueError, InvalidOperation) as exc:
        raise _cell_error(TEMPLATE_NOT_A_NUMBER, value, row, column) from exc
    if result is not None and not result:
        result = result.copy_abs()  # no '-0.00'
    return result


def _from_excel_serial(serial):
    if not 1 <= serial < _EXCEL_MAX_SERIAL:
        raise ValueError(serial)
    return _EXCEL_EPOCH + datetime.timedelta(seconds=round(serial * 86400))


def _parse_datetime(value):
    """datetime, None for blank, or ValueError."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time())
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(value)
    if isinstance(value, int | float):
        if float(value).is_integer() and len(str(int(value))) == 8:  # 20261111
            return datetime.datetime.strptime(str(int(value)), "%Y%m%d")
        return _from_excel_serial(value)
    text = normalize_text(value)
    if not text:
        return None
    if text.isdigit():
        if len(text) not in _COMPACT_DATETIME_FORMATS:
            raise ValueError(value)
        return datetime.datetime.strptime(text, _COMPACT_DATETIME_FORMATS[len(text)])
    for date_format in _DATETIME_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format)
        except ValueError:
            continue
    raise ValueError(value)


def to_datetime(value, row, column):
    """Date and time of a cell (naive, as written in the file); None for a
    blank cell. Accepts datetimes, dates (at midnight), Excel serial numbers,
    '2026-11-11 22:45:00', '2026/11/11 22:45', '2026-11-11', '2026.11.11',
    '2026年11月11日 22:45', '20261111', '20261111224500'.
    :raise TableError: naming the row and column
    """
    try:
        return _parse_datetime(value)
    except (ValueError, OverflowError) as exc:
        raise _cell_error(TEMPLATE_NOT_A_DATETIME, value, row, column) from exc


def to_date(value, row, column):
    """Date of a cell (the time part of a datetime is dropped); None for a
    blank cell. Accepts what :func:`to_datetime` accepts.
    :raise TableError: naming the row and column
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        result = _parse_datetime(value)
    except (ValueError, OverflowError) as exc:
        raise _cell_error(TEMPLATE_NOT_A_DATE, value, row, column) from exc
    return result.date() if result is not None else None


def row_ranges(rows):
    """Row numbers as a short text for a message: [2, 3, 4, 7] -> '2-4, 7'."""
    numbers = sorted(set(rows))
    parts = []
    start = prev = None
    for number in numbers:
        if start is None:
            start = prev = number
        elif number == prev + 1:
            prev = number
        else:
            parts.append(f"{start}-{prev}" if prev != start else str(start))
            start = prev = number
    if start is not None:
        parts.append(f"{start}-{prev}" if prev != start else str(start))
    return ", ".join(parts)
