#!/usr/bin/env python3
"""Benchmark: waybill numbers and print tasks of 1,000 deliveries, batched vs one request per delivery.

    scripts/bench.sh waybill_batch [--deliveries 1000] [--latency-ms 50] [--service pdd]

Fixtures (committed, reused by later runs): a courier 'BWB' (ZTO through
the chosen service: Pinduoduo e-waybills by default, or Douyin's), the
service's account pointing at a local stand-in (the test stand-in of the
provider addon, started by this script on 127.0.0.1), and 2 x D deliveries
ready to ship (state assigned, outgoing, courier BWB, a buyer in one of the
34 provinces), inserted with direct SQL (minimal stock.picking rows, no
moves: what is measured is the waybill request, not the making of
deliveries).

Each answer of the stand-in takes --latency-ms (the network and the
service: a waybill call from a Chinese data centre answers in about 50 to
300 ms; 0 measures our own overhead only). In one run, each on its own D
deliveries and rolled back afterwards (the fixtures stay):
  naive   the deliveries list action with the service's batch size forced
          to 1: one request per delivery (what a loop calling the service
          for each delivery does), then the print tasks;
  ours    the same action (stock.picking.action_omni_waybill_print_batch):
          the numbers asked in the service's batches (Pinduoduo: 10 per
          pdd.waybill.get; Douyin: 10 per newCreateOrder + 10 per
          waybillApply), the print tasks in picking order.
Checks (exit 1 otherwise): every delivery has its own number and its
tracking reference; the service issued exactly those numbers; the number of
service calls is ceil(D / batch) (naive: D); the print task holds every
delivery's label once, in picking order. Prints naive, ours and the ratio
last. Speed is never asserted in tests.
"""

import math
import sys
import time
from unittest.mock import patch

from bench_common import arg_parser, odoo_env

CODE = "BWB"
PREFIX = "BWB/OUT/"


def parse_args():
    parser = arg_parser(__doc__)
    parser.add_argument("--deliveries", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--service", choices=("pdd", "douyin"), default="pdd")
    parser.smoke_sizes(deliveries=25, latency_ms=0.0)
    return parser.parse_args()


def load_stand_in(*files):
    """The tests' stand-ins, loaded from their files under their module
    names: importing them as odoo.addons.<addon>.tests.<file> would import
    the addons' tests packages, hence Odoo's test framework, outside test
    mode. Returns the last module."""
    import importlib.util
    import pathlib

    addons = pathlib.Path(__file__).resolve().parents[1] / "addons"
    module = None
    for relative in files:
        name = "odoo.addons." + relative.removesuffix(".py").replace("/", ".")
        if name not in sys.modules:
            spec = importlib.util.spec_from_file_location(name, addons / relative)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
        module = sys.modules[name]
    return module


def start_stub(service):
    """(stand-in, app key, secret, token, base URL, count of the numbers' calls)."""
    key, secret, token = "bench-app-key", "bench-app-secret", "bench-access-token"
    if service == "pdd":
        module = load_stand_in(
            "omni_platform/tests/platform_stub.py",
            "omni_platform_pdd/tests/pdd_stub.py",
            "omni_waybill_pdd/tests/pdd_waybill_stub.py",
        )
        stub = module.PddWaybillStub(app_key=key, app_secret=secret, access_token=token, branches={"ZTO": 10**9})
        stub.start()
        return stub, key, secret, token, stub.router_url, lambda: len(stub.calls("pdd.waybill.get"))
    module = load_stand_in(
        "omni_platform/tests/platform_stub.py",
        "omni_platform_douyin/tests/douyin_stub.py",
        "omni_waybill_douyin/tests/douyin_waybill_stub.py",
    )
    stub = module.DouyinWaybillStub(app_key=key, app_secret=secret, access_token=token, balance={"zhongtong": 10**9})
    stub.start()
    return stub, key, secret, token, stub.url, lambda: len(stub.calls("logistics.newCreateOrder"))


def fixture_carrier(env, service):
    Carrier = env["delivery.carrier"].with_context(active_test=False)
    carrier = Carrier.search([("omni_courier_code", "=", CODE), ("delivery_type", "=", service)], limit=1)
    template = "https://file.pinduoduo.com/kuaidi/template/zhongtong_std.ucml"
    if carrier:
        return carrier
    product = env["product.product"].create({"name": "Bench waybill freight", "type": "service"})
    return Carrier.create(
        {
            "name": f"Bench ZTO ({service})",
            "delivery_type": service,
            "omni_courier_code": CODE,
            "pdd_wp_code": "ZTO",
            "douyin_logistics_code": "zhongtong",
            "omni_waybill_template_url": template,
            "product_id": product.id,
            "company_id": env.company.id,
        }
    )


def fixture_account(env, service, key, secret, token, url):
    Account = env["omni.waybill.account"].with_context(active_test=False)
    account = Account.search([("service", "=", service), ("company_id", "=", env.company.id),
                              ("channel_id", "=", False)], limit=1)  # fmt: skip
    sender = env["res.partner"].search([("name", "=", "Bench warehouse")], limit=1) or env["res.partner"].create(
        {"name": "Bench warehouse", "phone": "13800000000", "city": "上海市", "street2": "浦东新区",
         "street": "申江路 1 号", "state_id": env.ref("base.state_cn_SH").id, "country_id": env.ref("base.cn").id}
    )  # fmt: skip
    vals = {"endpoint_url": url, "app_key": key, "app_secret": secret, "access_token": token, "active": True,
            "timeout": 30, "sender_id": sender.id}  # fmt: skip
    if account:
        account.write(vals)
    else:
        account = Account.create({"name": f"Bench {service}", "service": service, **vals})
    return account


def fixture_deliveries(env, carrier, count):
    """2 x count deliveries ready to ship (SQL, committed, reused)."""
    cr = env.cr
    cr.execute("SELECT count(*) FROM stock_picking WHERE name LIKE %s AND carrier_id = %s", [PREFIX + "%", carrier.id])
    have = cr.fetchone()[0]
    states = env["res.country.state"].search([("country_id.code", "=", "CN")], order="id")
    Partner = env["res.partner"]
    partners = []
    for state in states:
        partner = Partner.search([("name", "=", f"Bench receiver {state.name}")], limit=1) or Partner.create(
            {"name": f"Bench receiver {state.name}", "state_id": state.id, "country_id": state.country_id.id,
             "city": state.name, "street": "中山路 1 号", "phone": "13900000000"}
        )  # fmt: skip
        partners.append(partner.id)
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    customers = env.ref("stock.stock_location_customers")
    start = time.perf_counter()
    if have < 2 * count:
        from psycopg2.extras import execute_values

        rows = []
        for i in range(have, 2 * count):
            # scheduled over a day, a few urgent: the picking order is not the id order
            scheduled = f"2026-11-10 {i % 24:02d}:{(i * 7) % 60:02d}:00"
            rows.append(
                (f"{PREFIX}{carrier.delivery_type}/{i:06d}", warehouse.out_type_id.id, warehouse.lot_stock_id.id,
                 customers.id, env.company.id, partners[i % len(partners)], "assigned", "direct", scheduled,
                 scheduled, carrier.id, "1" if i % 17 == 0 else "0", 1.2, 1, scheduled, 1, scheduled)
            )  # fmt: skip
        execute_values(
            cr._obj,
            """INSERT INTO stock_picking (name, picking_type_id, location_id, location_dest_id, company_id,
                   partner_id, state, move_type, date, scheduled_date, carrier_id, priority, omni_parcel_weight,
                   create_uid, create_date, write_uid, write_date) VALUES %s""",
            rows,
            page_size=5000,
        )
        cr.commit()
    cr.execute(
        "SELECT id FROM stock_picking WHERE name LIKE %s AND carrier_id = %s ORDER BY id LIMIT %s",
        [PREFIX + "%", carrier.id, 2 * count],
    )
    ids = [row[0] for row in cr.fetchall()]
    done = "reused" if have >= 2 * count else f"inserted in {time.perf_counter() - start:.1f} s"
    print(f"{'deliveries fixtures (SQL, not timed)':<40}: {len(ids):7,d} ready to ship ({done})")
    Picking = env["stock.picking"]
    return Picking.browse(ids[:count]), Picking.browse(ids[count:])


def run(env, pickings, calls, batch_patch=None):
    """(seconds, service calls, action result) of the list action on ``pickings``."""
    before = calls()
    start = time.perf_counter()
    if batch_patch:
        with patch.object(type(env["delivery.carrier"]), batch_patch, lambda self: 1):
            result = pickings.action_omni_waybill_print_batch()
    else:
        result = pickings.action_omni_waybill_print_batch()
    env.flush_all()
    return time.perf_counter() - start, calls() - before, result


def check(env, pickings, stub, result, calls, batch):
    """Problems found (empty: all good)."""
    problems = []
    pickings.invalidate_recordset()
    ordered = pickings._omni_picking_order()
    numbers = [p.carrier_tracking_ref for p in ordered]
    if not all(numbers) or len(set(numbers)) != len(numbers):
        problems.append(f"{sum(1 for n in numbers if not n)} deliveries without number, or numbers shared")
    if not set(numbers) <= set(stub.live_numbers()):
        problems.append("numbers the service did not issue")
    if calls != math.ceil(len(pickings) / batch):
        problems.append(f"{calls} service calls for {len(pickings)} deliveries, batch {batch}")
    (task,) = result["params"]["tasks"] or [None]
    documents = [d["documentID"] for d in (task or {}).get("payload", {}).get("task", {}).get("documents", [])]
    if documents != numbers:
        problems.append("the print task is not every label once in picking order")
    if result["params"]["errors"]:
        problems.append(f"errors: {result['params']['errors'][:3]}")
    return problems


def main():
    args = parse_args()
    _odoo, env = odoo_env(args)
    env = env(context=dict(env.context, tracking_disable=True))
    stub, key, secret, token, url, calls = start_stub(args.service)
    try:
        with env.cr:
            carrier = fixture_carrier(env, args.service)
            fixture_account(env, args.service, key, secret, token, url)
            env.cr.commit()
            naive_set, ours_set = fixture_deliveries(env, carrier, args.deliveries)
            batch = carrier._omni_waybill_batch_size()
            stub.latency = args.latency_ms / 1000
            print(f"{'service stand-in':<40}: {args.service}, {args.latency_ms:.0f} ms per answer, batch {batch}")

            naive_s, naive_calls, naive_result = run(env, naive_set, calls, f"_{args.service}_waybill_batch_size")
            problems = [f"naive: {p}" for p in check(env, naive_set, stub, naive_result, naive_calls, 1)]
            env.cr.rollback()
            env.invalidate_all()
            print(
                f"{'naive  one request per delivery':<40}: {args.deliveries:7,d} deliveries, "
                f"{naive_calls:5,d} calls, {naive_s:8.2f} s"
            )

            ours_s, ours_calls, ours_result = run(env, ours_set, calls)
            problems += [f"ours: {p}" for p in check(env, ours_set, stub, ours_result, ours_calls, batch)]
            env.cr.rollback()
            print(f"{'ours   one request per service batch':<40}: {args.deliveries:7,d} deliveries, "
                  f"{ours_calls:5,d} calls, {ours_s:8.2f} s")  # fmt: skip
    finally:
        stub.stop()
    print(f"{'check  numbers, calls, print order':<40}: " + ("OK" if not problems else "; ".join(problems)))
    print(f"{'ratio  naive / ours':<40}: {naive_s / ours_s:8.1f} x")
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
