#!/usr/bin/env python3
"""XML-RPC example: purchase suggestions of a warehouse, then purchase requests.

    python3 scripts/xmlrpc_purchase_example.py [--url http://localhost:8069]
        [--db omni] [--user admin] [--password admin] [--warehouse WH]
        [--products CODE1,CODE2] [--request]

Prints each suggestion's figures (why this quantity); with --request turns
those with a vendor and a quantity into purchase requests (one per vendor).
Only the Python standard library is used. Errors come back as
xmlrpc.client.Fault whose faultString holds Odoo's message (unknown
warehouse, unknown products, no vendor, already ordered).
"""

import argparse
import os
import sys
import xmlrpc.client

MODEL = "omni.purchase.suggestion"


def connect(url, db, user, password):
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
    uid = common.login(db, user, password)
    if not uid:
        raise SystemExit(f"login refused for user {user!r} on database {db!r}")
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(model, method, *args, **kwargs):
        return models.execute_kw(db, uid, password, model, method, list(args), kwargs)

    return call


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("ODOO_URL", "http://localhost:8069"))
    parser.add_argument("--db", default=os.environ.get("ODOO_DB", "omni"))
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--warehouse", default="WH", help="warehouse code (or id)")
    parser.add_argument("--products", help="comma-separated internal references; default: all to order")
    parser.add_argument("--request", action="store_true", help="create purchase requests from the result")
    args = parser.parse_args(argv)
    call = connect(args.url, args.db, args.user, args.password)
    warehouse = int(args.warehouse) if args.warehouse.isdigit() else args.warehouse
    refs = args.products.split(",") if args.products else None
    try:
        items = call(MODEL, "get_purchase_suggestions", warehouse, refs)
    except xmlrpc.client.Fault as fault:
        print("refused:", fault.faultString, file=sys.stderr)
        return 1
    for item in items:
        print(
            f"{item['default_code'] or item['product']:<16} vendor={item['vendor'] or '-':<24} "
            f"daily={item['daily_sales']:.2f} σ={item['sigma']:.2f} lead={item['lead_days']}d "
            f"safety={item['safety_stock']:.1f} target={item['target_qty']:.1f} free={item['free_qty']:g} "
            f"open={item['open_po_qty']:g} requested={item['requested_qty']:g} -> {item['suggested_qty']:g} "
            f"{item['warning']}"
        )
    if args.request:
        ids = [i["id"] for i in items if i["vendor_id"] and i["suggested_qty"] > 0 and i["state"] == "new"]
        if not ids:
            print("nothing to request")
            return 0
        try:
            for request in call(MODEL, "create_purchase_requests", ids):
                print(f"created {request['name']} ({request['vendor']})")
        except xmlrpc.client.Fault as fault:
            print("refused:", fault.faultString, file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
