#!/usr/bin/env python3
"""Benchmark: platform order file -> confirmed, reserved sale orders.

    scripts/bench.sh order_intake [--orders 10000] [--naive-orders 1000] [--workers 1,2]

Generates a file of N orders (2-3 lines each, bundles among the SKUs) and
measures, in one run:
  naive   per order: find/create the customer, look up each SKU, create the
          sale order, confirm it, commit (what a per-order import script does);
          run on the first --naive-orders orders of the file (it is linear);
  ours    omni.order.import_file (stage + check, committed), then the
          confirmation jobs run by a real Odoo server in prefork mode with
          queue_job's runner and W job workers, until every order is
          confirmed and its stock reserved; once per --workers value.
Prints orders/s for each, the ratio last. Speed is never asserted in tests.
"""

import base64
import csv
import io
import os
import random
import signal
import socket
import subprocess
import sys
import time

from bench_common import arg_parser, odoo_env

FILE_HEADER = [
    "平台单位编码", "平台订单号", "下单时间", "买家昵称", "收货人", "手机", "省", "市", "区", "详细地址",
    "平台商家编码", "数量", "单价", "运费", "付款方式", "实付金额", "买家留言",
]  # fmt: skip
PLACES = [("江苏省", "南京市", "鼓楼区"), ("广东省", "深圳市", "南山区"), ("浙江省", "杭州市", "西湖区"),
          ("北京市", "北京市", "朝阳区"), ("上海市", "上海市", "浦东新区"), ("四川省", "成都市", "武侯区")]  # fmt: skip
N_PRODUCTS = 20


def parse_args():
    parser = arg_parser(__doc__)
    parser.add_argument("--orders", type=int, default=10000)
    parser.add_argument("--naive-orders", type=int, default=1000)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds to wait for the jobs of one run")
    return parser.parse_args()


def fixtures(env, tag):
    """Products with plenty of stock, two channels (naive, ours) with the
    same relation table: 20 plain SKUs and 5 bundles."""
    Product = env["product.product"]
    products = Product.search([("default_code", "=like", "BENCH-%")], order="default_code")
    if len(products) < N_PRODUCTS:
        products = Product.create(
            [
                {
                    "name": f"Bench product {i}",
                    "default_code": f"BENCH-{i:02d}",
                    "is_storable": True,
                    "list_price": 10 + i,
                }
                for i in range(N_PRODUCTS)
            ]
        )
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    for product in products:
        if product.qty_available < 10_000_000:
            env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 10_000_000)
    skus = {}
    for i, product in enumerate(products):
        skus[f"SKU-{i:02d}"] = [(product, 1.0)]
    for b in range(5):
        skus[f"BUNDLE-{b}"] = [(products[b], 0.5), (products[b + 5], 2.0)]
    channel = make_channel(env, f"B{tag}N", warehouse, skus)
    env.cr.commit()
    return channel, warehouse, skus


def make_channel(env, code, warehouse, skus):
    channel = env["omni.channel"].create({"name": f"Bench {code}", "code": code, "warehouse_id": warehouse.id})
    env["omni.product.mapping"].create(
        [
            {"channel_id": channel.id, "platform_sku": sku, "product_id": product.id, "quantity": qty}
            for sku, parts in skus.items()
            for product, qty in parts
        ]
    )
    return channel


def generate_orders(n, seed=7):
    rng = random.Random(seed)
    sku_names = [f"SKU-{i:02d}" for i in range(N_PRODUCTS)] + [f"BUNDLE-{b}" for b in range(5)]
    orders = []
    for i in range(n):
        province, city, district = rng.choice(PLACES)
        lines = [(rng.choice(sku_names), rng.randint(1, 3), rng.choice([19.9, 29.0, 59.0, 99.0]))
                 for _ in range(rng.choice([2, 3]))]  # fmt: skip
        shipping = rng.choice([0, 6])
        orders.append(
            {
                "no": f"{i:06d}",
                "time": f"2026-11-11 {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00",
                "nick": f"buyer_{i}",
                "name": rng.choice(["刘洋", "赵敏", "陈静", "王芳", "张伟", "杨磊"]) + str(i % 997),
                "phone": f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}",
                "place": (province, city, district),
                "address": f"建国路{rng.randint(1, 999)}号{i % 50}栋",
                "lines": lines,
                "shipping": shipping,
                "payment": rng.choice(["在线支付", "货到付款"]),
                "paid": round(sum(q * p for _s, q, p in lines) + shipping, 2),
            }
        )
    return orders


def order_file(orders, code):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(FILE_HEADER)
    for o in orders:
        for sku, qty, price in o["lines"]:
            writer.writerow([code, f"{code}-{o['no']}", o["time"], o["nick"], o["name"], o["phone"], *o["place"],
                             o["address"], sku, qty, price, o["shipping"], o["payment"], o["paid"], ""])  # fmt: skip
    return buffer.getvalue().encode("utf-8")


def run_naive(env, orders, channel, skus):
    """Per order: customer search/create, per-line SKU search, create, confirm, commit."""
    from odoo import Command

    from odoo.addons.omni_channel.tools import guard

    # a channel sale order is made by the confirmation only: the naive path passes the same guard
    Partner, Mapping, Sale = env["res.partner"], env["omni.product.mapping"], guard.internal(env["sale.order"])
    start = time.perf_counter()
    for o in orders:
        partner = Partner.search([("name", "=", o["name"]), ("phone", "=", o["phone"])], limit=1)
        if not partner:
            partner = Partner.create(
                {"name": o["name"], "phone": o["phone"], "street": o["address"], "city": o["place"][1]}
            )
        lines = []
        for sku, qty, price in o["lines"]:
            for mapping in Mapping.search([("channel_id", "=", channel.id), ("platform_sku", "=", sku)]):
                lines.append(Command.create({"product_id": mapping.product_id.id,
                                             "product_uom_qty": qty * mapping.quantity,
                                             "price_unit": price / mapping.quantity}))  # fmt: skip
        sale = Sale.create({"partner_id": partner.id, "client_order_ref": o["no"], "order_line": lines,
                            "warehouse_id": channel.warehouse_id.id, "omni_channel_id": channel.id})  # fmt: skip
        sale.action_confirm()
        env.cr.commit()
    return time.perf_counter() - start


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args, workers):
    port = free_port()
    # W jobs at once in all: confirmation chunks side by side, the stock
    # reservation one chunk at a time (it competes for the same quants)
    env = dict(os.environ, ODOO_QUEUE_JOB_CHANNELS=f"root:{workers},root.omni_import:{workers},root.omni_reserve:1")
    cmd = [sys.executable, os.path.join(args.odoo_src, "odoo-bin"), "-c", args.config, "-d", args.db,
           f"--workers={workers + 1}", "--max-cron-threads=0", f"--http-port={port}", "--http-interface=127.0.0.1",
           "--gevent-port", str(free_port()), "--limit-time-real=3600", "--limit-time-cpu=3600",
           "--limit-memory-soft=4294967296", "--limit-memory-hard=5368709120", "--log-level=warn"]  # fmt: skip
    log = open(f"/tmp/omni_bench_server_{workers}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                time.sleep(3)  # let the job runner connect
                return proc
        except OSError:
            time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGTERM)
    raise SystemExit(f"Odoo did not start; see /tmp/omni_bench_server_{workers}.log")


def stop_server(proc):
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def run_ours(args, env, orders, channel, workers):
    content = order_file(orders, channel.code)
    proc = start_server(args, workers)
    try:
        start = time.perf_counter()
        summary = env["omni.order"].import_file(f"bench_{channel.code}.csv", base64.b64encode(content))
        env.cr.commit()
        staged = time.perf_counter() - start
        if summary["created"] != len(orders) or summary["errors"]:
            raise SystemExit(f"unexpected import result: { {k: v for k, v in summary.items() if k != 'errors'} } "
                             f"{summary['errors'][:3]}")  # fmt: skip
        deadline = time.time() + args.timeout
        while True:
            env.cr.execute(
                "SELECT count(*) FILTER (WHERE state = 'confirmed'), count(*) FROM omni_order WHERE channel_id = %s",
                [channel.id],
            )
            confirmed, total = env.cr.fetchone()
            env.cr.execute("SELECT count(*) FROM queue_job WHERE state IN ('pending', 'enqueued', 'started')")
            running = env.cr.fetchone()[0]
            env.cr.commit()
            if confirmed == total and not running:
                break
            env.cr.execute("SELECT count(*) FROM queue_job WHERE state = 'failed'")
            if env.cr.fetchone()[0]:
                raise SystemExit("a job failed: see queue_job and /tmp/omni_bench_server_*.log")
            if time.time() > deadline:
                raise SystemExit(f"timeout: {confirmed}/{total} confirmed")
            time.sleep(0.5)
        elapsed = time.perf_counter() - start
    finally:
        stop_server(proc)
    env.cr.execute(
        """SELECT count(*) FROM stock_move m JOIN sale_order_line l ON l.id = m.sale_line_id
           JOIN sale_order s ON s.id = l.order_id
           WHERE s.omni_channel_id = %s AND m.state != 'assigned'""",
        [channel.id],
    )
    unreserved = env.cr.fetchone()[0]
    return elapsed, staged, unreserved


def main():
    args = parse_args()
    odoo, env = odoo_env(args)
    tag = time.strftime("%H%M%S")
    naive_channel, warehouse, skus = fixtures(env, tag)
    orders = generate_orders(args.orders)
    lines = sum(len(o["lines"]) for o in orders)
    print(f"file: {len(orders)} orders, {lines} lines; naive path on the first {args.naive_orders} orders")
    naive_n = min(args.naive_orders, len(orders))
    naive_s = run_naive(env, orders[:naive_n], naive_channel, skus)
    naive_rate = naive_n / naive_s
    print(
        f"naive  per-order create + confirm     : {naive_n:6d} orders in {naive_s:8.1f} s = {naive_rate:7.1f} orders/s"
    )
    rates = {}
    for workers in [int(w) for w in args.workers.split(",")]:
        channel = make_channel(env, f"B{tag}W{workers}", warehouse, skus)
        env.cr.commit()
        elapsed, staged, unreserved = run_ours(args, env, orders, channel, workers)
        rates[workers] = len(orders) / elapsed
        print(
            f"ours   file -> jobs, {workers} job worker(s)   : {len(orders):6d} orders in {elapsed:8.1f} s = "
            f"{rates[workers]:7.1f} orders/s (staging {staged:.1f} s; unreserved moves: {unreserved})"
        )
    best = max(rates, key=rates.get)
    for workers, rate in rates.items():
        print(f"ratio  ours ({workers} worker(s)) / naive          : {rate / naive_rate:5.2f}x")
    print(f"ratio  best (ours {best} worker(s)) / naive : {rates[best] / naive_rate:5.2f}x")
    env.cr.close()


if __name__ == "__main__":
    main()
