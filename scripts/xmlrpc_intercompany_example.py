#!/usr/bin/env python3
"""XML-RPC example for inter-company supply (wholesale -> retail): create a
goods request (请货), read its state on both sides, check the two books.

    # a retail buyer: request goods from the wholesale company, confirm, show both sides
    python3 scripts/xmlrpc_intercompany_example.py [--url http://localhost:8069] [--db omni]
        --user buyer --password ... --supplier "Wholesale Co" --line TEA-250G:10 --line HONEY-500G:4

    # the same request later: wholesale's sale order, delivery and invoice, retail's receipt and bill
    python3 scripts/xmlrpc_intercompany_example.py --user buyer --password ... --request P00012

    # an accountant of both companies: receivable = payable, goods in transit, mismatches
    python3 scripts/xmlrpc_intercompany_example.py --user auditor --password ... --check [--date 2026-11-30]

Only the Python standard library is used, so other systems can copy it.
"""

import argparse
import os
import sys
import xmlrpc.client


def connect(url, db, user, password):
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
    uid = common.login(db, user, password)
    if not uid:
        raise SystemExit(f"login refused for user {user!r} on database {db!r}")
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(model, method, *args, **kwargs):
        return models.execute_kw(db, uid, password, model, method, list(args), kwargs)

    return uid, call


def create_request(call, supplier, lines):
    """Create and confirm a purchase order to ``supplier`` (the wholesale
    company's name, as in the inter-company rule) for ``lines`` [(default
    code, quantity)]; returns its id. Confirming it makes wholesale's sale
    order; the transfer prices replace the prices given here."""
    rules = call(
        "omni.intercompany.rule", "search_read", [("supplier_partner_id.name", "=", supplier)], ["supplier_partner_id"]
    )
    if not rules:
        raise SystemExit(f"no inter-company rule with supplier company {supplier!r}")
    codes = [code for code, _qty in lines]
    products = call("product.product", "search_read", [("default_code", "in", codes)], ["default_code"])
    by_code = {p["default_code"]: p["id"] for p in products}
    missing = sorted(set(codes) - set(by_code))
    if missing:
        raise SystemExit(f"unknown product codes: {', '.join(missing)}")
    order_id = call(
        "purchase.order",
        "create",
        {
            "partner_id": rules[0]["supplier_partner_id"][0],
            "order_line": [(0, 0, {"product_id": by_code[code], "product_qty": qty}) for code, qty in lines],
        },
    )
    call("purchase.order", "button_confirm", [order_id])
    return order_id


def show_state(call, order_ids, out=print):
    """Print and return both sides of the goods requests ``order_ids``."""
    states = call("purchase.order", "get_intercompany_state", order_ids)
    for st in states:
        out(
            f"{st['name']} ({st['state']}): ordered {st['ordered']:g}, received {st['received']:g},"
            f" billed {st['billed']:g}"
        )
        out(
            f"  {st['supplier_company']} sale order {st['sale_order'] or '-'} ({st['sale_state'] or '-'}):"
            f" delivered {st['delivered']:g}, invoiced {st['invoiced']:g}"
        )
        for kind in ("invoices", "bills"):
            for doc in st[kind]:
                name = doc["name"] or "(draft)"
                out(f"  {kind[:-1]} {name} {doc['state']}: {doc['amount_total']:.2f} {doc['currency']}")
    return states


def check(call, date=None, out=print):
    """Check every inter-company rule the user sees; returns the results."""
    results = []
    for rule_id in call("omni.intercompany.rule", "search", []):
        result = call("omni.intercompany.rule", "action_check", [rule_id], **({"date": date} if date else {}))
        results.append(result)
        out(f"{result['rule']} on {result['date']}: {'books agree' if result['agree'] else 'MISMATCHES'}")
        for bal in result["balances"]:
            out(
                f"  {bal['currency']}: receivable {bal['receivable']:.2f}, payable {bal['payable']:.2f},"
                f" difference {bal['difference']:.2f}"
            )
        for item in result["transit"]:
            out(
                f"  in transit: {item['quantity']:g} {item['product']} ({item['sale_order']} -> "
                f"{item['purchase_order']}), cost {item['cost']:.2f} {item['currency']}"
            )
        for item in result["mismatches"]:
            out(
                f"  {item['label']}: {item['supplier_document']} / {item['customer_document']}"
                f" ({item['supplier_amount']:.2f} / {item['customer_amount']:.2f})"
            )
    return results


def parse_line(text):
    code, sep, qty = text.rpartition(":")
    if not sep or not code:
        raise argparse.ArgumentTypeError(f"{text!r}: expected CODE:QUANTITY")
    return code, float(qty)


def main(argv=None, out=print):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("ODOO_URL", "http://localhost:8069"))
    parser.add_argument("--db", default=os.environ.get("ODOO_DB", "omni"))
    parser.add_argument("--user", default=os.environ.get("ODOO_USER", "admin"))
    parser.add_argument("--password", default=os.environ.get("ODOO_PASSWORD", "admin"))
    parser.add_argument("--supplier", help="the wholesale company's name: create a goods request to it")
    parser.add_argument("--line", type=parse_line, action="append", default=[], help="CODE:QUANTITY (repeat)")
    parser.add_argument("--request", action="append", default=[], help="name of a goods request to show (repeat)")
    parser.add_argument("--check", action="store_true", help="check the inter-company balances")
    parser.add_argument("--date", help="balance date (ISO) for --check; today by default")
    args = parser.parse_args(argv)
    if not (args.supplier or args.request or args.check):
        parser.error("give --supplier with --line, --request or --check")

    uid, call = connect(args.url, args.db, args.user, args.password)
    out(f"logged in as uid {uid}")
    result = {}
    if args.supplier:
        if not args.line:
            parser.error("--supplier needs at least one --line CODE:QUANTITY")
        order_id = create_request(call, args.supplier, args.line)
        result["requests"] = show_state(call, [order_id], out=out)
    if args.request:
        order_ids = call("purchase.order", "search", [("name", "in", args.request)])
        result["requests"] = show_state(call, order_ids, out=out)
    if args.check:
        result["checks"] = check(call, args.date, out=out)
    return result


if __name__ == "__main__":
    try:
        main()
    except xmlrpc.client.Fault as fault:
        sys.exit(f"Odoo refused: {fault.faultString.strip().splitlines()[-1]}")
    except OSError as err:
        sys.exit(f"cannot reach Odoo: {err}")
