#!/usr/bin/env python3
"""Benchmark: pull 10,000 Taobao orders across 100 pages while 1 % of them change during the pull.

    scripts/bench.sh platform_pull [--orders 10000] [--page-size 100] [--change-pct 1]

The platform is a local stand-in of the TOP router (omni_platform's test
stub, reference-shaped ``taobao.trades.sold.increment.get`` answers: trades
newest first by ``modified``, ``total_results``, Beijing time, signed
calls): N paid trades (WAIT_SELLER_SEND_GOODS) modified over 40 minutes
before the pull. While the pull reads its pages, C = N x change-pct % of
them change, spread over the pull, as buyers do (a new receiver address):
changed after the pull's window was fixed, each is modified after the
window's end and leaves it, and every trade behind it moves up one place
(onto a page a forward pager has read already). The next pull (the window
overlapping the last one by the channel's 5 minutes) brings the changed
ones again.

Three runs on the same scenario, each from a fresh stand-in:
  naive  a forward pager (pages 1, 2, ... as the adapters did before issue
         25), two pulls at the adapter: the trades never yielded are
         missed for good (a trade that moved up a page while the pager
         went on is in no later window), those read twice counted;
  ours   the TOP adapter (pages read from the last back to the first, as
         TOP documents: 必须采用倒序的分页方式才能避免漏单), the same two
         pulls at the adapter;
  odoo   the channel's scheduled pull job (``omni.channel._pull_orders``:
         adapter, staging, review) twice, in a transaction rolled back
         afterwards: every paid trade staged exactly once (missed 0,
         staged twice 0), the changed ones carrying their new address;
         orders/s of the first pull.
Exit 1 when ours or odoo misses an order or stages one twice. The naive
pager's misses are expected (that is the bug). Prints the ratio of the
pull times naive / ours at the adapter last (the same pages read: the cost
of paging backwards).
"""

import datetime as dt
import functools
import random
import sys
import time
from collections import Counter
from unittest import mock

from bench_common import arg_parser, odoo_env

BEIJING = dt.timedelta(hours=8)
CHANNEL_CODE = "BENCHPULL"
TOKEN, KEY, SECRET = "bench-session", "bench-key", "bench-secret"


def parse_args():
    parser = arg_parser(__doc__)
    parser.add_argument("--orders", type=int, default=10000)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--change-pct", type=float, default=1.0)
    parser.smoke_sizes(orders=300, page_size=20, change_pct=4.0)
    return parser.parse_args()


def top_time(moment):
    """TOP's 'YYYY-MM-DD HH:MM:SS' in Beijing time of a naive UTC datetime."""
    return (moment + BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def make_trade(index, modified):
    tid = 90_000_000 + index
    return {
        "tid": tid, "type": "fixed", "status": "WAIT_SELLER_SEND_GOODS",
        "created": top_time(modified - dt.timedelta(minutes=1)), "modified": top_time(modified),
        "buyer_nick": f"buyer{index}", "receiver_name": "王五", "receiver_mobile": f"139{index:08d}",
        "receiver_state": "浙江省", "receiver_city": "杭州市", "receiver_district": "西湖区",
        "receiver_address": f"文三路 {index} 号", "payment": "59.00", "post_fee": "0.00",
        "orders": {"order": [{"oid": tid * 10, "num_iid": 1001, "outer_sku_id": "BENCH-SKU", "num": 1,
                              "price": "59.00", "payment": "59.00", "status": "WAIT_SELLER_SEND_GOODS",
                              "refund_status": "NO_REFUND"}]},
    }  # fmt: skip


def stub_class():
    # the stand-in is omni_platform's test stub (no Odoo import), loaded from
    # its file: importing the tests package would load Odoo's test framework
    import importlib.util
    import os

    import odoo.addons.omni_platform as omni_platform

    path = os.path.join(omni_platform.__path__[0], "tests", "platform_stub.py")
    spec = importlib.util.spec_from_file_location("omni_bench_platform_stub", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    PlatformStub = module.PlatformStub
    # a trade's time is parsed once, not once per page read
    _parse_top_time = functools.lru_cache(maxsize=None)(module._parse_top_time)

    class BenchTop(PlatformStub):
        """The test stub with the window's sorted trades kept between two
        pages (re-sorted after a change): 10,000 trades per page otherwise
        parse their times again for every page."""

        _sorted = None

        def changed(self):
            self._sorted = None

        def _top_trades(self, params):
            since, until = _parse_top_time(params["start_modified"]), _parse_top_time(params["end_modified"])
            page, page_size = int(params.get("page_no", 1)), int(params.get("page_size", 40))
            with self._lock:
                if self._sorted is None or self._sorted[0] != (since, until):
                    keyed = [(_parse_top_time(o["modified"]), o["tid"], o) for o in self.orders]
                    found = [o for stamp, _tid, o in sorted(keyed, key=lambda k: k[:2], reverse=True)
                             if since <= stamp < until]  # fmt: skip
                    self._sorted = ((since, until), found)
                found = self._sorted[1]
            chunk = found[(page - 1) * page_size : page * page_size]
            body = {"total_results": len(found)}
            if chunk:
                body["trades"] = {"trade": chunk}
            return {"trades_sold_increment_get_response": body}

    return BenchTop


class Scenario:
    """N trades and the C changes made during the first pull: change i is
    made after the pull's request 1 + i x requests / C (a page read)."""

    def __init__(self, args, now):
        self.n = args.orders
        self.page_size = args.page_size
        self.now = now
        rnd = random.Random(25)
        span = 40 * 60
        self.trades = [make_trade(i, now - dt.timedelta(minutes=50) + dt.timedelta(seconds=i * span // self.n))
                       for i in range(self.n)]  # fmt: skip
        count = max(2, round(self.n * args.change_pct / 100))
        self.changed = rnd.sample(range(self.n), count)
        self.pages = -(-self.n // self.page_size)

    def hook(self, t0):
        """after_request of the stand-in: the changes, spread over the pull."""
        state = {"requests": 0, "done": 0}
        count = len(self.changed)

        def after_request(stub, recorded):
            state["requests"] += 1
            while state["done"] < count and state["requests"] >= 1 + state["done"] * self.pages // count:
                index = self.changed[state["done"]]
                trade = stub.orders[index]
                # changed now, after the window's end: it leaves the window and
                # every trade behind it moves up one place
                trade["modified"] = top_time(t0 + dt.timedelta(seconds=3))
                trade["receiver_address"] = f"文三路 {index} 号 (改)"
                stub.changed()
                state["done"] += 1

        return after_request


def adapter_pulls(scenario, adapter_class, stub):
    """Two pulls at the adapter: (order numbers yielded, reads per order of
    the first pull, seconds of the first pull)."""
    t0 = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    stub.set_orders(scenario.trades)
    stub.changed()
    reads = Counter()
    stub.after_request = scenario.hook(t0)
    adapter = adapter_class(
        base_url=stub.router_url, app_key=KEY, app_secret=SECRET, access_token=TOKEN, page_size=scenario.page_size
    )
    original = adapter._page_items

    def page_items(items, *rest):
        for item in items:
            reads[str(item.get("tid"))] += 1
        return original(items, *rest)

    adapter._page_items = page_items
    start = time.perf_counter()
    first = [o["platform_order_no"] for o in adapter.pull_orders(scenario.now - dt.timedelta(hours=1), t0)]
    seconds = time.perf_counter() - start
    first_reads = Counter(reads)  # the first pull's reads; the second reads the changed ones again, as it should
    stub.after_request = None
    since, until = t0 - dt.timedelta(minutes=5), t0 + dt.timedelta(seconds=10)
    second = [o["platform_order_no"] for o in adapter.pull_orders(since, until)]
    adapter.close()
    return set(first) | set(second), first_reads, seconds


def naive_adapter_class():
    from odoo.addons.omni_platform.platforms.taobao_top import TaobaoTopAdapter

    class ForwardTop(TaobaoTopAdapter):
        """The adapter as it paged before issue 25: page 1, 2, ..."""

        page_backward = False

    return ForwardTop


def fixture_channel(env, stub):
    from odoo.addons.omni_base.tools import guard

    channel = env["omni.channel"].search([("code", "=", CHANNEL_CODE)], limit=1)
    if not channel:
        channel = env["omni.channel"].create(
            {"name": "Bench pull (Taobao stand-in)", "code": CHANNEL_CODE, "platform": "taobao",
             "company_id": env.company.id, "warehouse_id": env["stock.warehouse"].search(
                 [("company_id", "=", env.company.id)], limit=1).id, "auto_confirm": False}
        )  # fmt: skip
    guard.internal(channel).write(
        {"adapter_kind": "taobao_top", "api_base_url": stub.router_url, "api_app_key": KEY,
         "api_app_secret": SECRET, "api_access_token": TOKEN, "api_timeout": 60}
    )  # fmt: skip
    return channel


def odoo_pulls(env, scenario, stub):
    """The channel's pull job twice: (staged per number, changed orders with
    their new address, orders received by the first pull, its seconds)."""
    from odoo.addons.omni_base.tools import guard

    channel = fixture_channel(env, stub)
    guard.internal(channel).write({"last_pull_until": scenario.now - dt.timedelta(hours=1), "pull_overlap": 5})
    env.flush_all()
    stub.set_orders(scenario.trades)
    stub.changed()
    t0 = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    stub.after_request = scenario.hook(t0)
    start = time.perf_counter()
    # the channel's adapter with the scenario's page size (100, TOP's largest, by default)
    make_adapter = type(channel)._get_adapter

    def get_adapter(record):
        adapter = make_adapter(record)
        adapter.page_size = scenario.page_size
        return adapter

    with mock.patch.object(type(channel), "_get_adapter", get_adapter):
        results = channel._pull_orders()
    env.flush_all()
    seconds = time.perf_counter() - start
    stub.after_request = None
    if not isinstance(results, list):
        raise SystemExit(f"first pull failed: {results}")
    while dt.datetime.now(dt.UTC).replace(tzinfo=None) < t0 + dt.timedelta(seconds=5):
        time.sleep(0.2)
    with mock.patch.object(type(channel), "_get_adapter", get_adapter):
        second = channel._pull_orders()
    if not isinstance(second, list):
        raise SystemExit(f"second pull failed: {second}")
    env.flush_all()
    env.cr.execute(
        "SELECT platform_order_no, count(*), max(address) FROM omni_order WHERE channel_id = %s"
        " GROUP BY platform_order_no",
        [channel.id],
    )
    rows = env.cr.fetchall()
    staged = Counter({number: count for number, count, _address in rows})
    addresses = {number: address for number, _count, address in rows}
    changed_ok = sum(1 for i in scenario.changed if (addresses.get(str(90_000_000 + i)) or "").endswith("(改)"))
    return staged, changed_ok, len(results), seconds, Counter(r["result"] for r in second)


def main():
    args = parse_args()
    odoo, env = odoo_env(args)
    env = env(context=dict(env.context, tracking_disable=True, mail_notrack=True))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    scenario = Scenario(args, now)
    expected = {str(90_000_000 + i) for i in range(scenario.n)}
    print(
        f"{'scenario':<44}: {scenario.n:,d} paid trades, {scenario.pages} pages of {scenario.page_size}, "
        f"{len(scenario.changed)} change during the pull (modified after the window: out of it)"
    )
    stub = stub_class()([], access_token=TOKEN, app_key=KEY, app_secret=SECRET).start()
    try:
        seen, reads, naive_s = adapter_pulls(scenario, naive_adapter_class(), stub)
        naive_missed = len(expected - seen)
        naive_dup = sum(count - 1 for count in reads.values() if count > 1)
        print(
            f"{'naive  forward pager, 2 pulls (adapter)':<44}: missed {naive_missed:,d}, read twice {naive_dup:,d}; "
            f"first pull {naive_s:.1f} s ({scenario.n / naive_s:,.0f} orders/s)"
        )
        from odoo.addons.omni_platform.platforms.taobao_top import TaobaoTopAdapter

        seen, reads, ours_s = adapter_pulls(scenario, TaobaoTopAdapter, stub)
        ours_missed = len(expected - seen)
        ours_dup = sum(count - 1 for count in reads.values() if count > 1)
        print(
            f"{'ours   backward pager, 2 pulls (adapter)':<44}: missed {ours_missed:,d}, read twice {ours_dup:,d} "
            f"(yielded once); first pull {ours_s:.1f} s ({scenario.n / ours_s:,.0f} orders/s)"
        )
        with env.cr:
            staged, changed_ok, received, odoo_s, second = odoo_pulls(env, scenario, stub)
            env.cr.rollback()
        odoo_missed = len(expected - set(staged))
        odoo_twice = sum(1 for count in staged.values() if count > 1)
        print(
            f"{'odoo   pull job x2 (adapter + staging)':<44}: staged {len(staged):,d}, missed {odoo_missed:,d}, "
            f"staged twice {odoo_twice:,d}; changed with their new address {changed_ok}/{len(scenario.changed)}; "
            f"second pull {dict(second)}"
        )
        print(f"{'odoo   first pull':<44}: {received:,d} orders in {odoo_s:.1f} s ({received / odoo_s:,.0f} orders/s)")
    finally:
        stub.stop()
    ok = ours_missed == 0 and odoo_missed == 0 and odoo_twice == 0 and changed_ok == len(scenario.changed)
    print(f"{'check  missed 0, staged once, changes applied':<44}: {'OK' if ok else 'FAILED'}")
    print(f"{'lost by the naive pager / by ours':<44}: {naive_missed:,d} / {ours_missed:,d}")
    print(f"{'ratio  naive / ours pull time (adapter)':<44}: {naive_s / ours_s:5.2f}x")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
