#!/usr/bin/env python3
"""Benchmark: incremental stock sync of 50,000 SKUs on each of 8 channels.

    scripts/bench.sh stock_sync [--products 50000] [--channels 8] [--skus-per-channel 50000] [--changed 0.05]
                                [--reuse-channels] [--workers 8]

Fixtures (committed, reused by later runs through the 'SB-' internal codes):
P storable products with stock in the company's first warehouse (0..500,
a few at -5); each run adds C channels with fresh unit codes (time-based
tag; --reuse-channels takes the last run's C channels of the same size
instead), each mapping S platform SKUs (10 % bundles of two products, 0.5
and 2.0 a unit; with S = P every channel sells every product), ratio 0.8
and safety stock 2, each pushing to its own stand-in platform (generic
REST, 50 SKUs a call): a local HTTP server in a process of its own, started
before Odoo, as the platforms are servers of their own. A full sync of
every channel sets the baseline (timed, not in the ratio). Then twice, 5 %
of the products' stock changes (other products each time) and:
  naive   per channel, what the incremental sync did before the change
          log: every SKU computed through the ORM (relation rows, one
          grouped read of the quants and of the allocations, the formula in
          Python) and compared with what was last sent (compute only);
the first time
  before  omni.channel.sync_stock(code, 'incremental') for one channel
          after the other, each committed: the change log's SKUs computed
          in SQL, pushed one call after the other (the cron's jobs ran one
          at a time on root.omni_sync:1);
the second time
  ours    omni.channel._sync_stock_channels('incremental') on all channels,
          committed (the cron's incremental job): every channel's changed
          SKUs computed in one statement, then the pushes of all channels
          at the same time (--workers at most) while the log lines and SKU
          states are written (one statement), then the refused SKUs put
          back and the logs' totals.
Checks after each path that every stand-in received exactly the SKUs the
naive path found changed, with its values, and that get_sellable_stock
agrees on 200 random SKUs with a third computation, SKU by SKU through the
ORM (each product's free_qty in the warehouse) (exit 1 otherwise). Prints
the load, the target (incremental sync of all channels under 1 s), before
/ ours, and the ratio naive / ours last. Speed is never asserted in tests.
"""

import math
import multiprocessing
import os
import random
import sys
import time

from bench_common import arg_parser, odoo_env

PREFIX = "SB-"
BATCH = 2000
STOCK_RATIO = 0.8
SAFETY_QTY = 2
TARGET_S = 1.0
SAMPLE = 200
ACCESS_TOKEN = "bench-token"
STOCK_BATCH = 50  # the generic REST protocol's SKUs a call (its adapter's stock_batch_size)


def parse_args():
    parser = arg_parser(__doc__)
    parser.add_argument("--products", type=int, default=50000)
    parser.add_argument("--channels", type=int, default=8)
    parser.add_argument("--skus-per-channel", type=int, default=50000)
    parser.add_argument("--changed", type=float, default=0.05, help="share of the products whose stock changes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=8, help="channels pushed at once (ours)")
    parser.add_argument(
        "--reuse-channels", action="store_true", help="sync the last run's channels of this size (no new ones)"
    )
    parser.smoke_sizes(products=300, channels=2, skus_per_channel=200, changed=0.05)
    return parser.parse_args()


def initial_qty(index):
    """Stock of product ``index`` when first created (same on every database)."""
    if index % 97 == 13:
        return -5
    return random.Random(index).randint(0, 500)


def fixture_products(env, n_products, warehouse):
    """The first ``n_products`` 'SB-nnnnn' products, creating the missing ones
    with their initial stock, a batch and its stock per commit."""
    Product = env["product.product"].with_context(tracking_disable=True, mail_create_nolog=True)
    Quant = env["stock.quant"]
    start = time.perf_counter()
    existing = Product.search([("default_code", "=like", f"{PREFIX}%")])
    by_code = {p.default_code: p.id for p in existing}
    missing = [i for i in range(n_products) if f"{PREFIX}{i:05d}" not in by_code]
    for offset in range(0, len(missing), BATCH):
        indexes = missing[offset : offset + BATCH]
        created = Product.create(
            [
                {
                    "name": f"Stock bench product {i}",
                    "default_code": f"{PREFIX}{i:05d}",
                    "is_storable": True,
                    "list_price": 10 + i % 90,
                }
                for i in indexes
            ]
        )
        for i, product in zip(indexes, created, strict=True):
            by_code[product.default_code] = product.id
            qty = initial_qty(i)
            if qty:
                Quant._update_available_quantity(product, warehouse.lot_stock_id, qty)
        env.cr.commit()
        env.invalidate_all()
    products = env["product.product"].browse([by_code[f"{PREFIX}{i:05d}"] for i in range(n_products)])
    elapsed = time.perf_counter() - start
    print(
        f"fixtures products                       : {n_products:7,d} products ({len(missing):,d} created) "
        f"in {elapsed:8.1f} s"
    )
    return products


def channel_skus(code, channel_index, n_skus, products):
    """{platform_sku: [(product, qty), ...]} of one channel: consecutive
    products, every tenth SKU a bundle of two products (0.5 and 2.0)."""
    n_products = len(products)
    skus = {}
    for i in range(n_skus):
        n = channel_index * n_skus + i
        if i % 10 == 9:
            skus[f"{code}-SKU-{i}"] = [
                (products[n % n_products], 0.5),
                (products[(n + n_products // 2) % n_products], 2.0),
            ]
        else:
            skus[f"{code}-SKU-{i}"] = [(products[n % n_products], 1.0)]
    return skus


def reused_channels(env, args, products):
    """The last run's C channels whose relation tables have this size (None
    when there are none): their SKUs are rebuilt from their unit codes."""
    rows_per_channel = args.skus_per_channel + args.skus_per_channel // 10  # a bundle maps two products
    env.cr.execute(
        """SELECT c.code FROM omni_channel c
            WHERE c.code LIKE 'SB%%C%%' AND c.active
              AND (SELECT count(*) FROM omni_product_mapping m WHERE m.channel_id = c.id) = %s
            ORDER BY c.id DESC""",
        [rows_per_channel],
    )
    by_tag = {}
    for (code,) in env.cr.fetchall():
        tag, _c, index = code[2:].rpartition("C")
        by_tag.setdefault(tag, {})[int(index)] = code
    for _tag, codes in sorted(by_tag.items(), reverse=True):
        if sorted(codes) == list(range(args.channels)):
            channels = [env["omni.channel"].search([("code", "=", codes[c])]) for c in range(args.channels)]
            skus_by_channel = {
                channel.code: list(channel_skus(channel.code, c, args.skus_per_channel, products))
                for c, channel in enumerate(channels)
            }
            print(f"fixtures channels                       : {len(channels):7d} channels reused ({codes[0][:-2]}...)")
            return channels, skus_by_channel
    return None


def fixture_channels(env, tag, args, products, warehouse):
    """C fresh channels (unit codes of this run) and their relation tables."""
    if args.reuse_channels:
        reused = reused_channels(env, args, products)
        if reused:
            return reused
    start = time.perf_counter()
    channels, skus_by_channel = [], {}
    for c in range(args.channels):
        code = f"SB{tag}C{c}"
        channel = env["omni.channel"].create(
            {
                "name": f"Stock bench {code}",
                "code": code,
                "warehouse_id": warehouse.id,
                "adapter_kind": "generic_rest",
                "api_base_url": "http://127.0.0.1:9",  # the stand-in's URL once it runs
                "api_access_token": ACCESS_TOKEN,
                "stock_ratio": STOCK_RATIO,
                "stock_safety_qty": SAFETY_QTY,
            }
        )
        skus = channel_skus(channel.code, c, args.skus_per_channel, products)
        rows = [
            {"channel_id": channel.id, "platform_sku": sku, "product_id": product.id, "quantity": qty}
            for sku, parts in skus.items()
            for product, qty in parts
        ]
        for offset in range(0, len(rows), BATCH):
            env["omni.product.mapping"].create(rows[offset : offset + BATCH])
        env.cr.commit()
        env.invalidate_all()
        channels.append(channel)
        skus_by_channel[channel.code] = list(skus)
    elapsed = time.perf_counter() - start
    n_skus = sum(len(skus) for skus in skus_by_channel.values())
    print(
        f"fixtures channels                       : {len(channels):7d} channels, {n_skus:,d} SKUs in {elapsed:8.1f} s"
    )
    return channels, skus_by_channel


def time_pushes(env):
    """Record when each push to a stand-in starts and ends, in this process
    (HTTP both ways and the stand-in's own work), every channel's at once
    (omni_channel_stock_sync._push_with_adapter, in threads).
    Returns the list of (start, end)."""
    from odoo.addons.omni_stock.models import omni_channel_stock_sync as module

    spans = []
    push = module._push_with_adapter

    def timed(adapter, to_send, label):
        start = time.perf_counter()
        try:
            return push(adapter, to_send, label)
        finally:
            spans.append((start, time.perf_counter()))

    module._push_with_adapter = timed
    return spans


def push_seconds(spans):
    """Seconds during which at least one push ran (pushes at once count once)."""
    total, end = 0.0, None
    for start, stop in sorted(spans):
        if end is None or start > end:
            total += stop - start
            end = stop
        elif stop > end:
            total += stop - end
            end = stop
    return total


def sync_one_by_one(env, channels, mode):
    """sync_stock(code, mode) for one channel after the other, each
    committed; returns the seconds and the sync log records."""
    env.invalidate_all()
    start = time.perf_counter()
    log_ids = []
    for channel in channels:
        log_ids.append(env["omni.channel"].sync_stock(channel.code, mode))
        env.cr.commit()
    elapsed = time.perf_counter() - start
    return elapsed, env["omni.stock.sync"].browse(log_ids)


def sync_at_once(env, channels, mode, workers):
    """_sync_stock_channels(mode) on every channel, committed; returns the
    seconds and the sync log records."""
    env.invalidate_all()
    start = time.perf_counter()
    logs = env["omni.channel"].browse([channel.id for channel in channels])._sync_stock_channels(mode, workers=workers)
    env.cr.commit()
    return time.perf_counter() - start, logs


def change_stock(env, products, warehouse, share, rng):
    """Change the stock of ``share`` of the products (random +/- amounts)."""
    changed = rng.sample(list(products), max(1, round(len(products) * share)))
    for product in changed:
        delta = rng.randint(1, 60) * rng.choice([1, -1])
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, delta)
    env.cr.commit()
    print(f"stock  changed                          : {len(changed):7,d} products ({share:.1%})")
    return changed


def naive_sellable(parts, ratio, safety):
    """The formula on (free quantity, quantity a unit) pairs: (free - safety)
    * ratio per unit of the scarcest component, rounded down (float noise
    tolerated), never negative."""
    units = min(max(0.0, (free - safety) * ratio) / qty for free, qty in parts)
    return max(0, math.floor(units + 1e-6))


def naive_channel(env, channel):
    """The incremental sync before the change log, compute part: every SKU
    of the channel through the ORM, compared with what was last sent.
    Returns ({sku: quantity}, {sku: quantity to send})."""
    Mapping = env["omni.product.mapping"]
    mappings = Mapping.search_fetch([("channel_id", "=", channel.id)], ["platform_sku", "product_id", "quantity"])
    components, archived = {}, set()
    for mapping in mappings:
        components.setdefault(mapping.platform_sku, []).append((mapping.product_id.id, mapping.quantity))
        if not mapping.product_id.active:
            archived.add(mapping.platform_sku)
    product_ids = list({product_id for parts in components.values() for product_id, _qty in parts})
    groups = env["stock.quant"]._read_group(
        [("location_id", "child_of", channel.warehouse_id.lot_stock_id.id), ("product_id", "in", product_ids)],
        ["product_id"],
        ["quantity:sum", "reserved_quantity:sum"],
    )
    free = {product.id: quantity - reserved for product, quantity, reserved in groups}
    allocated = env["omni.order.allocation"]._read_group(
        [("warehouse_id", "=", channel.warehouse_id.id), ("product_id", "in", product_ids)],
        ["product_id"],
        ["quantity:sum"],
    )
    for product, quantity in allocated:
        free[product.id] = free.get(product.id, 0.0) - quantity
    ratio, safety = channel.stock_ratio, channel.stock_safety_qty
    values = {
        sku: naive_sellable([(free.get(product_id, 0.0), qty) for product_id, qty in parts], ratio, safety)
        for sku, parts in components.items()
        if sku not in archived
    }
    states = {
        state.platform_sku: state
        for state in env["omni.stock.sku.state"].search_fetch(
            [("channel_id", "=", channel.id)], ["platform_sku", "last_quantity", "failed"]
        )
    }
    to_send = {
        sku: qty
        for sku, qty in values.items()
        if sku not in states or states[sku].failed or states[sku].last_quantity != qty
    }
    return values, to_send


def run_naive(env, channels):
    env.invalidate_all()
    values, to_send = {}, {}
    start = time.perf_counter()
    for channel in channels:
        channel_values, channel_to_send = naive_channel(env, channel)
        values.update(channel_values)
        to_send.update(channel_to_send)
    return time.perf_counter() - start, values, to_send


def per_sku_sellable(env, channel, sku):
    """A third computation, SKU by SKU: its relation rows, each product's
    free_qty in the channel's warehouse through the ORM, the formula."""
    parts = []
    for mapping in env["omni.product.mapping"].search([("channel_id", "=", channel.id), ("platform_sku", "=", sku)]):
        product = mapping.product_id.with_context(warehouse_id=channel.warehouse_id.id)
        parts.append((product.free_qty, mapping.quantity))
    return naive_sellable(parts, channel.stock_ratio, channel.stock_safety_qty)


def check_pushed(stubs, to_send):
    """SKUs the stand-ins should have received (the naive path's) against
    those they received, and wrong values."""
    received = {}
    for stub in stubs:
        received.update(stub.stock())
    expected = set(to_send)
    wrong = [sku for sku in set(received) & expected if int(received[sku]) != to_send[sku]]
    return expected, set(received), wrong


def check_sample(env, channels, skus_by_channel, naive, rng):
    """get_sellable_stock against the per-SKU ORM computation (and the
    naive path) on SAMPLE random SKUs."""
    env.invalidate_all()
    by_code = {channel.code: channel for channel in channels}
    all_skus = [(channel.code, sku) for channel in channels for sku in skus_by_channel[channel.code]]
    sample = rng.sample(all_skus, min(SAMPLE, len(all_skus)))
    grouped = {}
    for code, sku in sample:
        grouped.setdefault(code, []).append(sku)
    mismatches = []
    for code, skus in grouped.items():
        ours = env["omni.channel"].get_sellable_stock(code, skus)
        for sku in skus:
            per_sku = per_sku_sellable(env, by_code[code], sku)
            if not ours.get(sku) == per_sku == naive.get(sku):
                mismatches.append((sku, per_sku, naive.get(sku), ours.get(sku)))
    return len(sample), mismatches


def load_platform_stub():
    """The tests' stand-in platform, loaded from its file: importing it as
    odoo.addons.omni_platform.tests.platform_stub would import Odoo's test
    framework outside test mode."""
    import importlib.util
    import pathlib

    path = pathlib.Path(__file__).resolve().parents[1] / "addons/omni_platform/tests/platform_stub.py"
    spec = importlib.util.spec_from_file_location("omni_platform_stub", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.PlatformStub


def _serve_stub(conn):
    """Child process: one stand-in platform, answering the parent's
    questions about what it received until told to stop."""
    stub = load_platform_stub()([], access_token=ACCESS_TOKEN).start()
    conn.send(stub.url)
    while True:
        command = conn.recv()
        if command == "stock":
            conn.send(dict(stub.stock))
        elif command == "stock_requests":
            conn.send(len([r for r in stub.requests if r.path.rstrip("/").endswith("/stock")]))
        elif command == "reset":
            stub.reset()
            conn.send(None)
        else:
            stub.stop()
            conn.send(None)
            return


class RemoteStub:
    """A stand-in platform in a process of its own (forked before Odoo
    opens a database connection)."""

    def __init__(self):
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve_stub, args=(child,), daemon=True)
        self._process.start()
        self.url = self._conn.recv()

    def _ask(self, command):
        self._conn.send(command)
        return self._conn.recv()

    def stock(self):
        return self._ask("stock")

    def stock_requests(self):
        return self._ask("stock_requests")

    def reset(self):
        return self._ask("reset")

    def stop(self):
        self._ask("stop")
        self._process.join(5)


def load():
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def run_path(env, label, run, channels, stubs, products, warehouse, rng, failures):
    """Change the stock of a share of the products, compute the naive path,
    run ``run`` (a sync of every channel) and check what the stand-ins
    received; returns (naive seconds, run seconds, naive values)."""
    args = run.args
    for stub in stubs:
        stub.reset()
    change_stock(env, products, warehouse, args.changed, rng)
    naive_s, naive, naive_to_send = run_naive(env, channels)
    print(
        f"naive  per channel: every SKU (ORM)     : {len(naive):7,d} SKUs computed, "
        f"{len(naive_to_send):,d} to send in {naive_s:8.2f} s"
    )
    if {sku for sku, qty in naive.items() if run.baseline.get(sku) != qty} != set(naive_to_send):
        failures.append("the naive path's SKUs to send are not those changed since the last sync")
    spans = run.spans
    spans.clear()
    load_before = load()
    elapsed, logs = run(env, channels)
    stock_requests = sum(stub.stock_requests() for stub in stubs)
    states = sorted(set(logs.mapped("state")))
    print(
        f"{label:<40s}: {sum(logs.mapped('sku_count')):7,d} SKUs computed, "
        f"{sum(logs.mapped('sent_count')):,d} sent ({sum(logs.mapped('failed_count'))} failed) in {elapsed:8.2f} s "
        f"({stock_requests} stock requests; state {'/'.join(states)}; load {load_before})"
    )
    pushing = push_seconds(spans)
    print(
        f"       of which pushing to the platforms: {pushing:8.2f} s ({stock_requests} calls of at most "
        f"{STOCK_BATCH} SKUs); computing, comparing, logging {elapsed - pushing:.2f} s"
    )
    expected, received, wrong = check_pushed(stubs, naive_to_send)
    print(
        f"check  pushed = changed SKUs            : {len(received):7,d} received, {len(expected):,d} changed "
        f"({len(expected - received)} missing, {len(received - expected)} extra, {len(wrong)} wrong values)"
    )
    if states != ["done"]:
        failures.append(f"incremental sync state {'/'.join(states)}")
    if expected != received or wrong:
        failures.append("the stand-ins did not receive exactly the changed SKUs with their values")
    run.baseline.update(naive_to_send)
    return naive_s, elapsed, naive


def main():
    args = parse_args()
    # the stand-in platforms first: forked before Odoo opens a connection
    stubs = [RemoteStub() for _c in range(args.channels)]
    try:
        bench(args, stubs)
    finally:
        for stub in stubs:
            stub.stop()


def bench(args, stubs):
    _odoo, env = odoo_env(args)
    print(f"load   at start (1/5/15 min)            : {load()} on {os.cpu_count()} cores")
    rng = random.Random(args.seed)
    tag = time.strftime("%y%m%d%H%M%S")
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    products = fixture_products(env, args.products, warehouse)
    channels, skus_by_channel = fixture_channels(env, tag, args, products, warehouse)
    n_skus = sum(len(skus) for skus in skus_by_channel.values())
    failures = []
    for channel, stub in zip(channels, stubs, strict=True):
        channel.api_base_url = stub.url
    env.cr.commit()
    spans = time_pushes(env)

    full_s, logs = sync_at_once(env, channels, "full", args.workers)
    states = sorted(set(logs.mapped("state")))
    received = sum(len(stub.stock()) for stub in stubs)
    print(
        f"full   sync (baseline, not in ratio)    : {sum(logs.mapped('sku_count')):7,d} SKUs computed, "
        f"{sum(logs.mapped('sent_count')):,d} sent in {full_s:8.1f} s "
        f"(received {received:,d}; state {'/'.join(states)})"
    )
    if states != ["done"] or received != n_skus:
        failures.append("the full sync did not push every SKU")
    baseline = {}
    for stub in stubs:
        baseline.update({sku: int(qty) for sku, qty in stub.stock().items()})

    def before(env, channels):
        return sync_one_by_one(env, channels, "incremental")

    def ours(env, channels):
        return sync_at_once(env, channels, "incremental", args.workers)

    for run in (before, ours):
        run.args, run.baseline, run.spans = args, baseline, spans
    _n, before_s, _naive = run_path(
        env, "before one channel after the other", before, channels, stubs, products, warehouse, rng, failures
    )
    naive_s, ours_s, naive = run_path(
        env, "ours   all channels at once", ours, channels, stubs, products, warehouse, rng, failures
    )
    sampled, mismatches = check_sample(env, channels, skus_by_channel, naive, rng)
    print(f"check  get_sellable_stock vs naive      : {sampled:7d} SKUs sampled, {len(mismatches)} mismatches")
    if mismatches:
        print("       e.g. (sku, per SKU, naive, ours): " + ", ".join(map(str, mismatches[:5])))
        failures.append("get_sellable_stock disagrees with the naive formula")
    print(f"load   at end (1/5/15 min)              : {load()}")
    print(
        f"target incremental sync < {TARGET_S:.0f} s           : {'met' if ours_s < TARGET_S else 'NOT met'} "
        f"({ours_s:.2f} s, {len(channels)} channels)"
    )
    print(f"ratio  before / ours                    : {before_s / ours_s:5.2f}x")
    print(f"ratio  naive / ours                     : {naive_s / ours_s:5.2f}x")
    env.cr.close()
    if failures:
        sys.exit("FAILED: " + "; ".join(failures))


if __name__ == "__main__":
    main()
