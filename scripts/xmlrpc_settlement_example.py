#!/usr/bin/env python3
"""XML-RPC example for platform settlements: import a platform's statement
file (Alipay 账务明细 CSV, JD wallet .xlsx, Pinduoduo 账务明细 CSV, Douyin
资金流水 CSV) for a channel, show its lines by state and, with --post, post it.

    python3 scripts/xmlrpc_settlement_example.py [--url http://localhost:8069]
        [--db omni] [--user admin] [--password admin] --code TMALL01
        --file ../shared/samples/settlements/alipay_TMALL01_2026-11.csv [--post]

Only the Python standard library is used, so other systems can copy it.
The same file imported again returns the same statement (nothing doubled).
"""

import argparse
import base64
import os
import sys
import xmlrpc.client
from pathlib import Path

MODEL = "omni.settlement"


def connect(url, db, user, password):
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
    uid = common.login(db, user, password)
    if not uid:
        raise SystemExit(f"login refused for user {user!r} on database {db!r}")
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(model, method, *args, **kwargs):
        return models.execute_kw(db, uid, password, model, method, list(args), kwargs)

    return uid, call


def import_statement(call, code, path, post=False, out=print):
    """Import the file at ``path`` for unit code ``code``; print the
    statement and its lines by state; post it when asked. Returns the
    statement as read after all that."""
    path = Path(path)
    content = base64.b64encode(path.read_bytes()).decode()
    statement_id = call(MODEL, "import_file", code, path.name, content)
    fields = ["name", "state", "date_from", "date_to", "opening_balance", "closing_balance", "line_count",
              "open_count", "unmapped_count", "duplicate_count", "balance_break_line_id"]  # fmt: skip
    [statement] = call(MODEL, "read", [statement_id], fields)
    out(
        f"{statement['name']} ({code} {statement['date_from']}..{statement['date_to']}): {statement['line_count']} "
        f"lines, {statement['open_count']} to check, {statement['unmapped_count']} fee type unknown, "
        f"{statement['duplicate_count']} duplicates, state {statement['state']}"
    )
    groups = call(
        "omni.settlement.line", "read_group", [("settlement_id", "=", statement_id)], ["amount:sum"], ["state"],
        lazy=False,
    )  # fmt: skip
    for group in sorted(groups, key=lambda g: g["state"]):
        out(f"  {group['state']:<22} {group['__count']:>7} lines {group['amount']:>14.2f}")
    if statement["balance_break_line_id"]:
        out(f"  running balance breaks at line {statement['balance_break_line_id'][1]}")
    if post and statement["state"] == "imported":
        call(MODEL, "action_post", [statement_id])
        [statement] = call(MODEL, "read", [statement_id], ["name", "state", "move_ids"])
        out(f"posted: {len(statement['move_ids'])} journal entries")
    return statement


def main(argv=None, out=print):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("ODOO_URL", "http://localhost:8069"))
    parser.add_argument("--db", default=os.environ.get("ODOO_DB", "omni"))
    parser.add_argument("--user", default=os.environ.get("ODOO_USER", "admin"))
    parser.add_argument("--password", default=os.environ.get("ODOO_PASSWORD", "admin"))
    parser.add_argument("--code", required=True, help="unit code of the channel, e.g. TMALL01")
    parser.add_argument("--file", required=True, help="the platform's statement file")
    parser.add_argument("--post", action="store_true", help="post the statement once imported")
    args = parser.parse_args(argv)
    uid, call = connect(args.url, args.db, args.user, args.password)
    out(f"logged in as uid {uid}")
    return import_statement(call, args.code, args.file, args.post, out=out)


if __name__ == "__main__":
    try:
        main()
    except xmlrpc.client.Fault as fault:
        sys.exit(f"Odoo refused: {fault.faultString.strip().splitlines()[-1]}")
    except OSError as err:
        sys.exit(f"cannot reach Odoo: {err}")
