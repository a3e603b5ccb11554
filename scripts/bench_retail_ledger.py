#!/usr/bin/env python3
"""Benchmark: 50,000 orders shipped on one day across 8 channels posted to the retail ledger.

    scripts/bench.sh retail_ledger [--orders 50000] [--channels 8] [--naive-orders 500]

Fixtures (committed; each run makes C channels with fresh unit codes, so
runs never see each other's orders): N shipped channel sale orders of one
day (2026-11-11), spread over the channels, 1 or 2 lines each with odd
prices and two VAT rates (13 % and 9 %), 15 % cash on delivery (courier
BENCHSF with its COD receivable account). They are written by direct SQL
inserts of minimal rows (sale_order with its amounts, sale_order_line with
its taxes, one done outgoing stock_picking with date_done and courier): the
ORM path (create, confirm, reserve, validate) would take hours for 50,000
orders and is not what is measured. Amounts follow Odoo's round-per-line
rule, so the orders look to the ledger exactly like real ones.

In one run:
  naive   what invoicing order by order costs: for M real sale orders made
          through the ORM (not channel orders, which the ledger forbids to
          invoice), sale.order._create_invoices() + account.move.action_post()
          per order; measured on M and extrapolated to N (printed both);
  ours    omni.retail.record.generate(day, day, channel codes) + action_post()
          on the records: all N orders, one entry per channel.
Checks: every order covered once (N lines), posted debits per channel equal
the orders' totals to the cent, the check report shows no difference for
these channels, a second generate() creates nothing, and two generations
started at the same moment in two transactions (N/50 fresh orders, each
through Odoo's retry loop as an XML-RPC call is) record every order exactly
once (exit 1 otherwise).
Prints the target (under 5 s, project issue 29) and the ratio naive / ours last. Speed is
never asserted in tests.
"""

import random
import sys
import time
from datetime import date, datetime

from bench_common import arg_parser, odoo_env

DAY = date(2026, 11, 11)
TARGET_S = 5.0
PAGE = 5000
RATES = (13.0, 9.0)


def parse_args():
    parser = arg_parser(__doc__)
    parser.add_argument("--orders", type=int, default=50000)
    parser.add_argument("--channels", type=int, default=8)
    parser.add_argument("--naive-orders", type=int, default=500)
    parser.add_argument("--seed", type=int, default=11)
    parser.smoke_sizes(orders=500, channels=2, naive_orders=5)
    return parser.parse_args()


def execute_values(cr, sql, rows, template=None):
    from psycopg2.extras import execute_values as _execute_values

    return _execute_values(cr._obj, sql, rows, template=template, page_size=PAGE, fetch=True)


def setup_accounting(env, tag, n_channels):
    """Taxes 13 % / 9 %, accounts, courier with its COD account (once), and
    the channels of this run with their accounts."""
    company = env.company
    Tax = env["account.tax"]
    taxes = {}
    base_tax = Tax.search([("company_id", "=", company.id), ("type_tax_use", "=", "sale")], limit=1)
    for rate in RATES:
        name = f"Bench VAT {rate:g}%"
        taxes[rate] = Tax.search([("name", "=", name), ("company_id", "=", company.id)], limit=1) or base_tax.copy(
            {"name": name, "amount": rate}
        )
    Account = env["account.account"]

    def account(code, name, account_type):
        found = Account.search([("code", "=", code), ("company_ids", "in", company.id)], limit=1)
        return found or Account.create({"code": code, "name": name, "account_type": account_type})

    clearing = account("112399", "Bench platform receivable", "asset_receivable")
    revenue = account("600199", "Bench retail revenue", "income")
    cod = account("112299", "Bench COD receivable", "asset_receivable")
    carrier = env["delivery.carrier"].search([("omni_courier_code", "=", "BENCHSF")], limit=1)
    if not carrier:
        fee = env["product.product"].create({"name": "Bench freight", "type": "service"})
        partner = env["res.partner"].create({"name": "Bench SF Express", "is_company": True})
        carrier = env["delivery.carrier"].create(
            {"name": "Bench SF", "product_id": fee.id, "omni_courier_code": "BENCHSF", "omni_partner_id": partner.id}
        )
    carrier.with_company(company).omni_cod_account_id = cod
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    channels = env["omni.channel"].create(
        [
            {
                "name": f"Ledger bench {tag} {c}",
                "code": f"RL{tag}C{c}",
                "company_id": company.id,
                "warehouse_id": warehouse.id,
                "omni_clearing_account_id": clearing.id,
                "omni_revenue_account_id": revenue.id,
            }
            for c in range(n_channels)
        ]
    )
    env.cr.commit()
    return taxes, channels, warehouse


def round2(value):
    return round(value + 1e-9, 2)


def fixture_orders(env, args, tag, taxes, channels, warehouse, rng):
    """N shipped channel sale orders of DAY by direct SQL (see the module
    docstring); returns {channel_id: (count, total)} of what was made."""
    carrier = env["delivery.carrier"].search([("omni_courier_code", "=", "BENCHSF")], limit=1)
    start = time.perf_counter()
    company = env.company
    partner = env["res.partner"].create({"name": f"Ledger bench buyer {tag}"})
    products = {rate: env["product.product"].create({"name": f"Bench goods {rate:g}%"}) for rate in RATES}
    picking_type = warehouse.out_type_id
    src = picking_type.default_location_src_id.id
    dest = env.ref("stock.stock_location_customers").id
    currency = company.currency_id.id
    now = datetime.now()
    orders, lines, expected = [], [], {}
    for n in range(args.orders):
        channel = channels[n % len(channels)]
        order_lines = []
        for _ in range(1 + (n % 2)):
            rate = RATES[rng.randrange(2)]
            qty = rng.randint(1, 3)
            price = rng.randint(100, 99999) / 100.0
            subtotal = round2(qty * price)
            tax = round2(subtotal * rate / 100.0)
            order_lines.append((rate, qty, price, subtotal, tax))
        untaxed = round2(sum(x[3] for x in order_lines))
        tax = round2(sum(x[4] for x in order_lines))
        cod = n % 7 == 3
        orders.append((n, channel, untaxed, tax, round2(untaxed + tax), cod))
        lines.append(order_lines)
    Cr = env.cr
    so_rows = [
        (
            f"RL{tag}/{n:06d}", partner.id, partner.id, partner.id, company.id, now, "direct", "sale", currency,
            channel.id, channel.code, "cod" if cod else "prepaid", f"P{tag}{n:06d}", untaxed, tax, total, now, now,
            warehouse.id,
        )
        for n, channel, untaxed, tax, total, cod in orders
    ]  # fmt: skip
    so_ids = [
        row[0]
        for row in execute_values(
            Cr,
            """INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id, company_id,
                   date_order, picking_policy, state, currency_id, omni_channel_id, omni_unit_code,
                   omni_payment_method, client_order_ref, amount_untaxed, amount_tax, amount_total,
                   create_date, write_date, warehouse_id)
               VALUES %s RETURNING id""",
            so_rows,
        )
    ]
    sol_rows, sol_taxes = [], []
    for so_id, order_lines in zip(so_ids, lines, strict=True):
        for rate, qty, price, subtotal, tax in order_lines:
            sol_rows.append(
                (so_id, "Bench goods", products[rate].id, qty, price, subtotal, tax, round2(subtotal + tax),
                 company.id, currency, 0.0, now, now)
            )  # fmt: skip
            sol_taxes.append(taxes[rate].id)
    sol_ids = [
        row[0]
        for row in execute_values(
            Cr,
            """INSERT INTO sale_order_line (order_id, name, product_id, product_uom_qty, price_unit,
                   price_subtotal, price_tax, price_total, company_id, currency_id, customer_lead,
                   create_date, write_date)
               VALUES %s RETURNING id""",
            sol_rows,
        )
    ]
    execute_values(
        Cr,
        """INSERT INTO account_tax_sale_order_line_rel (sale_order_line_id, account_tax_id) VALUES %s
           RETURNING sale_order_line_id""",
        list(zip(sol_ids, sol_taxes, strict=True)),
    )
    shipped_at = datetime(DAY.year, DAY.month, DAY.day, 4, 0, 0)  # 12:00 in Shanghai
    picking_rows = [
        (f"RL{tag}/OUT/{n:06d}", src, dest, "direct", picking_type.id, company.id, "done", shipped_at, so_id,
         channel.id, carrier.id, now, now)
        for (n, channel, *_rest), so_id in zip(orders, so_ids, strict=True)
    ]  # fmt: skip
    execute_values(
        Cr,
        """INSERT INTO stock_picking (name, location_id, location_dest_id, move_type, picking_type_id, company_id,
               state, date_done, sale_id, omni_channel_id, carrier_id, create_date, write_date)
           VALUES %s RETURNING id""",
        picking_rows,
    )
    env.cr.commit()
    for _n, channel, _untaxed, _tax, total, _cod in orders:
        count, amount = expected.get(channel.id, (0, 0))
        expected[channel.id] = (count + 1, amount + round(total * 100))
    elapsed = time.perf_counter() - start
    print(
        f"fixtures shipped orders (SQL inserts)    : {args.orders:7,d} orders, {len(sol_ids):,d} lines, "
        f"{len(channels)} channels in {elapsed:8.1f} s"
    )
    return expected


def run_naive(env, args, taxes, rng):
    """Per-order invoicing on M real (non-channel) sale orders: create and
    confirm them (not timed), then time _create_invoices + action_post."""
    partner = env["res.partner"].create({"name": "Ledger bench invoiced buyer"})
    product = env["product.product"].create(
        {"name": "Bench invoiced goods", "type": "service", "invoice_policy": "order",
         "taxes_id": [(6, 0, taxes[RATES[0]].ids)]}
    )  # fmt: skip
    start = time.perf_counter()
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": product.id,
                            "product_uom_qty": rng.randint(1, 3),
                            "price_unit": rng.randint(100, 99999) / 100.0,
                        },
                    )
                ],
            }  # fmt: skip
            for _ in range(args.naive_orders)
        ]
    )
    orders.action_confirm()
    env.cr.commit()
    setup_s = time.perf_counter() - start
    env.invalidate_all()
    start = time.perf_counter()
    for order in orders:
        invoice = order._create_invoices()
        invoice.action_post()
    env.cr.commit()
    elapsed = time.perf_counter() - start
    print(
        f"naive  fixtures sale orders (ORM)        : {args.naive_orders:7,d} orders created and confirmed in "
        f"{setup_s:8.1f} s (not timed)"
    )
    return elapsed


def run_ours(env, channels):
    env.invalidate_all()
    Record = env["omni.retail.record"]
    start = time.perf_counter()
    result = Record.generate(DAY, DAY, channels.mapped("code"))
    generated = time.perf_counter() - start
    records = Record.browse(result["records"])
    records.action_post()
    env.cr.commit()
    elapsed = time.perf_counter() - start
    return elapsed, generated, result, records


def check(env, channels, expected, records):
    failures = []
    by_channel = {r.channel_id.id: r for r in records}
    for channel in channels:
        count, cents = expected[channel.id]
        record = by_channel.get(channel.id)
        if not record or record.document_count != count:
            failures.append(f"{channel.code}: {record and record.document_count} documents, {count} expected")
            continue
        debit = sum(record.move_id.line_ids.mapped("debit"))
        if round(debit * 100) != cents or round(record.amount_total * 100) != cents:
            failures.append(f"{channel.code}: posted {debit:.2f}, orders {cents / 100:.2f}")
    env.invalidate_all()
    differences = env["omni.retail.check.report"].search(
        [("channel_id", "in", channels.ids), ("has_difference", "=", True)]
    )
    if differences:
        failures.append(f"check report shows {len(differences)} differences")
    again = env["omni.retail.record"].generate(DAY, DAY, channels.mapped("code"))
    env.cr.commit()
    if again["sales"] or again["created"]:
        failures.append(f"second generate recorded {again['sales']} orders")
    lines = env["omni.retail.record.line"].search_count([("record_id", "in", records.ids)])
    total = sum(c for c, _a in expected.values())
    posted = sum(sum(r.move_id.line_ids.mapped("debit")) for r in records)
    print(
        f"check  lines / orders, posted = shipped  : {lines:7,d} / {total:,d}, posted {posted:,.2f} = shipped "
        f"{sum(a for _c, a in expected.values()) / 100:,.2f}; check report differences {len(differences)}; "
        f"second generate {again['sales']} new"
    )
    if lines != total:
        failures.append(f"{lines} lines for {total} orders")
    return failures


def check_concurrent(odoo, env, args, tag, taxes, warehouse, rng):
    """Two transactions generate the same fresh orders at the same moment,
    each through Odoo's own retry loop (odoo.service.model.retrying, as for
    an XML-RPC call): every order must be recorded exactly once."""
    import threading

    from odoo.service.model import retrying

    n_orders = max(100, args.orders // 50)
    small = argparse_namespace(args, orders=n_orders)
    _taxes, channels, _warehouse = setup_accounting(env, tag + "X", 2)
    fixture_orders(env, small, tag + "X", taxes, channels, warehouse, rng)
    codes = channels.mapped("code")
    barrier = threading.Barrier(2)
    outcome = []

    def worker():
        with env.registry.cursor() as cr:
            wenv = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            attempts = []

            def call():
                attempts.append(1)
                return wenv["omni.retail.record"].generate(DAY, DAY, codes)

            barrier.wait()
            try:
                result = retrying(call, wenv)
                cr.commit()
                outcome.append((result["sales"], len(attempts), None))
            except Exception as err:  # noqa: BLE001 - reported below
                outcome.append((0, len(attempts), repr(err)))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    # the loser's serialization failure is logged by odoo.sql_db before the retry
    with odoo.tools.mute_logger("odoo.sql_db"):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    env.cr.commit()  # a fresh snapshot that sees both transactions
    env.invalidate_all()
    env.cr.execute(
        "SELECT count(*), count(DISTINCT sale_order_id) FROM omni_retail_record_line l "
        "JOIN sale_order so ON so.id = l.sale_order_id WHERE so.omni_channel_id = ANY(%s) AND l.kind = 'sale'",
        [channels.ids],
    )
    lines, distinct = env.cr.fetchone()
    recorded = [o[0] for o in outcome]
    print(
        f"check  concurrent generate x2            : {n_orders:7,d} orders, recorded {' + '.join(map(str, recorded))} "
        f"(attempts {', '.join(str(o[1]) for o in outcome)}), {lines:,d} lines for {distinct:,d} orders"
    )
    errors = [o[2] for o in outcome if o[2]]
    if errors or lines != n_orders or distinct != n_orders or sum(recorded) != n_orders:
        return [f"concurrent generation: {lines} lines for {n_orders} orders {errors}"]
    return []


def argparse_namespace(args, **changes):
    values = dict(vars(args))
    values.update(changes)
    return type(args)(**values)


def main():
    args = parse_args()
    odoo, env = odoo_env(args)
    rng = random.Random(args.seed)
    tag = time.strftime("%d%H%M%S")
    env = env(context=dict(env.context, tracking_disable=True))
    env.company.partner_id.tz = "Asia/Shanghai"
    taxes, channels, warehouse = setup_accounting(env, tag, args.channels)
    expected = fixture_orders(env, args, tag, taxes, channels, warehouse, rng)

    naive_sample_s = run_naive(env, args, taxes, rng)
    naive_s = naive_sample_s * args.orders / args.naive_orders
    print(
        f"naive  per-order invoice + post          : {args.naive_orders:7,d} orders in {naive_sample_s:8.1f} s "
        f"measured -> {args.orders:,d} orders ~ {naive_s:8.1f} s extrapolated"
    )
    ours_s, generated_s, result, records = run_ours(env, channels)
    print(
        f"ours   generate + post (one entry/channel): {result['sales']:7,d} orders in {ours_s:8.1f} s "
        f"(generate {generated_s:.1f} s, post {ours_s - generated_s:.1f} s; {len(records)} records, "
        f"{len(records.move_id)} entries)"
    )
    failures = check(env, channels, expected, records)
    failures += check_concurrent(odoo, env, args, tag, taxes, warehouse, rng)
    print(f"target 50,000 orders < {TARGET_S:.0f} s              : {'met' if ours_s < TARGET_S else 'NOT met'} "
          f"({ours_s:.1f} s for {result['sales']:,d})")  # fmt: skip
    print(f"ratio  naive / ours                      : {naive_s / ours_s:7.1f}x")
    env.cr.close()
    if failures:
        sys.exit("FAILED: " + "; ".join(failures))


if __name__ == "__main__":
    main()
