#!/usr/bin/env python3
"""Benchmark: stock push latency, 1,000 stock changes a minute, change to platform.

    scripts/bench.sh stock_latency [--products 4000] [--channels 4] [--skus-per-channel 1000]
                                   [--rate 1000] [--duration 120] [--delay 20]

Fixtures as scripts/bench_stock_sync.py ('SB-' products, reused; C fresh
channels of S platform SKUs, a tenth of them bundles) pushing to a local HTTP
stand-in platform; a full sync per channel sets the baseline. Then, for
--duration seconds, --writers threads commit --rate stock changes a minute (one
product's quant each, +/- 1..5, a transaction each, as deliveries and
receipts do), while one job worker (the queue_job runner's part, polling
every 0.5 s) runs the pending stock push jobs whose eta has come, each in
its transaction, as the runner would. The benchmark database's older
channels get the push on change switched off (their stand-ins are gone).

Latency of a change, per channel selling its product: from its commit to
the end of the first push of that channel that started after it (the
stand-in has then answered, holding the new quantity).
  naive   the 15-minute incremental cron: the change waits for the next
          sync of its channel (a random moment of the 15 minutes) plus the
          measured duration of a sync; computed on the same changes;
  ours    the debounced push queued at the change (omni_stock): measured.
Checks: every change is covered by a push, the stand-in holds exactly
get_sellable_stock for every SKU at the end, the number of jobs is about
duration / delay per channel, not one per change (exit 1 otherwise).
Prints the target (p95 < 60 s) and the ratio naive / ours (p95) last.
"""

import random
import statistics
import sys
import threading
import time
from collections import defaultdict

import psycopg2
from bench_common import arg_parser, odoo_env
from bench_stock_sync import fixture_channels, fixture_products, load_platform_stub, sync_one_by_one

ACCESS_TOKEN = "bench-token"
CRON_INTERVAL_S = 15 * 60
TARGET_S = 60.0
POLL_S = 0.5


def parse_args():
    parser = arg_parser(__doc__)
    parser.add_argument("--products", type=int, default=4000)
    parser.add_argument("--channels", type=int, default=4)
    parser.add_argument("--skus-per-channel", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=1000, help="stock changes a minute")
    parser.add_argument("--duration", type=float, default=120.0, help="seconds of changes")
    parser.add_argument("--delay", type=int, default=20, help="the channels' push delay (seconds)")
    parser.add_argument("--writers", type=int, default=2, help="threads committing the changes")
    parser.add_argument("--seed", type=int, default=11)
    parser.smoke_sizes(products=200, channels=2, skus_per_channel=100, rate=600, duration=6.0, delay=2)
    # bench_stock_sync's fixtures read it: the channels here are always this run's own
    parser.set_defaults(reuse_channels=False)
    return parser.parse_args()


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


class Worker(threading.Thread):
    """One job worker: the pending stock pushes whose eta has come, each in
    its own transaction; records (channel id, start, end) per job."""

    def __init__(self, registry):
        super().__init__(name="bench-job-worker", daemon=True)
        self.registry = registry
        self.runs = []
        self.errors = []
        self.stopping = threading.Event()

    def run(self):
        from odoo import SUPERUSER_ID, api, fields

        from odoo.addons.queue_job.job import Job

        threading.current_thread().dbname = self.registry.db_name
        while True:
            with self.registry.cursor() as cr:
                cr.execute(
                    "SELECT uuid FROM queue_job WHERE state = 'pending' AND method_name = '_sync_stock_job'"
                    " AND (eta IS NULL OR eta <= %s) ORDER BY eta, id",
                    [fields.Datetime.now()],
                )
                uuids = [row[0] for row in cr.fetchall()]
            if not uuids and self.stopping.is_set():
                return
            for uuid in uuids:
                self._perform(uuid, Job, api, SUPERUSER_ID)
            if not uuids:
                time.sleep(POLL_S)

    def _perform(self, uuid, Job, api, uid):
        with self.registry.cursor() as cr:
            job = Job.load(api.Environment(cr, uid, {}), uuid)
            job.set_started()
            job.store()
        start = time.time()
        with self.registry.cursor() as cr:
            job = Job.load(api.Environment(cr, uid, {}), uuid)
            try:
                job.perform()
                job.set_done()
                job.store()
            except Exception as err:  # noqa: BLE001 - reported and counted as a failed check
                cr.rollback()
                self.errors.append(f"{uuid}: {err}")
                return
            channel_id = job.recordset.id
        self.runs.append((channel_id, start, time.time()))


def write_changes(registry, product_ids, warehouse_id, args):
    """--rate changes a minute for --duration seconds, one commit each,
    spread over --writers threads (each its own cursor, as several users
    validating at once): [(commit time, product id)]."""
    from odoo import SUPERUSER_ID, api

    period = 60.0 / args.rate * args.writers
    changes, retries = [], [0]
    start = time.time()

    def writer(index):
        threading.current_thread().dbname = registry.db_name
        rng = random.Random(args.seed + index)
        n = 0
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            Quant, location = env["stock.quant"], env["stock.warehouse"].browse(warehouse_id).lot_stock_id
            while time.time() - start < args.duration:
                due = start + (n + index / args.writers) * period
                if due > time.time():
                    time.sleep(due - time.time())
                product = env["product.product"].browse(rng.choice(product_ids))
                quantity = rng.randint(1, 5) * rng.choice([1, -1])
                try:
                    Quant._update_available_quantity(product, location, quantity)
                    # the change's time is taken before the commit: a push that
                    # started after it (committed its start after this commit's
                    # lock on the waiting job) covers it
                    committed = time.time()
                    cr.commit()
                except psycopg2.errors.SerializationFailure:
                    # two writers on one quant: retried, as Odoo retries a request
                    cr.rollback()
                    env.invalidate_all()
                    retries[0] += 1
                    continue
                changes.append((committed, product.id))
                env.invalidate_all()
                n += 1

    threads = [threading.Thread(target=writer, args=(i,), name=f"bench-writer-{i}") for i in range(args.writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(changes), time.time() - start, retries[0]


def time_hook(registry):
    """Wrap omni.channel._queue_stock_push (the commit-time hook: find the
    channels, queue their pushes) to add up its time: [calls, seconds]."""
    cls = registry["omni.channel"]
    original = cls._queue_stock_push
    spent = [0, 0.0]

    def timed(self):
        start = time.perf_counter()
        try:
            return original(self)
        finally:
            spent[0] += 1
            spent[1] += time.perf_counter() - start

    cls._queue_stock_push = timed
    return spent


def latencies(changes, channels_of_product, runs):
    """Ours: per (change, channel), end of the first push of the channel that
    started after the change; None when no push covered it."""
    runs_by_channel = defaultdict(list)
    for channel_id, start, end in runs:
        runs_by_channel[channel_id].append((start, end))
    result, missing = [], 0
    for committed, product_id in changes:
        for channel_id in channels_of_product[product_id]:
            ends = [end for start, end in runs_by_channel[channel_id] if start >= committed]
            if ends:
                result.append(min(ends) - committed)
            else:
                missing += 1
    return result, missing


def naive_latencies(changes, channels_of_product, sync_seconds, rng):
    """The 15-minute cron: a change comes at a random moment of its
    channel's cycle (a run of minutes would otherwise see one phase per
    channel), waits for the next sync, plus the sync's duration."""
    return [
        rng.uniform(0, CRON_INTERVAL_S) + sync_seconds
        for _committed, product_id in changes
        for _channel_id in channels_of_product[product_id]
    ]


def main():
    args = parse_args()
    _odoo, env = odoo_env(args)
    PlatformStub = load_platform_stub()
    rng = random.Random(args.seed)
    tag = time.strftime("%y%m%d%H%M%S")
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    products = fixture_products(env, args.products, warehouse)
    channels, _skus = fixture_channels(env, tag, args, products, warehouse)
    # the benchmark's channels only: older benchmark channels push nothing here
    env["omni.channel"].search([("id", "not in", [c.id for c in channels])]).write({"stock_push_on_change": False})
    for channel in channels:
        channel.stock_push_delay = args.delay
    env.cr.commit()
    mappings = env["omni.product.mapping"].search_fetch(
        [("channel_id", "in", [c.id for c in channels])], ["channel_id", "product_id"]
    )
    channels_of_product = defaultdict(set)
    for mapping in mappings:
        channels_of_product[mapping.product_id.id].add(mapping.channel_id.id)
    sold = env["product.product"].browse(sorted(channels_of_product))
    failures = []
    with PlatformStub([], access_token=ACCESS_TOKEN) as stub:
        for channel in channels:
            channel.api_base_url = stub.url
        env.cr.commit()
        full_s, logs = sync_one_by_one(env, channels, "full")
        print(
            f"full   sync (baseline, not in ratio)    : {sum(logs.mapped('sent_count')):7,d} SKUs sent "
            f"in {full_s:8.1f} s"
        )
        env.cr.execute("DELETE FROM queue_job WHERE method_name = '_sync_stock_job' AND state = 'pending'")
        env.cr.commit()

        worker = Worker(env.registry)
        worker.start()
        hook = time_hook(env.registry)
        changes, written_s, retried = write_changes(env.registry, sold.ids, warehouse.id, args)
        print(
            f"writer stock changes committed          : {len(changes):7,d} in {written_s:8.1f} s "
            f"({len(changes) / written_s * 60:,.0f} a minute, {args.writers} writers, {len(sold):,d} products "
            f"sold on {len(channels)} channels; {retried} retried after a serialization failure)"
        )
        print(
            f"hook   at commit: find channels, queue  : {hook[1] / max(hook[0], 1) * 1000:7.1f} ms a transaction "
            f"({hook[0]:,d} transactions)"
        )
        # the last changes' pushes: the delay, then the push itself
        time.sleep(args.delay + 2 * POLL_S)
        worker.stopping.set()
        worker.join(args.delay + 300)
        env.invalidate_all()
        received = {sku: int(qty) for sku, qty in stub.stock.items()}
    runs = worker.runs
    ours, missing = latencies(changes, channels_of_product, runs)
    sync_seconds = statistics.mean(end - start for _c, start, end in runs) if runs else 0.0
    naive = naive_latencies(changes, channels_of_product, sync_seconds, rng)
    print(
        f"jobs   pushes run (one worker)          : {len(runs):7,d} for {len(changes):,d} changes "
        f"(mean {sync_seconds:.2f} s each; {len(worker.errors)} failed)"
    )
    print(
        f"naive  15-minute cron latency           : p50 {percentile(naive, 0.5):7.1f} s, "
        f"p95 {percentile(naive, 0.95):7.1f} s, mean {statistics.mean(naive):7.1f} s"
    )
    if ours:
        print(
            f"ours   debounced push latency ({args.delay:2d} s)    : p50 {percentile(ours, 0.5):7.1f} s, "
            f"p95 {percentile(ours, 0.95):7.1f} s, max {max(ours):7.1f} s"
        )
    if worker.errors:
        print("       e.g. " + "; ".join(worker.errors[:3]))
        failures.append("push jobs failed")
    if missing or not ours:
        failures.append(f"{missing} (change, channel) pairs never pushed")
    # the stand-in holds what each channel may sell, SKU by SKU
    wrong = []
    for channel in channels:
        for sku, qty in channel._sellable_quantities().items():
            if received.get(sku) != qty:
                wrong.append((sku, qty, received.get(sku)))
    print(f"check  stand-in = get_sellable_stock    : {len(received):7,d} SKUs, {len(wrong)} wrong")
    if wrong:
        print("       e.g. (sku, sellable, stand-in): " + ", ".join(map(str, wrong[:5])))
        failures.append("the stand-in does not hold the sellable stock")
    bound = len(channels) * (written_s / args.delay + 3)
    if len(runs) > bound:
        failures.append(f"{len(runs)} pushes, more than {bound:.0f}: not debounced")
    p95 = percentile(ours, 0.95) if ours else float("inf")
    print(
        f"target p95 latency < {TARGET_S:.0f} s               : {'met' if p95 < TARGET_S else 'NOT met'} ({p95:.1f} s)"
    )
    print(f"ratio  naive / ours (p95)               : {percentile(naive, 0.95) / p95:5.1f}x")
    env.cr.close()
    if failures:
        sys.exit("FAILED: " + "; ".join(failures))


if __name__ == "__main__":
    main()
