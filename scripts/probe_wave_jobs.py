#!/usr/bin/env python3
"""Where the jobs of a wave server spend their time (issue 29).

    python scripts/probe_wave_jobs.py --db omni_bench_x [--interval 0.05]

Run it beside scripts/bench.sh order_intake: it waits for the benchmark's
wave server on --db and, while it runs, samples every --interval s
pg_stat_activity (state, wait event, query of every backend of the
database but the benchmark script's and its own), the queue_job rows
started, /proc/<pid>/{stat,task/*/schedstat} of every PostgreSQL and Odoo
process and /proc/stat; prints (and appends to --out) a summary per server
run. Per busy job and sample ("per_busy_worker_pct"): odoo:R when the job's
Odoo process has a thread runnable (on a core or waiting for one), odoo:S
when it sleeps; pg:<wait event> or pg:cpu for each active backend of the
database. CPU per kind of process (odoo, pgdb: this database's backends,
pgpar: their parallel workers, pgother: every other PostgreSQL process of
the machine): [utime+stime, schedstat on-cpu, run-queue wait] in seconds;
a thread that ended takes its schedstat figures with it (utime+stime keeps
them). A diagnostic, not a benchmark: nothing is asserted."""

import argparse
import collections
import json
import os
import re
import sys
import time

import psycopg2

CLK = os.sysconf("SC_CLK_TCK")


def proc_stat(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
        sched = [0, 0]
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                values = f.read().split()
            sched = [sched[0] + int(values[0]), sched[1] + int(values[1])]
        states = ""
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/stat") as f:
                states += f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None
    rest = data[data.rindex(")") + 2 :].split()
    # rest[0] = state, rest[11] utime, rest[12] stime (fields 14, 15)
    return (
        ("R" if "R" in states else rest[0]),
        (int(rest[11]) + int(rest[12])) / CLK,
        int(sched[0]) / 1e9,
        int(sched[1]) / 1e9,
    )


def all_pids():
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def comm(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return ""


def machine():
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values), idle


def find_server(db):
    for pid in all_pids():
        line = cmdline(pid)
        if "odoo-bin" in line and f"-d {db} " in line + " " and "--workers=" in line:
            workers = int(re.search(r"--workers=(\d+)", line).group(1))
            return pid, workers
    return None, None


def children(pid):
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                kids = [int(k) for k in f.read().split()]
        except OSError:
            kids = []
        out.extend(kids)
        todo.extend(kids)
    return out


def norm(query):
    query = re.sub(r"\s+", " ", query or "").strip()
    query = re.sub(r"'[^']*'", "?", query)
    query = re.sub(r"\b\d+\b", "N", query)
    return query[:110]


def run(args):
    conn = psycopg2.connect(dbname=args.db, application_name="probe")
    conn.autocommit = True
    cur = conn.cursor()
    print(f"probe: waiting for an Odoo server on {args.db}", flush=True)
    while True:
        server, workers = find_server(args.db)
        if not server:
            time.sleep(0.2)
            continue
        print(f"probe: server {server} (--workers={workers}) found at {time.strftime('%H:%M:%S')}", flush=True)
        summary = sample_run(args, cur, server, workers)
        print(json.dumps(summary, indent=1), flush=True)
        with open(args.out, "a") as f:
            f.write(json.dumps(summary) + "\n")
        if args.once:
            return


def classify(activity, busy, bench_apps, cats, queries, waits):
    """Count one sample: every active backend of the database but the
    probe's and the benchmark script's, and the state of each busy job's
    Odoo process."""
    for _pid, app, state, wtype, wevent, _btype, query in activity:
        if app == "probe" or app in bench_apps or state != "active":
            continue
        cats[f"pg:{wtype}:{wevent}" if wtype else "pg:cpu"] += 1
        queries[norm(query)] += 1
        if wtype:
            waits[f"{wtype}:{wevent} | {norm(query)}"] += 1
    for wpid in busy:
        st = proc_stat(wpid)
        cats[f"odoo:{st[0] if st else '?'}"] += 1
    cats["(busy job-samples)"] += len(busy)


def sample_run(args, cur, server, workers):
    first, latest = {}, {}  # pid -> (cpu, runq) at first sight / latest
    kinds = {}  # pid -> odoo / pgdb / pgpar / pgother
    cats = collections.Counter()  # per-worker categories, busy samples
    queries = collections.Counter()
    waits = collections.Counter()
    par = collections.Counter()
    busy_samples = collections.Counter()  # number of busy workers per sample
    samples = 0
    start_machine = machine()
    start = time.monotonic()
    t_first_job = t_last_job = None
    own_start = os.times()
    bench_apps = {f"odoo-{p}" for p in all_pids() if "bench_order_intake" in cmdline(p) or "profile_wave" in cmdline(p)}
    while True:
        t = time.monotonic()
        if not os.path.exists(f"/proc/{server}"):
            break
        odoo_pids = [server, *children(server)]
        # processes
        pg_pids = (
            [p for p in all_pids() if comm(p) == "postgres"]
            if samples % 20 == 0 or not kinds
            else [p for p, k in kinds.items() if k.startswith("pg")]
        )
        cur.execute(
            "SELECT pid, application_name, state, wait_event_type, wait_event, backend_type, query"
            " FROM pg_stat_activity WHERE datname = %s AND pid != pg_backend_pid()",
            [args.db],
        )
        activity = cur.fetchall()
        cur.execute("SELECT worker_pid FROM queue_job WHERE state = 'started'")
        busy = {r[0] for r in cur.fetchall() if r[0]}
        if busy:
            t_last_job = t
            t_first_job = t_first_job or t
        busy_samples[len(busy)] += 1
        db_pids = set()
        for pid, _app, _state, _wtype, _wevent, btype, query in activity:
            db_pids.add(pid)
            kinds[pid] = "pgpar" if btype == "parallel worker" else "pgdb"
            if btype == "parallel worker":
                par[norm(query)] += 1
        for p in pg_pids:
            kinds.setdefault(p, "pgother")
        # extra: pids seen now (new backends) get their first value now
        for p in set(odoo_pids) | set(pg_pids) | db_pids:
            st = proc_stat(p)
            if not st:
                continue
            if p in odoo_pids:
                kinds[p] = "odoo"
            if p not in first:
                # running at the start: counted from there; started since: from its start
                first[p] = (st[1], st[2], st[3]) if samples == 0 else (0.0, 0.0, 0.0)
            latest[p] = (st[1], st[2], st[3], st[0])
        if busy:
            classify(activity, busy, bench_apps, cats, queries, waits)
        samples += 1
        time.sleep(max(0.0, args.interval - (time.monotonic() - t)))
    elapsed = time.monotonic() - start
    end_machine = machine()
    total, idle = end_machine[0] - start_machine[0], end_machine[1] - start_machine[1]
    used = collections.defaultdict(lambda: [0.0, 0.0, 0.0])
    for p, (cpu, on_cpu, runq, _st) in latest.items():
        f = first.get(p, (0.0, 0.0, 0.0))
        k = kinds.get(p, "?")
        used[k][0] += cpu - f[0]
        used[k][1] += on_cpu - f[1]
        used[k][2] += runq - f[2]
    job_span = (t_last_job - t_first_job) if t_first_job else 0
    own = os.times()
    worker_samples = cats["(busy job-samples)"]
    return {
        "workers": workers - 1,
        "at": time.strftime("%H:%M:%S"),
        "elapsed_s": round(elapsed, 1),
        "job_span_s": round(job_span, 1),
        "samples": samples,
        "sample_interval_real": round(elapsed / max(samples, 1), 3),
        "loadavg_end": open("/proc/loadavg").read().split()[:3],
        "machine_busy_pct": round(100 * (1 - idle / total), 1) if total else None,
        "machine_cores_used": round((total - idle) / CLK / elapsed, 2),
        "cpu_s_by_kind [utime+stime, schedstat on-cpu, runqueue wait]": {
            k: [round(x, 1) for x in v] for k, v in used.items()
        },
        "cores_by_kind": {k: round(v[0] / elapsed, 2) for k, v in used.items()},
        "probe_own_cpu_s": round(own.user + own.system - own_start.user - own_start.system, 1),
        "busy_workers_hist": dict(busy_samples),
        "per_busy_worker_pct": {k: round(100 * v / max(worker_samples, 1), 1) for k, v in cats.most_common()},
        "top_active_queries_pct": {
            k: round(100 * v / max(worker_samples, 1), 1) for k, v in queries.most_common(args.top)
        },
        "top_waits": dict(waits.most_common(args.top)),
        "parallel_worker_samples": dict(par.most_common(5)),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--interval", type=float, default=0.05)
    parser.add_argument("--out", default="/tmp/probe_reserve.jsonl")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--once", action="store_true")
    run(parser.parse_args())
    sys.exit(0)
