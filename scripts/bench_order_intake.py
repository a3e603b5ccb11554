#!/usr/bin/env python3
"""Benchmark: platform order file -> staged, checked, allocated orders, then
confirmed, reserved sale orders in background waves.

    scripts/bench.sh order_intake [--orders 10000] [--naive-orders 300]
                                  [--wave-orders 2000] [--workers 1,2,4]

Generates a file of N orders (2-3 lines each, bundles among the SKUs; the
receivers repeat across the file, so that the same new buyer meets itself
in parallel jobs) and measures, in one run:
  naive   per order: find/create the customer, look up each SKU, create the
          sale order, confirm it, commit (what a per-order import script does);
          run on the first --naive-orders orders of the file (it is linear);
  intake  omni.order.import_file of the whole file: staged, checked,
          allocated and its confirmation waves queued, committed; then the
          sellable stock a full sync pushes during that backlog, checked per
          SKU against on hand - reserved - open demand (computed here from
          the file), and the reconciliation query, timed: on a fresh
          database the tables are as young as at a peak, their statistics
          only those the bulk steps gathered;
  waves   per --workers value W, a fresh file of --wave-orders orders is
          staged, then a real Odoo server in prefork mode with queue_job's
          runner and W job workers confirms and reserves it; orders/s from
          the server's start to the last reserved delivery; the peak memory
          of its processes; unreserved moves, reconciliation differences and
          duplicate customers after it;
  odoo    the waves of the fewest workers once more, the same orders, with
          omni_stock_speed switched off (its system parameter): Odoo's own
          method at every step, as without the addon; the ratio of both
          (--no-odoo-path skips it).
The load average (this machine is shared) is printed with every measurement.
Ratio last. Exits non-zero when a check fails: a staged order out of the
review queue or without its allocation, an oversold SKU, a reconciliation
difference, an unreserved move after the waves, a duplicate customer.
Speed is never asserted in tests.
"""

import base64
import csv
import datetime
import io
import math
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict

import psutil
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
    parser.add_argument("--orders", type=int, default=10000, help="orders of the intake file")
    parser.add_argument("--naive-orders", type=int, default=300)
    parser.add_argument("--wave-orders", type=int, default=2000, help="orders confirmed per --workers value")
    parser.add_argument("--workers", default="1,2,4", help="job workers per wave run; 0 skips the waves")
    parser.add_argument(
        "--reserve-workers", default="1,2", help="job workers per reservation run (its ratio: the last / the first)"
    )
    parser.add_argument(
        "--grown", type=int, default=0, help="earlier orders put in the tables first (SQL, not timed; 0: none)"
    )
    parser.add_argument("--receivers", type=float, default=0.25, help="distinct receivers per order")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds to wait for the jobs of one run")
    parser.add_argument(
        "--no-odoo-path",
        dest="odoo_path",
        action="store_false",
        help="skip the wave run on Odoo's own path (omni_stock_speed switched off)",
    )
    parser.smoke_sizes(orders=200, naive_orders=5, wave_orders=100, workers="1", reserve_workers="1", grown=300,
                       timeout=300)  # fmt: skip
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


def generate_orders(n, seed=7, receivers=0.25, prefix=""):
    """N orders; their receivers are drawn from a pool of N x ``receivers``
    people, so that most of them come back several times across the file."""
    rng = random.Random(seed)
    sku_names = [f"SKU-{i:02d}" for i in range(N_PRODUCTS)] + [f"BUNDLE-{b}" for b in range(5)]
    pool = []
    for r in range(max(1, int(n * receivers))):
        province, city, district = rng.choice(PLACES)
        pool.append(
            {
                "name": rng.choice(["刘洋", "赵敏", "陈静", "王芳", "张伟", "杨磊"]) + f"{prefix}{r}",
                "phone": f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}",
                "place": (province, city, district),
                "address": f"建国路{rng.randint(1, 999)}号{r % 50}栋",
            }
        )
    orders = []
    for i in range(n):
        receiver = rng.choice(pool)
        lines = [(rng.choice(sku_names), rng.randint(1, 3), rng.choice([19.9, 29.0, 59.0, 99.0]))
                 for _ in range(rng.choice([2, 3]))]  # fmt: skip
        shipping = rng.choice([0, 6])
        orders.append(
            {
                "no": f"{i:06d}",
                "time": f"2026-11-11 {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00",
                "nick": f"buyer_{i}",
                **receiver,
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

    from odoo.addons.omni_base.tools import guard

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


def server_log(args, workers):
    """The log of the wave server (per database: two runs on two databases
    do not share it)."""
    return f"/tmp/omni_bench_server_{args.db}_{workers}.log"


def start_server(args, workers):
    port = free_port()
    # W jobs at once in all: confirmation chunks side by side, and so the
    # reservations (their jobs take turns on each product's quants)
    channels = f"root:{workers},root.omni_import:{workers},root.omni_reserve:{workers}"
    env = dict(os.environ, ODOO_QUEUE_JOB_CHANNELS=channels)
    cmd = [sys.executable, os.path.join(args.odoo_src, "odoo-bin"), "-c", args.config, "-d", args.db,
           f"--workers={workers + 1}", "--max-cron-threads=0", f"--http-port={port}", "--http-interface=127.0.0.1",
           "--gevent-port", str(free_port()), "--limit-time-real=3600", "--limit-time-cpu=3600",
           # Odoo's default memory limits: a job over them kills its worker (and fails)
           "--limit-memory-soft=2147483648", "--limit-memory-hard=2684354560", "--log-level=warn"]  # fmt: skip
    log = open(server_log(args, workers), "w")  # noqa: SIM115
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
    raise SystemExit(f"Odoo did not start; see {server_log(args, workers)}")


def stop_server(proc):
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def timed(function, *args):
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def load():
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}/{fifteen:.1f}"


def stage(env, orders, channel):
    """import_file of the orders' file, committed: (seconds, summary)."""
    content = order_file(orders, channel.code)
    start = time.perf_counter()
    summary = env["omni.order"].import_file(f"bench_{channel.code}.csv", base64.b64encode(content))
    env.cr.commit()
    elapsed = time.perf_counter() - start
    if summary["created"] != len(orders) or summary["errors"]:
        raise SystemExit(f"unexpected import result: { {k: v for k, v in summary.items() if k != 'errors'} } "
                         f"{summary['errors'][:3]}")  # fmt: skip
    return elapsed, summary


def check_backlog(env, channel, orders, skus):
    """The sellable stock a full sync pushes now, per SKU, against on hand -
    reserved - open demand: the demand of these staged orders (from the
    file) plus what other open orders allocated. Returns (SKUs, oversold,
    oversold by the old formula on hand - reserved)."""
    demand = defaultdict(float)
    for order in orders:
        for sku, qty, _price in order["lines"]:
            for product, per_unit in skus[sku]:
                demand[product.id] += qty * per_unit
    warehouse = channel.warehouse_id
    env.cr.execute(
        """SELECT q.product_id, SUM(q.quantity), SUM(q.reserved_quantity) FROM stock_quant q
           JOIN stock_location l ON l.id = q.location_id JOIN stock_location w ON w.id = %s
           WHERE l.parent_path LIKE w.parent_path || '%%' GROUP BY q.product_id""",
        [warehouse.lot_stock_id.id],
    )
    quants = {product_id: (float(qty), float(reserved)) for product_id, qty, reserved in env.cr.fetchall()}
    env.cr.execute(
        """SELECT a.product_id, SUM(a.quantity) FROM omni_order_allocation a JOIN omni_order o ON o.id = a.order_id
           WHERE a.warehouse_id = %s AND o.channel_id != %s GROUP BY a.product_id""",
        [warehouse.id, channel.id],
    )
    others = {product_id: float(qty) for product_id, qty in env.cr.fetchall()}
    sync_id = env["omni.channel"].sync_stock(channel.code, "full")
    env.cr.commit()
    pushed = {line.platform_sku: line.quantity for line in env["omni.stock.sync"].browse(sync_id).line_ids}
    oversold = old_oversold = 0
    for sku, parts in skus.items():
        free = {p.id: quants.get(p.id, (0, 0))[0] - quants.get(p.id, (0, 0))[1] for p, _q in parts}
        truth = min(math.floor((free[p.id] - demand[p.id] - others.get(p.id, 0.0)) / q + 1e-6) for p, q in parts)
        old = min(math.floor(free[p.id] / q + 1e-6) for p, q in parts)
        oversold += pushed.get(sku, 0) > max(truth, 0)
        old_oversold += old > max(truth, 0)
    return len(skus), oversold, old_oversold


def duplicate_partners(env):
    env.cr.execute(
        """SELECT count(*) FROM (SELECT 1 FROM res_partner WHERE omni_buyer_key IS NOT NULL
           GROUP BY company_id, omni_buyer_key HAVING count(*) > 1) d"""
    )
    return env.cr.fetchone()[0]


def run_waves(args, env, channel, workers):
    """Start a server with W job workers and wait until every order of the
    channel is confirmed and reserved: (seconds, peak RSS MB, load)."""
    env.cr.execute("SELECT now() AT TIME ZONE 'UTC'")
    since = env.cr.fetchone()[0]
    env.cr.commit()
    proc = start_server(args, workers)
    peak_rss = 0
    cpu = CpuShare(proc.pid, args.db)
    try:
        start = time.perf_counter()
        deadline = time.time() + args.timeout
        while True:
            for process in [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]:
                try:
                    peak_rss = max(peak_rss, process.memory_info().rss)
                except psutil.Error:
                    pass
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
                raise SystemExit(f"a job failed: see queue_job and {server_log(args, workers)}")
            if time.time() > deadline:
                raise SystemExit(f"timeout: {confirmed}/{total} confirmed")
            time.sleep(0.5)
        elapsed = time.perf_counter() - start
        end_load = load()
    finally:
        stop_server(proc)
    # the jobs' own span: first job started -> last job done (no server start-up)
    env.cr.execute(
        """SELECT EXTRACT(EPOCH FROM max(date_done) - min(date_started)), count(*) FROM queue_job
           WHERE date_done >= %s AND method_name IN ('_confirm_orders_job', '_reserve_stock_job')""",
        [since],
    )
    job_span, jobs = env.cr.fetchone()
    return elapsed, float(job_span or elapsed), jobs, peak_rss / 2**20, end_load, cpu.summary(total)


class CpuShare:
    """Where the machine's CPU went during a wave run: busy share of all
    cores, and the cores used by the Odoo server (its workers) and by
    PostgreSQL for this database, from the processes' own CPU times, and
    how long they waited for a free core (the run queue, from
    /proc/<pid>/schedstat: what other work on a shared machine cost them).

    PostgreSQL for this database: the backends whose process title names
    it, the parallel workers their queries start (titled "parallel worker
    for PID <leader>"), its autovacuum workers. A thread samples every
    0.1 s and keeps the last reading of a process that ended: backends and
    parallel workers that start mid-run are counted from their start."""

    INTERVAL = 0.1

    def __init__(self, server_pid, db):
        self.server_pid = server_pid
        self.db = db
        self.start_times = psutil.cpu_times()
        self.kinds = {}  # pid -> "odoo" / "postgres" / None (another process)
        self.first, self.latest = {}, {}  # pid -> (cpu s, run-queue wait s)
        self.started = time.perf_counter()
        self._read(initial=True)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _kind(self, pid):
        """ "postgres" for a process of this database, None for another
        process, "later" for a backend not yet past its start-up."""
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() != "postgres":
                    return None
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                title = f.read().replace(b"\0", b" ").decode(errors="replace").split()
        except OSError:
            return None
        if self.db in title:
            return "postgres"
        # a parallel worker of one of this database's backends
        match = re.search(r"parallel worker for PID (\d+)", " ".join(title))
        if match and self.kinds.get(int(match.group(1))) == "postgres":
            return "postgres"
        # a backend just forked (the postmaster's command line) or still
        # starting up has no database in its title yet: asked again
        return "later" if not title or title[0] != "postgres:" or len(title) <= 3 else None

    @staticmethod
    def _times(pid):
        """(CPU seconds, seconds waited for a core) of a process, all its
        threads (an Odoo worker serves its requests in a thread of its own)."""
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            runq = 0.0
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                    runq += int(f.read().split()[1]) / 1e9
        except (OSError, IndexError, ValueError):
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), runq

    def _read(self, initial=False):
        try:
            server = psutil.Process(self.server_pid)
            tree = {server.pid, *(p.pid for p in server.children(recursive=True))}
        except psutil.Error:
            tree = set()
        for pid in [int(p) for p in os.listdir("/proc") if p.isdigit()]:
            kind = self.kinds.get(pid, "later")
            if pid in tree:
                kind = "odoo"
            elif kind == "later":
                kind = self._kind(pid)
            self.kinds[pid] = kind
            if kind not in ("odoo", "postgres"):
                continue
            times = self._times(pid)
            if times is None:
                continue
            # a process already running at the start counts from there; a new one from its start
            self.first.setdefault(pid, times if initial else (0.0, 0.0))
            self.latest[pid] = times

    def _run(self):
        while not self._stop.wait(self.INTERVAL):
            self._read()

    def summary(self, orders):
        """The CPU line of a run of ``orders`` orders, with the orders per
        CPU-second its Odoo and PostgreSQL processes used: a rate that
        other work on a shared machine changes much less than the wall
        clock's."""
        self._stop.set()
        self._thread.join()
        self._read()
        seconds = time.perf_counter() - self.started
        end = psutil.cpu_times()
        total = sum(end) - sum(self.start_times)
        idle = (end.idle + getattr(end, "iowait", 0)) - (self.start_times.idle + getattr(self.start_times, "iowait", 0))
        used = {"odoo": [0.0, 0.0], "postgres": [0.0, 0.0]}
        for pid, (cpu, runq) in self.latest.items():
            first_cpu, first_runq = self.first[pid]
            used[self.kinds[pid]][0] += cpu - first_cpu
            used[self.kinds[pid]][1] += runq - first_runq
        busy = 100 * (1 - idle / total) if total else 0
        cpu_s = used["odoo"][0] + used["postgres"][0]
        cores = psutil.cpu_count()
        self.figures = {
            "cpu_s": cpu_s,
            "cores_used": cpu_s / seconds,
            "free_cores": cores * idle / total if total else 0.0,
            "cpu_waits": (used["odoo"][1] + used["postgres"][1]) / seconds,
        }
        self.text = (
            f"CPU {busy:.0f}% busy on {psutil.cpu_count()} cores; Odoo {used['odoo'][0] / seconds:.2f} cores, "
            f"PostgreSQL for this database {used['postgres'][0] / seconds:.2f} cores; "
            f"{orders / max(cpu_s, 1e-9):.1f} orders per CPU-second of both "
            f"({1000 * cpu_s / max(orders, 1):.1f} ms/order); waiting for a free core: Odoo "
            f"{used['odoo'][1] / seconds:.2f}, PostgreSQL {used['postgres'][1] / seconds:.2f} (processes at a time); "
            f"{self.figures['free_cores']:.2f} cores idle"
        )
        return self


def unreserved_moves(env, channel):
    env.cr.execute(
        """SELECT count(*) FROM stock_move m JOIN sale_order_line l ON l.id = m.sale_line_id
           JOIN sale_order s ON s.id = l.order_id
           WHERE s.omni_channel_id = %s AND m.state != 'assigned'""",
        [channel.id],
    )
    return env.cr.fetchone()[0]


SPEED_SWITCH = "omni_stock_speed.disabled"  # omni_stock_speed/models/speed_switch.py


def speed_ups_installed(env):
    return bool(env["ir.module.module"].search_count([("name", "=", "omni_stock_speed"), ("state", "=", "installed")]))


def set_speed_ups(env, on):
    """omni_stock_speed's switch (a system parameter the wave server reads):
    off, every step of a wave takes Odoo's own method, as without the addon."""
    env["ir.config_parameter"].set_param(SPEED_SWITCH, False if on else "1")
    env.cr.commit()


def wave_run(args, env, tag, warehouse, skus, workers, speed_ups, failures):
    """A fresh file of --wave-orders orders staged, then confirmed and
    reserved by a server with W job workers, the speed-ups on or off (the
    same orders either way: the file's seed is the worker count's). Prints
    the run; returns (orders/s from the server's start, over the jobs' span)."""
    suffix = "" if speed_ups else "off"
    wave_orders = generate_orders(args.wave_orders, seed=100 + workers, receivers=args.receivers,
                                  prefix=f"{tag}W{workers}{suffix}")  # fmt: skip
    channel = make_channel(env, f"B{tag}W{workers}{suffix.upper()}", warehouse, skus)
    env.cr.commit()
    staged_s, _summary = stage(env, wave_orders, channel)
    start_load = load()
    set_speed_ups(env, speed_ups)
    try:
        elapsed, job_span, jobs, rss_mb, end_load, cpu_share = run_waves(args, env, channel, workers)
    finally:
        set_speed_ups(env, True)
    rate, job_rate = len(wave_orders) / elapsed, len(wave_orders) / job_span
    unreserved = unreserved_moves(env, channel)
    recon_s, differences = timed(env["omni.order.allocation"].check_reconciliation)
    label = "ours  " if speed_ups else "odoo  "
    path = "" if speed_ups else " (Odoo's path)"
    if unreserved or differences:
        failures.append(f"waves{path} with {workers} worker(s): {unreserved} unreserved moves, "
                        f"{len(differences)} reconciliation differences")  # fmt: skip
    print(
        f"{label} waves, {workers} job worker(s){path:14s} : {len(wave_orders):6d} orders in {elapsed:7.1f} s = "
        f"{rate:7.1f} orders/s = {rate / workers:5.1f} per worker from the server's start; "
        f"jobs' own span {job_span:.1f} s = {job_rate:.1f} orders/s = "
        f"{job_rate / workers:.1f} per worker ({jobs} jobs; staged in "
        f"{staged_s:.1f} s; unreserved moves {unreserved}; reconciliation differences "
        f"{len(differences)} in {recon_s:.2f} s; peak process {rss_mb:.0f} MB; {start_load} -> {end_load}; "
        f"{cpu_share.text})"
    )
    return rate, job_rate


def grow(env, n, tag, warehouse, skus, seed=3):
    """N earlier orders of a channel of their own, as a database that has
    run for a while holds them, by SQL inserts (not timed): 95 % shipped
    (their buyers, sale orders and lines, procurement groups, done deliveries,
    moves and move lines), 5 % still in review with their allocation; then
    ANALYZE. Prints what it made and how long it took."""
    from psycopg2.extras import execute_values

    def insert(sql, rows, template=None):
        return [row[0] for row in execute_values(env.cr._obj, sql, rows, template=template, page_size=5000,
                                                 fetch=True)]  # fmt: skip

    start = time.perf_counter()
    rng = random.Random(seed)
    company = env.company
    channel = make_channel(env, f"B{tag}G", warehouse, skus)
    out_type = warehouse.out_type_id
    src, dest = warehouse.lot_stock_id.id, env.ref("stock.stock_location_customers").id
    currency, uom = company.currency_id.id, env.ref("uom.product_uom_unit").id
    sku_names = list(skus)
    when = datetime.datetime(2026, 10, 1, 2, 0)
    buyers = max(1, n // 4)
    partner_ids = insert(
        """INSERT INTO res_partner (name, complete_name, phone, company_id, type, active, autopost_bills,
                                    omni_buyer_key, create_date, write_date) VALUES %s RETURNING id""",
        [(f"Grown buyer {tag} {b}", f"Grown buyer {tag} {b}", f"19{b:09d}", company.id, "contact", True, "ask",
          f"grown|{tag}|{b}", when, when) for b in range(buyers)],
    )  # fmt: skip
    orders = []  # (no, partner index, shipped, lines [(sku, qty, price)], when)
    for i in range(n):
        lines = [
            (rng.choice(sku_names), rng.randint(1, 3), rng.choice([19.9, 29.0, 59.0]))
            for _ in range(rng.choice([2, 3]))
        ]
        orders.append((i, rng.randrange(buyers), i % 20 != 0, lines, when + datetime.timedelta(minutes=i % 40000)))
    order_ids = insert(
        """INSERT INTO omni_order (channel_id, company_id, platform_order_no, source, state, receiver_name, phone,
                                   province, city, district, address, receiver_key, payment_method, paid_amount,
                                   shipping_fee, amount_lines, order_time, ship_target_date, customer_id,
                                   priority, create_date, write_date) VALUES %s RETURNING id""",
        [(channel.id, company.id, f"G{tag}-{no:07d}", "file", "shipped" if shipped else "to_review",
          f"Grown buyer {tag} {b}", f"19{b:09d}", "江苏省", "南京市", "鼓楼区", "建国路1号", f"grown|{tag}|{b}",
          "prepaid", sum(q * p for _s, q, p in lines), 0, sum(q * p for _s, q, p in lines), at, at.date(),
          partner_ids[b], "0", at, at)
         for no, b, shipped, lines, at in orders],
    )  # fmt: skip
    insert(
        """INSERT INTO omni_order_line (order_id, company_id, sequence, platform_sku, quantity, unit_price,
                                        create_date, write_date) VALUES %s RETURNING id""",
        [(oid, company.id, 10, sku, qty, price, at, at)
         for oid, (_no, _b, _s, lines, at) in zip(order_ids, orders, strict=True) for sku, qty, price in lines],
    )  # fmt: skip
    shipped = [(oid, o) for oid, o in zip(order_ids, orders, strict=True) if o[2]]
    sale_ids = insert(
        """INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id, company_id, date_order,
                                   picking_policy, state, currency_id, omni_channel_id, omni_unit_code,
                                   client_order_ref, amount_untaxed, amount_tax, amount_total, warehouse_id,
                                   invoice_status, delivery_status, create_date, write_date) VALUES %s RETURNING id""",
        [(f"G{tag}/{no:07d}", partner_ids[b], partner_ids[b], partner_ids[b], company.id, at, "direct", "sale",
          currency, channel.id, channel.code, f"G{tag}-{no:07d}", sum(q * p for _s, q, p in lines), 0,
          sum(q * p for _s, q, p in lines), warehouse.id, "to invoice", "full", at, at)
         for _oid, (no, b, _s, lines, at) in shipped],
    )  # fmt: skip
    env.cr.execute(
        "UPDATE omni_order o SET sale_order_id = v.sale_id FROM unnest(%s::int[], %s::int[]) v(id, sale_id) "
        "WHERE o.id = v.id",
        [[oid for oid, _o in shipped], sale_ids],
    )
    group_ids = insert(
        "INSERT INTO procurement_group (name, move_type, sale_id, partner_id, create_date, write_date) VALUES %s "
        "RETURNING id",
        [(f"G{tag}/{o[0]:07d}", "direct", sale_id, partner_ids[o[1]], o[4], o[4])
         for sale_id, (_oid, o) in zip(sale_ids, shipped, strict=True)],
    )  # fmt: skip
    env.cr.execute(
        "UPDATE sale_order s SET procurement_group_id = v.gid FROM unnest(%s::int[], %s::int[]) v(id, gid) "
        "WHERE s.id = v.id",
        [sale_ids, group_ids],
    )
    picking_ids = insert(
        """INSERT INTO stock_picking (name, origin, location_id, location_dest_id, move_type, picking_type_id,
                                      company_id, partner_id, state, scheduled_date, date, date_done, sale_id,
                                      group_id, omni_channel_id, priority, create_date, write_date)
           VALUES %s RETURNING id""",
        [(f"G{tag}/OUT/{o[0]:07d}", f"G{tag}/{o[0]:07d}", src, dest, "direct", out_type.id, company.id,
          partner_ids[o[1]], "done", o[4], o[4], o[4], sale_id, gid, channel.id, "0", o[4], o[4])
         for sale_id, gid, (_oid, o) in zip(sale_ids, group_ids, shipped, strict=True)],
    )  # fmt: skip
    line_rows, move_keys = [], []
    for sale_id, gid, picking_id, (_oid, o) in zip(sale_ids, group_ids, picking_ids, shipped, strict=True):
        for sku, qty, price in o[3]:
            for product, per_unit in skus[sku]:
                line_rows.append((sale_id, sku, product.id, uom, qty * per_unit, price / per_unit, 0, company.id,
                                  currency, qty * per_unit, "sale", "stock_move", "to invoice", o[4],
                                  o[4]))  # fmt: skip
                move_keys.append((picking_id, gid, product.id, qty * per_unit, o[4], partner_ids[o[1]]))
    line_ids = insert(
        """INSERT INTO sale_order_line (order_id, name, product_id, product_uom, product_uom_qty, price_unit,
                                        customer_lead, company_id, currency_id, qty_delivered, state,
                                        qty_delivered_method, invoice_status, create_date, write_date)
           VALUES %s RETURNING id""",
        line_rows,
    )
    move_ids = insert(
        """INSERT INTO stock_move (name, reference, company_id, product_id, product_uom, location_id,
                                   location_dest_id, procure_method, product_uom_qty, product_qty, quantity, picked,
                                   date, state, picking_id, group_id, sale_line_id, picking_type_id, warehouse_id,
                                   partner_id, omni_channel_id, priority, create_date, write_date)
           VALUES %s RETURNING id""",
        [("Grown", f"G{tag}/OUT", company.id, product_id, uom, src, dest, "make_to_stock", qty, qty, qty, True, at,
          "done", picking_id, gid, line_id, out_type.id, warehouse.id, partner_id, channel.id, "0", at, at)
         for (picking_id, gid, product_id, qty, at, partner_id), line_id in zip(move_keys, line_ids, strict=True)],
    )  # fmt: skip
    insert(
        """INSERT INTO stock_move_line (reference, company_id, product_id, product_uom_id, location_id,
                                        location_dest_id, date, state, move_id, picking_id, quantity,
                                        quantity_product_uom, picked, create_date, write_date)
           VALUES %s RETURNING id""",
        [(f"G{tag}/OUT", company.id, product_id, uom, src, dest, at, "done", move_id, picking_id, qty, qty, True,
          at, at)
         for (picking_id, _gid, product_id, qty, at, _partner), move_id in zip(move_keys, move_ids, strict=True)],
    )  # fmt: skip
    in_review = [oid for oid, o in zip(order_ids, orders, strict=True) if not o[2]]
    env["omni.order.allocation"]._allocate(set(in_review))
    env.cr.commit()
    filled = time.perf_counter() - start
    tables = ["res_partner", "omni_order", "omni_order_line", "omni_order_allocation", "sale_order",
              "sale_order_line", "procurement_group", "stock_picking", "stock_move", "stock_move_line"]  # fmt: skip
    start = time.perf_counter()
    for table in tables:
        env.cr.execute(f"ANALYZE {table}")  # table names of the list above
    env.cr.commit()
    print(f"grown  earlier orders (SQL inserts)      : {n:,d} orders ({len(shipped):,d} shipped, {len(in_review):,d} "
          f"in review with their allocation), {len(line_ids):,d} sale lines and done moves, {buyers:,d} buyers "
          f"in {filled:.1f} s; ANALYZE {time.perf_counter() - start:.1f} s")  # fmt: skip


def reservation_checks(env, product_ids):
    """(quants whose reservation is not the sum of their open move lines,
    quants reserved over their quantity) among these products' internal
    quants: a quant reserved twice by two jobs shows in one or the other."""
    env.cr.execute(
        """SELECT count(*) FILTER (WHERE round((q.reserved_quantity - COALESCE(ml.reserved, 0))::numeric, 4) != 0),
                  count(*) FILTER (WHERE q.reserved_quantity > 0
                                     AND round((q.reserved_quantity - q.quantity)::numeric, 4) > 0)
             FROM stock_quant q
             JOIN stock_location l ON l.id = q.location_id AND l.usage = 'internal'
             LEFT JOIN LATERAL (
                   SELECT SUM(ml.quantity_product_uom) AS reserved FROM stock_move_line ml
                    WHERE ml.product_id = q.product_id AND ml.location_id = q.location_id
                      AND ml.lot_id IS NOT DISTINCT FROM q.lot_id AND ml.package_id IS NOT DISTINCT FROM q.package_id
                      AND ml.owner_id IS NOT DISTINCT FROM q.owner_id AND ml.state NOT IN ('done', 'cancel')
                  ) ml ON TRUE
            WHERE q.product_id = ANY(%s)""",
        [list(product_ids)],
    )
    return env.cr.fetchone()


def reservation_run(args, env, tag, warehouse, skus, workers, failures):
    """The reservation phase alone: a fresh file of --wave-orders orders
    staged and confirmed here, in chunks as the waves make them, their
    reservation left to one job per chunk (not timed); then a server with W
    job workers runs those jobs, side by side. Prints the run; returns
    orders/s over the jobs' own span."""
    from odoo.addons.omni_order.models.omni_order_wave import CONFIRM_CHUNK

    orders = generate_orders(args.wave_orders, seed=200 + workers, receivers=args.receivers,
                             prefix=f"{tag}R{workers}")  # fmt: skip
    channel = make_channel(env, f"B{tag}R{workers}", warehouse, skus)
    env.cr.commit()
    stage(env, orders, channel)
    env["queue.job"].search([("state", "=", "pending")]).button_cancelled()
    Order = env["omni.order"]
    ids = Order.search([("channel_id", "=", channel.id), ("state", "=", "to_review")], order="id").ids
    start = time.perf_counter()
    for i in range(0, len(ids), CONFIRM_CHUNK):
        chunk = Order.browse(ids[i : i + CONFIRM_CHUNK])
        chunk._confirm_orders(defer_reservation=True)
        chunk.with_delay(priority=5)._reserve_stock_job()
        env.cr.commit()
    confirm_s = time.perf_counter() - start
    env.cr.execute(
        """SELECT count(*) FROM stock_move m JOIN sale_order_line l ON l.id = m.sale_line_id
           JOIN sale_order s ON s.id = l.order_id WHERE s.omni_channel_id = %s""",
        [channel.id],
    )
    moves = env.cr.fetchone()[0]
    env.cr.execute("SELECT now() AT TIME ZONE 'UTC'")
    since = env.cr.fetchone()[0]
    env.cr.commit()
    start_load = load()
    elapsed, job_span, jobs, _rss, end_load, cpu_share = run_waves(args, env, channel, workers)
    # each job's result says how long it waited for products other jobs held
    env.cr.execute(
        """SELECT result, EXTRACT(EPOCH FROM date_done - date_started) FROM queue_job
            WHERE method_name = '_reserve_stock_job' AND state = 'done' AND date_done >= %s""",
        [since],
    )
    results = env.cr.fetchall()
    waited = sum(float(m.group(1)) for r, _s in results if (m := re.search(r"waited ([0-9.]+) s", r or "")))
    parts = sum(int(m.group(1)) for r, _s in results if (m := re.search(r"in ([0-9]+) parts", r or "")))
    busy = sum(float(seconds) for _r, seconds in results)
    unreserved = unreserved_moves(env, channel)
    products = {product.id for parts in skus.values() for product, _qty in parts}
    mismatched, over = reservation_checks(env, products)
    if unreserved or mismatched or over:
        failures.append(f"reservation with {workers} worker(s): {unreserved} unreserved moves, {mismatched} quants "
                        f"not reserved as their move lines, {over} quants over-reserved")  # fmt: skip
    rate, job_rate = len(orders) / elapsed, len(orders) / job_span
    print(
        f"ours   reservation, {workers} job worker(s)     : {len(orders):6d} orders ({moves} moves, {jobs} jobs) in "
        f"{job_span:6.1f} s = {job_rate:6.1f} orders/s = {job_rate / workers:5.1f} per worker over the jobs' span "
        f"({rate:.1f} orders/s from the server's start); unreserved moves {unreserved}; quants reserved != their "
        f"move lines {mismatched}, over-reserved {over}; jobs busy {busy:.1f} s in all ({busy / job_span:.2f} at "
        f"a time), of which waiting for another job's products {waited:.1f} s over {parts} parts (confirmed here "
        f"first in {confirm_s:.1f} s, not timed); {start_load} -> {end_load}; {cpu_share.text}"
    )
    return job_rate, cpu_share.figures


def main():
    args = parse_args()
    # scripts/bench_smoke.sh stops a script that runs over its time with
    # SIGTERM: exit through the finally blocks, which stop the wave server
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit("terminated (SIGTERM)"))
    odoo, env = odoo_env(args)
    tag = time.strftime("%H%M%S")
    naive_channel, warehouse, skus = fixtures(env, tag)
    Allocation = env["omni.order.allocation"]
    # no job may be left from an earlier, interrupted run
    env["queue.job"].search([("state", "in", ["pending", "enqueued", "started", "failed"])]).button_cancelled()
    env.cr.commit()
    if args.grown:
        grow(env, args.grown, tag, warehouse, skus)
    orders = generate_orders(args.orders, receivers=args.receivers, prefix=tag)
    lines = sum(len(o["lines"]) for o in orders)
    receivers = len({o["phone"] for o in orders})
    print(f"file: {len(orders)} orders, {lines} lines, {receivers} receivers; naive path on the first "
          f"{args.naive_orders} orders; {os.cpu_count()} cores")  # fmt: skip
    naive_n = min(args.naive_orders, len(orders))
    naive_load = load()
    naive_s = run_naive(env, orders[:naive_n], naive_channel, skus)
    naive_rate = naive_n / naive_s
    print(f"naive  per-order create + confirm      : {naive_n:6d} orders in {naive_s:7.1f} s = "
          f"{naive_rate:7.1f} orders/s ({naive_load})")  # fmt: skip

    # --- intake: stage, check, allocate, queue the waves (no job runs) --------
    channel = make_channel(env, f"B{tag}I", warehouse, skus)
    env.cr.commit()
    intake_load = load()
    staged_s, _summary = stage(env, orders, channel)
    intake_rate = len(orders) / staged_s
    env.cr.execute(
        "SELECT count(*) FROM omni_order o WHERE channel_id = %s AND state IN ('to_review', 'exception')"
        " AND EXISTS (SELECT 1 FROM omni_order_allocation a WHERE a.order_id = o.id)",
        [channel.id],
    )
    in_queue = env.cr.fetchone()[0]
    env.cr.execute("SELECT count(*) FROM queue_job WHERE state = 'pending' AND method_name = '_confirm_orders_job'")
    waves = env.cr.fetchone()[0]
    print(f"ours   stage + check + allocate         : {len(orders):6d} orders in {staged_s:7.1f} s = "
          f"{intake_rate:7.1f} orders/s ({in_queue} in the review queue with their allocation, {waves} waves "
          f"queued; {intake_load} -> {load()})")  # fmt: skip
    failures = []
    if in_queue != len(orders):
        failures.append(f"{in_queue} of {len(orders)} staged orders in the review queue with their allocation")
    start = time.perf_counter()
    sku_count, oversold, old_oversold = check_backlog(env, channel, orders, skus)
    print(f"check  sellable pushed in the backlog   : {sku_count} SKUs, {oversold} oversold "
          f"(on hand - reserved, as before: {old_oversold} oversold) "
          f"in {time.perf_counter() - start:.2f} s")  # fmt: skip
    # the public reconciliation query on the tables the burst just filled
    # (a fresh database: no statistics but those the bulk steps gathered)
    recon_s, differences = timed(Allocation.check_reconciliation)
    print(f"check  reconciliation after the burst   : {len(differences)} differences in {recon_s:.2f} s "
          f"({load()})")  # fmt: skip
    if oversold or differences:
        failures.append(f"backlog: {oversold} SKUs oversold, {len(differences)} reconciliation differences")
    # this backlog stays staged and allocated; its waves are not run here
    env["queue.job"].search([("state", "=", "pending")]).button_cancelled()
    env.cr.commit()

    # --- waves: W job workers confirm and reserve a fresh file -------------------
    rates, job_rates = {}, {}
    worker_counts = [int(w) for w in args.workers.split(",") if w.strip() and int(w)]
    for workers in worker_counts:
        rates[workers], job_rates[workers] = wave_run(args, env, tag, warehouse, skus, workers, True, failures)
    # the reservation phase alone, side by side in W jobs
    reserve_rates, reserve_cpu = {}, {}
    for workers in [int(w) for w in args.reserve_workers.split(",") if w.strip() and int(w)]:
        reserve_rates[workers], reserve_cpu[workers] = reservation_run(
            args, env, tag, warehouse, skus, workers, failures
        )
    # the same waves on Odoo's own path: omni_stock_speed switched off for the run
    odoo_path = None
    if worker_counts and args.odoo_path:
        single = min(worker_counts)
        if speed_ups_installed(env):
            odoo_path = single, *wave_run(args, env, tag, warehouse, skus, single, False, failures)
        else:
            print("odoo   waves on Odoo's own path         : omni_stock_speed is not installed: the runs above were")
    duplicates = duplicate_partners(env)
    print(f"check  duplicate customers              : {duplicates}")
    if duplicates:
        failures.append(f"{duplicates} duplicate customers")
    print(f"target stage + allocate >= 250 orders/s : {'met' if intake_rate >= 250 else 'NOT met'} "
          f"({intake_rate:.1f})")  # fmt: skip
    if rates:
        # the per-worker target is judged where a worker has a core of its
        # own (one worker: Odoo on one core, PostgreSQL on the other); more
        # workers than cores share them, and their per-worker rates are
        # printed beside it with the CPU each run used
        single = min(rates)
        verdict = "met" if rates[single] / single >= 30 else "NOT met"
        span_verdict = "met" if job_rates[single] / single >= 30 else "NOT met"
        print(f"target waves >= 30 orders/s per worker  : {verdict} with {single} worker(s) from the server's start "
              f"({rates[single] / single:.1f}), {span_verdict} over the jobs' own span "
              f"({job_rates[single] / single:.1f}); per worker with "
              f"{', '.join(f'{w}: {r / w:.1f}' for w, r in rates.items())} workers on {os.cpu_count()} cores "
              f"(in all: {', '.join(f'{w}: {r:.1f}' for w, r in rates.items())} orders/s)")  # fmt: skip
    print(f"ratio  stage + allocate / naive         : {intake_rate / naive_rate:7.1f}x")
    if rates:
        best = max(rates, key=rates.get)
        print(f"ratio  waves ({best} workers) / naive        : {rates[best] / naive_rate:7.1f}x")
    if len(reserve_rates) > 1:
        first, last = min(reserve_rates), max(reserve_rates)
        ratio = reserve_rates[last] / reserve_rates[first]
        print(f"ratio  reservation {last} / {first} worker(s)      : {ratio:7.2f}x over the jobs' span "
              f"({reserve_rates[last]:.1f} / {reserve_rates[first]:.1f} orders/s; target >= 1.8x with 2: "
              f"{'met' if ratio >= 1.8 else 'NOT met'}) on {os.cpu_count()} cores")  # fmt: skip
        # what the CPU explains: the cores both runs' processes got, and the
        # CPU each order cost them (the same with more jobs: nothing but
        # cores limits the ratio)
        cores = reserve_cpu[last]["cores_used"] / max(reserve_cpu[first]["cores_used"], 1e-9)
        cost = reserve_cpu[last]["cpu_s"] / max(reserve_cpu[first]["cpu_s"], 1e-9)
        print(f"ratio  reservation CPU {last} / {first} worker(s)  : cores used {cores:.2f}x "
              f"({reserve_cpu[first]['cores_used']:.2f} -> {reserve_cpu[last]['cores_used']:.2f}), CPU per order "
              f"{cost:.2f}x; cores idle during the runs {reserve_cpu[first]['free_cores']:.2f} -> "
              f"{reserve_cpu[last]['free_cores']:.2f}, processes waiting for a core "
              f"{reserve_cpu[first]['cpu_waits']:.2f} -> {reserve_cpu[last]['cpu_waits']:.2f}")  # fmt: skip
    if odoo_path:
        workers, odoo_rate, odoo_job_rate = odoo_path
        print(f"ratio  waves speed-ups on / off ({workers} w.)  : {rates[workers] / odoo_rate:7.1f}x from the server's "
              f"start ({rates[workers]:.1f} / {odoo_rate:.1f} orders/s), {job_rates[workers] / odoo_job_rate:.1f}x "
              f"over the jobs' own span ({job_rates[workers]:.1f} / {odoo_job_rate:.1f})")  # fmt: skip
    env.cr.close()
    if failures:
        sys.exit("FAILED: " + "; ".join(failures))


if __name__ == "__main__":
    main()
