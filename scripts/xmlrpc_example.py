#!/usr/bin/env python3
"""XML-RPC example: log in, create (or find) a sales channel, read it back.

    python3 scripts/xmlrpc_example.py [--url http://localhost:8069]
        [--db omni] [--user admin] [--password admin] [--code WEB01]

Only the Python standard library is used, so other systems can copy it.
Errors come back as xmlrpc.client.Fault whose faultString holds Odoo's
message, e.g. a duplicate unit code names the channel that holds it.
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


def ensure_channel(call, code, name, platform="webshop"):
    """Id of the channel with this unit code, created when missing (so the
    example can run twice)."""
    found = call("omni.channel", "search", [("code", "=", code.upper())], limit=1)
    if found:
        return found[0], False
    return call("omni.channel", "create", [{"name": name, "code": code, "platform": platform}])[0], True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("ODOO_URL", "http://localhost:8069"))
    parser.add_argument("--db", default=os.environ.get("ODOO_DB", "omni"))
    parser.add_argument("--user", default=os.environ.get("ODOO_USER", "admin"))
    parser.add_argument("--password", default=os.environ.get("ODOO_PASSWORD", "admin"))
    parser.add_argument("--code", default="WEB01", help="unit code of the example channel")
    args = parser.parse_args(argv)

    uid, call = connect(args.url, args.db, args.user, args.password)
    print(f"logged in as uid {uid}")
    channel_id, created = ensure_channel(call, args.code, "Example web shop")
    print(("created" if created else "found") + f" channel id {channel_id}")
    [channel] = call(
        "omni.channel", "read", [channel_id], fields=["code", "name", "platform", "company_id", "warehouse_id"]
    )
    print(
        f"read back: unit code {channel['code']}, name {channel['name']!r}, platform {channel['platform']}, "
        f"company {channel['company_id'][1]!r}, warehouse {channel['warehouse_id'] and channel['warehouse_id'][1]!r}"
    )
    return channel


if __name__ == "__main__":
    try:
        main()
    except xmlrpc.client.Fault as fault:
        sys.exit(f"Odoo refused: {fault.faultString.strip().splitlines()[-1]}")
    except OSError as err:
        sys.exit(f"cannot reach Odoo: {err}")
