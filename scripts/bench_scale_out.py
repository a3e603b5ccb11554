#!/usr/bin/env python3
"""Benchmark: the scale-out model (issue 29), CPU per order and phase, predicted vs measured with 1 and 2 servers.

Odoo and PostgreSQL CPU apart, per phase, in one process; the throughput it
predicts for one and for two Odoo server processes, against what they measure.

    scripts/bench.sh scale_out [--orders 2000] [--ledger-orders 2000] [--nodes 1,2]

In one run:
  model     in this process, on one cursor: a file of --orders orders
            imported (omni.order.import_file: staging and checks = *intake*,
            omni.order.allocation._allocate = *allocation*), then each job
            it queued performed here one after the other (queue_job's Job:
            _confirm_orders_job = *confirmation*, _reserve_stock_job =
            *reservation*), then --ledger-orders shipped orders (written by
            SQL as scripts/bench_retail_ledger.py does) generated and posted
            to the retail ledger (*ledger*). Per phase: wall time, this
            process's CPU (Odoo) and the CPU of its PostgreSQL backend (by
            pid, from /proc), each per order. A phase's time is its own:
            the allocation inside the import is charged to *allocation*;
            the allocations a confirmation or a reservation releases stay
            in that phase.
  predicted for K nodes of one job worker each, the waves (confirmation +
            reservation) run at
              min(K / CPU per order,                  the workers
                  K / reservation CPU per order,      root.omni_reserve:K
                  free cores / CPU per order)          the machine
            where CPU per order = Odoo + PostgreSQL (a job worker is a
            serial pipeline: its Python and its backend take turns; the wall
            time measured here also holds the wait for a core on this shared
            machine, printed beside it), and free cores = cores - what the
            other processes of the machine used during the measured run.
  measured  per K in --nodes: a fresh file of --orders orders staged, then
            K Odoo servers (prefork, one job worker each, HTTP on their own
            ports, one database): queue_job's runner on the first only
            (ODOO_QUEUE_JOB_CHANNELS root:K there, root:0 on the others)
            dispatching through a round-robin TCP proxy started here
            (ODOO_QUEUE_JOB_HOST/PORT), as docker/scale-out's runner goes
            through nginx to the job nodes. Orders/s over the jobs' own span
            (first job started -> last done), the jobs each node ran (the
            proxy counts them), the CPU of the servers' processes and of
            their PostgreSQL backends (application_name odoo-<pid>).
Checks (exit 1 otherwise): every order confirmed with its delivery reserved,
no reconciliation difference, no duplicate customer, no job failed, and
with 2 nodes or more every node ran jobs. Prints predicted vs measured
per K, and the ratio (K nodes / one node, measured and predicted) last.
Speed is never asserted in tests.
"""

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict

import bench_order_intake as intake
import bench_retail_ledger as ledger
import psutil
from bench_common import arg_parser, odoo_env

PHASES = ("intake", "allocation", "confirmation", "reservation", "ledger")
WAVE_PHASES = ("confirmation", "reservation")
JOB_METHODS = ("_confirm_orders_job", "_reserve_stock_job")


def parse_args():
    parser = arg_parser(__doc__)
    parser.add_argument("--orders", type=int, default=2000, help="orders of the model run and of each measured run")
    parser.add_argument("--ledger-orders", type=int, default=2000, help="shipped orders posted in the model run")
    parser.add_argument("--nodes", default="1,2", help="Odoo server processes of each measured run")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds to wait for the jobs of one run")
    parser.add_argument("--hours", type=float, default=16.0, help="hours over which a day's orders arrive (sizing)")
    parser.add_argument("--peak", type=float, default=3.0, help="peak hour / mean hour (sizing)")
    parser.add_argument("--utilisation", type=float, default=0.7, help="target busy share of a core (sizing)")
    parser.add_argument("--primary-cores", type=int, default=16, help="cores of the PostgreSQL primary (sizing)")
    parser.add_argument(
        "--reserve-capacity",
        type=int,
        default=4,
        help="reservation jobs side by side, root.omni_reserve's capacity (sizing; docker/scale-out: 4)",
    )
    parser.smoke_sizes(orders=60, ledger_orders=50, timeout=300)
    return parser.parse_args()


def process_cpu(pid):
    """User + system CPU seconds of a process (0 when it is gone)."""
    try:
        times = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return 0.0
    return times.user + times.system


def load():
    return intake.load()


# --- the model: CPU per order and phase, in this process ------------------------


class PhaseMeter:
    """Wall, Odoo CPU (this process) and PostgreSQL CPU (every backend this
    process opened: application_name odoo-<pid>, the reservation's own
    cursors per part included) charged to the innermost running phase."""

    def __init__(self, env):
        import psycopg2

        from odoo.sql_db import connection_info_for

        _db, params = connection_info_for(env.cr.dbname)
        # a connection of its own, outside Odoo's pool and not counted
        self.watch = psycopg2.connect(**dict(params, application_name="omni-bench-meter"))
        self.watch.autocommit = True
        self.app_name = params["application_name"]
        self.backend_cpu = {}  # backend pid -> its CPU when last seen (a backend that ended keeps it)
        self.totals = {phase: [0.0, 0.0, 0.0] for phase in PHASES}
        self.stack = []
        self.mark = None
        self.wrapped = []

    def _backends_cpu(self):
        with self.watch.cursor() as cr:
            cr.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", [self.app_name])
            for (pid,) in cr.fetchall():
                self.backend_cpu[pid] = max(self.backend_cpu.get(pid, 0.0), process_cpu(pid))
        return sum(self.backend_cpu.values())

    def _now(self):
        return (time.perf_counter(), time.process_time(), self._backends_cpu())

    def _charge(self):
        now = self._now()
        if self.stack:
            total = self.totals[self.stack[-1]]
            for i in range(3):
                total[i] += now[i] - self.mark[i]
        self.mark = now

    def enter(self, phase):
        self._charge()
        if phase == "allocation" and self.stack and self.stack[-1] != "intake":
            # an allocation released by a confirmation or a reservation is
            # that phase's work (the reservation channel's bound needs it)
            phase = self.stack[-1]
        self.stack.append(phase)

    def leave(self):
        self._charge()
        self.stack.pop()

    def wrap(self, model_class, method, phase):
        original = getattr(model_class, method)
        meter = self

        def metered(self, *args, **kwargs):
            meter.enter(phase)
            try:
                return original(self, *args, **kwargs)
            finally:
                meter.leave()

        setattr(model_class, method, metered)
        self.wrapped.append((model_class, method, original))

    def close(self):
        """The metered methods back to what they were (the measured runs
        that follow stage their files in this process), the connection closed."""
        for model_class, method, original in reversed(self.wrapped):
            setattr(model_class, method, original)
        self.wrapped = []
        self.watch.close()


def run_model(args, env, tag, warehouse, skus):
    """The phases of --orders orders in this process: {phase: (orders,
    wall, Odoo CPU, PostgreSQL CPU)} in seconds."""
    from odoo.addons.queue_job.job import Job

    meter = PhaseMeter(env)
    meter.wrap(type(env["omni.import.file"]), "_process_order_file", "intake")
    meter.wrap(type(env["omni.order.allocation"]), "_allocate", "allocation")
    meter.wrap(type(env["omni.order"]), "_confirm_orders_job", "confirmation")
    meter.wrap(type(env["omni.order"]), "_reserve_stock_job", "reservation")
    orders = intake.generate_orders(args.orders, seed=300, prefix=f"{tag}M")
    channel = intake.make_channel(env, f"S{tag}M", warehouse, skus)
    env.cr.commit()
    intake.stage(env, orders, channel)
    # the jobs the import queued (and those they queue), one after the other
    done = 0
    while True:
        env.cr.execute(
            """SELECT uuid FROM queue_job WHERE state = 'pending' AND model_name = 'omni.order'
               AND method_name = ANY(%s) ORDER BY priority, id LIMIT 1""",
            [list(JOB_METHODS)],
        )
        row = env.cr.fetchone()
        if not row:
            break
        job = Job.load(env, row[0])
        job.set_started()
        job.store()
        job.perform()
        job.set_done()
        job.store()
        env.cr.commit()
        done += 1
    confirmed = count_confirmed(env, channel)
    failures = check_orders(env, channel, len(orders), "model")
    # the ledger: shipped orders of one day posted (bench_retail_ledger's fixtures)
    env = env(context=dict(env.context, tracking_disable=True))
    env.company.partner_id.tz = "Asia/Shanghai"  # as bench_retail_ledger: its day is a Chinese day
    ledger_args = type(args)(orders=args.ledger_orders, channels=1)
    taxes, channels, ledger_warehouse = ledger.setup_accounting(env, f"{tag}S", 1)
    expected = ledger.fixture_orders(env, ledger_args, f"{tag}S", taxes, channels, ledger_warehouse, random.Random(5))
    meter.enter("ledger")
    _elapsed, _generated, result, records = ledger.run_ours(env, channels)
    meter.leave()
    failures += [f"ledger: {f}" for f in ledger.check(env, channels, expected, records)]
    counts = {phase: len(orders) for phase in PHASES}
    counts["ledger"] = result["sales"]
    model = {phase: (counts[phase], *meter.totals[phase]) for phase in PHASES}
    meter.close()
    return model, done, confirmed, failures


def count_confirmed(env, channel):
    env.cr.execute("SELECT count(*) FROM omni_order WHERE channel_id = %s AND state = 'confirmed'", [channel.id])
    return env.cr.fetchone()[0]


def check_orders(env, channel, expected, label):
    failures = []
    confirmed = count_confirmed(env, channel)
    unreserved = intake.unreserved_moves(env, channel)
    if confirmed != expected or unreserved:
        failures.append(f"{label}: {confirmed}/{expected} orders confirmed, {unreserved} unreserved moves")
    return failures


def per_order(model, phases):
    """(wall, Odoo CPU, PostgreSQL CPU) seconds per order over these phases."""
    wall = sum(model[p][1] / model[p][0] for p in phases if model[p][0])
    odoo_cpu = sum(model[p][2] / model[p][0] for p in phases if model[p][0])
    pg_cpu = sum(model[p][3] / model[p][0] for p in phases if model[p][0])
    return wall, odoo_cpu, pg_cpu


def predict(model, nodes, free_cores):
    """Orders/s of the waves with ``nodes`` single-worker nodes, and what bounds it."""
    _wall, odoo_cpu, pg_cpu = per_order(model, WAVE_PHASES)
    _wall, reserve_odoo, reserve_pg = per_order(model, ("reservation",))
    bounds = {
        "workers": nodes / (odoo_cpu + pg_cpu),
        # reservation jobs run side by side, product by product (omni_order's
        # stock_reservation.py), as many as root.omni_reserve allows: K here
        "reservation channel": nodes / (reserve_odoo + reserve_pg),
        "CPU": free_cores / (odoo_cpu + pg_cpu),
    }
    bound = min(bounds, key=bounds.get)
    return bounds[bound], bound


# --- measured: K server processes, one runner, a round-robin proxy --------------


class RoundRobinProxy:
    """A TCP proxy on 127.0.0.1 that hands each new connection to the next
    backend port in turn (queue_job's runner opens one per job), counting
    them: the stand-in for nginx's :8080 of docker/scale-out."""

    def __init__(self):
        self.backends = []
        self.counts = defaultdict(int)
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.turn = 0
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _address = self.sock.accept()
            except OSError:
                return
            with self.lock:
                port = self.backends[self.turn % len(self.backends)]
                self.turn += 1
                self.counts[port] += 1
            threading.Thread(target=self._serve, args=(client, port), daemon=True).start()

    def _serve(self, client, port):
        try:
            upstream = socket.create_connection(("127.0.0.1", port), timeout=10)
        except OSError:
            client.close()
            return
        upstream.settimeout(None)
        threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()
        self._pipe(client, upstream)

    @staticmethod
    def _pipe(source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, target):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def close(self):
        self.sock.close()


def node_log(args, nodes, index):
    return f"/tmp/omni_bench_scale_{args.db}_{nodes}_{index}.log"


def start_node(args, nodes, index, proxy_port):
    """One Odoo server: prefork, one job worker (plus one for the runner's
    requests while it is busy), its own HTTP and gevent ports; the runner
    on node 0 only, dispatching through the proxy."""
    port = intake.free_port()
    if index == 0:
        channels = f"root:{nodes},root.omni_import:{nodes},root.omni_reserve:{nodes}"
    else:
        channels = "root:0"  # queue_job's runner off: this node only runs the jobs sent to it
    env = dict(
        os.environ,
        ODOO_QUEUE_JOB_CHANNELS=channels,
        ODOO_QUEUE_JOB_HOST="127.0.0.1",
        ODOO_QUEUE_JOB_PORT=str(proxy_port),
    )
    cmd = [sys.executable, os.path.join(args.odoo_src, "odoo-bin"), "-c", args.config, "-d", args.db,
           "--workers=2", "--max-cron-threads=0", f"--http-port={port}", "--http-interface=127.0.0.1",
           "--gevent-port", str(intake.free_port()), "--limit-time-real=3600", "--limit-time-cpu=3600",
           "--limit-memory-soft=2147483648", "--limit-memory-hard=2684354560", "--log-level=warn"]  # fmt: skip
    log = open(node_log(args, nodes, index), "w")  # noqa: SIM115
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    return proc, port


def wait_http(procs_ports, args, nodes):
    deadline = time.time() + 90
    for index, (proc, port) in enumerate(procs_ports):
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise SystemExit(f"Odoo did not start; see {node_log(args, nodes, index)}") from None
                time.sleep(0.5)
    time.sleep(3)  # let the job runner connect


class ClusterCpu:
    """CPU of the servers' processes and of their PostgreSQL backends
    (application_name odoo-<pid>), and of everything else on the machine,
    from the first sample to the last."""

    def __init__(self, env, pids):
        self.env, self.pids = env, pids
        self.first, self.last = {}, {}
        self.machine_start = psutil.cpu_times()
        self.started = time.perf_counter()

    def _odoo_pids(self):
        found = set()
        for pid in self.pids:
            try:
                process = psutil.Process(pid)
                found |= {pid, *(child.pid for child in process.children(recursive=True))}
            except psutil.Error:
                pass
        return found

    def sample(self):
        odoo_pids = self._odoo_pids()
        self.env.cr.execute(
            "SELECT pid, application_name FROM pg_stat_activity WHERE datname = current_database()"
            " AND application_name LIKE 'odoo-%%'"
        )
        backends = {pid for pid, name in self.env.cr.fetchall() if name[5:].isdigit() and int(name[5:]) in odoo_pids}
        self.env.cr.commit()
        for kind, pids in (("odoo", odoo_pids), ("postgres", backends)):
            for pid in pids:
                used = process_cpu(pid)
                self.first.setdefault((kind, pid), used)
                self.last[(kind, pid)] = used

    def summary(self):
        """(seconds, Odoo CPU s, PostgreSQL CPU s, other processes' cores, busy %)"""
        seconds = time.perf_counter() - self.started
        used = {"odoo": 0.0, "postgres": 0.0}
        for (kind, pid), cpu in self.last.items():
            used[kind] += cpu - self.first[(kind, pid)]
        end = psutil.cpu_times()
        total = sum(end) - sum(self.machine_start)
        idle = (end.idle + getattr(end, "iowait", 0)) - (
            self.machine_start.idle + getattr(self.machine_start, "iowait", 0)
        )
        busy_cores = (total - idle) / total * psutil.cpu_count() if total else 0.0
        others = max(0.0, busy_cores - (used["odoo"] + used["postgres"]) / seconds)
        return seconds, used["odoo"], used["postgres"], others, 100 * busy_cores / psutil.cpu_count()


def run_nodes(args, env, tag, warehouse, skus, nodes, failures):
    """A fresh file staged, then confirmed and reserved by ``nodes`` servers:
    {rate, job_span, odoo_cpu, pg_cpu, others, busy, counts, load}."""
    orders = intake.generate_orders(args.orders, seed=400 + nodes, prefix=f"{tag}N{nodes}")
    channel = intake.make_channel(env, f"S{tag}N{nodes}", warehouse, skus)
    env.cr.commit()
    intake.stage(env, orders, channel)
    env.cr.execute("SELECT now() AT TIME ZONE 'UTC'")
    since = env.cr.fetchone()[0]
    env.cr.commit()
    start_load = load()
    proxy = RoundRobinProxy()
    procs = []
    try:
        for index in range(nodes):
            procs.append(start_node(args, nodes, index, proxy.port))
        proxy.backends = [port for _proc, port in procs]
        wait_http(procs, args, nodes)
        cpu = ClusterCpu(env, [proc.pid for proc, _port in procs])
        cpu.sample()
        deadline = time.time() + args.timeout
        while True:
            cpu.sample()
            env.cr.execute(
                "SELECT count(*) FILTER (WHERE state = 'confirmed'), count(*) FROM omni_order WHERE channel_id = %s",
                [channel.id],
            )
            confirmed, total = env.cr.fetchone()
            env.cr.execute("SELECT count(*) FROM queue_job WHERE state IN ('pending', 'enqueued', 'started')")
            running = env.cr.fetchone()[0]
            env.cr.execute("SELECT count(*) FROM queue_job WHERE state = 'failed' AND date_created >= %s", [since])
            failed = env.cr.fetchone()[0]
            env.cr.commit()
            if confirmed == total and not running:
                break
            if failed:
                raise SystemExit(f"a job failed: see queue_job and {node_log(args, nodes, 0)}")
            if time.time() > deadline:
                raise SystemExit(f"timeout: {confirmed}/{total} confirmed")
            time.sleep(0.5)
        cpu.sample()
        seconds, odoo_cpu, pg_cpu, others, busy = cpu.summary()
        end_load = load()
    finally:
        for proc, _port in procs:
            intake.stop_server(proc)
        proxy.close()
    env.cr.execute(
        """SELECT EXTRACT(EPOCH FROM max(date_done) - min(date_started)), count(*) FROM queue_job
           WHERE date_done >= %s AND method_name = ANY(%s)""",
        [since, list(JOB_METHODS)],
    )
    job_span, jobs = env.cr.fetchone()
    job_span = float(job_span or seconds)
    failures += check_orders(env, channel, len(orders), f"{nodes} node(s)")
    differences = env["omni.order.allocation"].check_reconciliation()
    if differences:
        failures.append(f"{nodes} node(s): {len(differences)} reconciliation differences")
    counts = [proxy.counts[port] for _proc, port in procs]
    if nodes > 1 and not all(counts):
        failures.append(f"{nodes} nodes: a node ran no job (jobs per node {counts})")
    return {
        "orders": len(orders),
        "rate": len(orders) / job_span,
        "job_span": job_span,
        "jobs": jobs,
        "odoo_cpu": odoo_cpu / len(orders),
        "pg_cpu": pg_cpu / len(orders),
        "others": others,
        "busy": busy,
        "counts": counts,
        "load": f"{start_load} -> {end_load}",
    }


def print_sizing(args, model):
    """Cores for 100,000 and 1,000,000 orders a day from the model: the
    peak rate (the day's orders over --hours, times --peak), Odoo's and
    PostgreSQL's CPU per order over all phases, each core busy at
    --utilisation; then where one primary and the reservation channel
    (--reserve-capacity jobs side by side) saturate (README.md "Scaling
    out")."""
    _wall, odoo_cpu, pg_cpu = per_order(model, PHASES)
    _wall, reserve_odoo, reserve_pg = per_order(model, ("reservation",))
    reserve_ceiling = args.reserve_capacity / (reserve_odoo + reserve_pg)
    pg_ceiling = args.primary_cores * args.utilisation / pg_cpu
    for per_day in (100_000, 1_000_000):
        rate = per_day / (args.hours * 3600) * args.peak
        odoo_cores = rate * odoo_cpu / args.utilisation
        pg_cores = rate * pg_cpu / args.utilisation
        print(f"sizing {per_day:>9,d} orders/day: peak {rate:6.1f} orders/s ({args.hours:g} h, peak x{args.peak:g}); "
              f"Odoo {odoo_cores:5.2f} cores, PostgreSQL {pg_cores:5.2f} cores at {args.utilisation:.0%} busy; "
              f"reservation channel {rate / reserve_ceiling:.0%} of its ceiling")  # fmt: skip
    print(f"sizing ceilings              : reservation channel (root.omni_reserve:{args.reserve_capacity}) "
          f"{reserve_ceiling:6.1f} orders/s; "
          f"a {args.primary_cores}-core primary {pg_ceiling:,.0f} orders/s "
          f"({1000 * pg_cpu:.2f} ms PostgreSQL CPU per order at {args.utilisation:.0%} busy)")  # fmt: skip


def main():
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit("terminated (SIGTERM)"))
    _odoo, env = odoo_env(args)
    tag = time.strftime("%H%M%S")
    _channel, warehouse, skus = intake.fixtures(env, tag)
    env["queue.job"].search([("state", "in", ["pending", "enqueued", "started", "failed"])]).button_cancelled()
    env.cr.commit()
    cores = psutil.cpu_count()
    print(f"scale-out model: {args.orders} orders a run, {args.ledger_orders} shipped orders to the ledger; "
          f"{cores} cores; {load()}")  # fmt: skip

    model, jobs, _confirmed, failures = run_model(args, env, tag, warehouse, skus)
    print(f"model  phases in one process ({jobs} jobs performed here, one cursor):")
    for phase in PHASES:
        count, wall, odoo_cpu, pg_cpu = model[phase]
        print(f"model  {phase:13s}: {count:6d} orders, per order wall {1000 * wall / count:7.2f} ms, "
              f"Odoo CPU {1000 * odoo_cpu / count:7.2f} ms, PostgreSQL CPU {1000 * pg_cpu / count:6.2f} ms "
              f"({100 * pg_cpu / (odoo_cpu + pg_cpu or 1):.0f}% PostgreSQL)")  # fmt: skip
    all_wall, all_odoo, all_pg = per_order(model, PHASES)
    print(f"model  all phases   : per order wall {1000 * all_wall:7.2f} ms, Odoo CPU {1000 * all_odoo:7.2f} ms, "
          f"PostgreSQL CPU {1000 * all_pg:6.2f} ms ({load()})")  # fmt: skip

    print_sizing(args, model)

    measured = {}
    node_counts = [int(n) for n in args.nodes.split(",") if n.strip() and int(n) > 0]
    for nodes in node_counts:
        run = measured[nodes] = run_nodes(args, env, tag, warehouse, skus, nodes, failures)
        free = max(0.25, cores - run["others"])
        run["predicted"], run["bound"] = predict(model, nodes, free)
        run["predicted_idle"] = predict(model, nodes, cores)[0]
        print(f"nodes  {nodes} x 1 job worker : {run['orders']} orders, {run['jobs']} jobs (per node "
              f"{'/'.join(map(str, run['counts']))}) in {run['job_span']:.1f} s = {run['rate']:.1f} orders/s; "
              f"per order Odoo CPU {1000 * run['odoo_cpu']:.2f} ms, PostgreSQL CPU {1000 * run['pg_cpu']:.2f} ms; "
              f"machine {run['busy']:.0f}% busy, other processes {run['others']:.2f} cores; {run['load']}")  # fmt: skip
        print(f"model  {nodes} node(s)       : predicted {run['predicted']:.1f} orders/s (bound: {run['bound']}; "
              f"{free:.2f} free cores; on an idle machine {run['predicted_idle']:.1f}), measured "
              f"{run['rate']:.1f}: measured / predicted {run['rate'] / run['predicted']:.2f}")  # fmt: skip
    duplicates = intake.duplicate_partners(env)
    print(f"check  duplicate customers : {duplicates}; failures {len(failures)}")
    if duplicates:
        failures.append(f"{duplicates} duplicate customers")
    if len(measured) > 1:
        low, high = min(measured), max(measured)
        print(f"ratio  {high} nodes / {low} node(s)  : measured {measured[high]['rate'] / measured[low]['rate']:.2f}x, "
              f"predicted {measured[high]['predicted'] / measured[low]['predicted']:.2f}x")  # fmt: skip
    env.cr.close()
    if failures:
        sys.exit("FAILED: " + "; ".join(failures))


if __name__ == "__main__":
    main()
