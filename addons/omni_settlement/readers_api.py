# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reader of the settlement lines pulled through a platform adapter
(``PlatformAdapter.pull_settlements``, public settlement shape), kept as a
JSON file so that they go through the same import as a statement file: the
same lines of the same period give the same file, hence the same statement.

Pure Python: no Odoo import; message templates are translated by the caller.
"""

import datetime
import json

from odoo.addons.omni_base.tools import tabular

from .readers import TEMPLATE_EMPTY_AMOUNT, TEMPLATE_EMPTY_SERIAL, Statement, _fast_datetime, _lt

#: the ``format`` key of a file of pulled lines
API_FORMAT = "omni_platform_settlements"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# pylint: disable=prefer-env-translation
TEMPLATE_BAD_API_FILE = _lt("File '%(filename)s' is not a file of settlement lines pulled from a platform.")


def api_content(lines, channel_code, adapter_kind, period_from, period_to):
    """The file of ``lines`` (public settlement shape) pulled for the channel
    over [period_from, period_to) (naive China times): canonical JSON, lines
    in time and serial order, so that the same lines give the same bytes."""
    ordered = sorted(lines, key=lambda line: (line.get("line_at") or "", line.get("serial_no") or ""))
    data = {
        "format": API_FORMAT,
        "channel": channel_code,
        "adapter": adapter_kind,
        "period_from": period_from.strftime(TIME_FORMAT),
        "period_to": period_to.strftime(TIME_FORMAT),
        "lines": ordered,
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def is_api_content(content):
    if not content[:1] == b"{":
        return False
    try:
        data = json.loads(bytes(content).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return False
    return isinstance(data, dict) and data.get("format") == API_FORMAT


def read_api(filename, content):
    try:
        data = json.loads(bytes(content).decode("utf-8"))
        lines = data["lines"]
        period_from = datetime.datetime.strptime(data["period_from"], TIME_FORMAT)
        period_to = datetime.datetime.strptime(data["period_to"], TIME_FORMAT)
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise tabular.TableError(TEMPLATE_BAD_API_FILE, {"filename": filename}) from exc
    if data.get("format") != API_FORMAT or not isinstance(lines, list):
        raise tabular.TableError(TEMPLATE_BAD_API_FILE, {"filename": filename})
    statement = Statement("api", period_from=period_from, period_to=period_to)

    def rows():
        for row, line in enumerate(lines, start=1):
            if not isinstance(line, dict):
                raise tabular.TableError(TEMPLATE_BAD_API_FILE, {"filename": filename}, row=row)
            serial = str(line.get("serial_no") or "").strip()
            if not serial:
                raise tabular.TableError(TEMPLATE_EMPTY_SERIAL, {"row": row, "column": "serial_no"}, row=row)
            if line.get("amount") in (None, ""):
                raise tabular.TableError(TEMPLATE_EMPTY_AMOUNT, {"row": row}, row=row)
            balance = line.get("balance")
            yield {
                "row_no": row,
                "sheet": None,
                "serial_no": serial,
                "line_at": _fast_datetime(line.get("line_at") or "", row, "line_at"),
                "order_ref": str(line.get("order_ref") or "").strip() or None,
                "sub_order_ref": str(line.get("sub_order_ref") or "").strip() or None,
                "type_text": str(line.get("type_text") or "").strip(),
                "amount": tabular.to_decimal(line["amount"], row, "amount", digits=2),
                "fee_amount": tabular.to_decimal(line.get("fee_amount") or "0", row, "fee_amount", digits=2),
                "balance": None if balance in (None, "") else tabular.to_decimal(balance, row, "balance", digits=2),
                "raw": json.dumps(line.get("raw") or {}, ensure_ascii=False, sort_keys=True),
            }

    statement.rows = rows()
    return statement
