#!/usr/bin/env python3
"""XML-RPC example for the offline retail books: by unit code and day, pull
the channel's new platform orders (with their states), its posted retail
records and its received returns, then mark them exported.

    python3 scripts/xmlrpc_retail_ledger_example.py [--url http://localhost:8069]
        [--db omni] [--user admin] [--password admin] --code TMALL01
        [--date 2026-11-20] [--mark-exported]

Only the Python standard library is used, so other systems can copy it.
Without --mark-exported it only reads: run it again and it shows the same.
With it, a second run shows nothing new (each row is handed over once).
"""

import argparse
import datetime
import os
import sys
import xmlrpc.client

MODEL = "omni.retail.record"


def connect(url, db, user, password):
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
    uid = common.login(db, user, password)
    if not uid:
        raise SystemExit(f"login refused for user {user!r} on database {db!r}")
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(model, method, *args, **kwargs):
        return models.execute_kw(db, uid, password, model, method, list(args), kwargs)

    return uid, call


def pull(call, code, day, mark_exported=False, out=print):
    """Pull and print what is new for unit code ``code`` on ``day``;
    returns {orders, records, returns} as the server gave them."""
    orders = call(MODEL, "pull_orders", code, day)
    records = call(MODEL, "pull_records", code, day, day)
    returns = call(MODEL, "pull_returns", code, day, day)
    out(f"{code} {day}: {len(orders)} new orders, {len(records)} retail records, {len(returns)} returns")
    for order in orders:
        out(f"  order {order['platform_order_no']}: {order['state']}, paid {order['paid_amount']:.2f}")
    for record in records:
        out(
            f"  record {record['name']} ({record['kind']}, {record['state']}): untaxed {record['amount_untaxed']:.2f}"
            f" tax {record['amount_tax']:.2f} total {record['amount_total']:.2f}, {len(record['lines'])} documents,"
            f" entry {record['journal_entry']}"
        )
    for aftersale in returns:
        out(
            f"  return {aftersale['name']} of {aftersale['platform_order_no']}: refund {aftersale['refund_amount']:.2f}"
        )
    if mark_exported:
        marked = (
            call(MODEL, "mark_exported", "omni.order", [o["id"] for o in orders])
            + call(MODEL, "mark_exported", MODEL, [r["id"] for r in records])
            + call(MODEL, "mark_exported", "omni.aftersale", [a["id"] for a in returns])
        )
        out(f"marked {marked} rows exported")
    return {"orders": orders, "records": records, "returns": returns}


def main(argv=None, out=print):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("ODOO_URL", "http://localhost:8069"))
    parser.add_argument("--db", default=os.environ.get("ODOO_DB", "omni"))
    parser.add_argument("--user", default=os.environ.get("ODOO_USER", "admin"))
    parser.add_argument("--password", default=os.environ.get("ODOO_PASSWORD", "admin"))
    parser.add_argument("--code", required=True, help="unit code of the channel, e.g. TMALL01")
    parser.add_argument(
        "--date", default=(datetime.date.today() - datetime.timedelta(days=1)).isoformat(), help="day (ISO)"
    )
    parser.add_argument("--mark-exported", action="store_true", help="mark what was read as exported")
    args = parser.parse_args(argv)

    uid, call = connect(args.url, args.db, args.user, args.password)
    out(f"logged in as uid {uid}")
    return pull(call, args.code, args.date, args.mark_exported, out=out)


if __name__ == "__main__":
    try:
        main()
    except xmlrpc.client.Fault as fault:
        sys.exit(f"Odoo refused: {fault.faultString.strip().splitlines()[-1]}")
    except OSError as err:
        sys.exit(f"cannot reach Odoo: {err}")
