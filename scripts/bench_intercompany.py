#!/usr/bin/env python3
"""Benchmark: a goods request (请货) of 200 lines round-tripped between a wholesale and a retail company.

    scripts/bench.sh intercompany [--lines 200] [--qty 10]

Fixtures (committed, reused by later runs): two companies 'Bench IC
Wholesale' and 'Bench IC Retail' on Odoo's generic chart (15 % sale and
purchase taxes), L shared storable products with a transfer price in
wholesale's pricelist (10.00 + 0.37 per product: odd cents) and a cost,
the inter-company rule (auto-confirm, bills posted automatically) and
users with core rights only, each in one company: a retail buyer
(purchase + inventory), a wholesale shipper (sales + inventory), an
accountant per company and an auditor of both. Wholesale's stock is
topped up before each path.

Both paths run the same round trip on the same L lines, each user doing
their own part with their own rights, in a transaction rolled back
afterwards (so every run starts from the same database):
  naive   both sides by hand through the ORM, the rule switched off:
          retail's buyer creates and confirms the purchase order at the
          transfer prices, wholesale's shipper creates and confirms the sale
          order, validates the delivery, retail's buyer fills in and validates
          the receipt, wholesale's accountant invoices and posts, retail's
          accountant makes the bill from the purchase order, dates and posts it;
  ours    omni_intercompany: the buyer confirms the request (the sale order
          is made and confirmed), the shipper validates the delivery (the
          receipt is filled in), the buyer validates the receipt, wholesale's
          accountant invoices and posts (the bill is made and posted).
Checks, for each path (exit 1 otherwise): PO total = SO total = invoice =
bill (untaxed and total, to the cent), L lines on every document, every
line received and billed, the invoice's receivable = the bill's payable
to the cent; and for ours the inter-company check (omni.intercompany.rule
.action_check, as the auditor) agrees. Prints the time of each step, the
two totals and the ratio naive / ours last. Speed is never asserted in
tests.
"""

import sys
import time

from bench_common import arg_parser, odoo_env

WHOLESALE = "Bench IC Wholesale"
RETAIL = "Bench IC Retail"
PREFIX = "BIC"


def parse_args():
    parser = arg_parser(__doc__)
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--qty", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2, help="naive then ours, this many times; the best of each")
    parser.smoke_sizes(lines=5, rounds=1)
    return parser.parse_args()


def transfer_price(index):
    return round(10 + index * 0.37, 2)


def fixture_companies(env):
    """The two companies on the generic chart (made once)."""
    Company = env["res.company"]
    companies = []
    for name in (WHOLESALE, RETAIL):
        company = Company.search([("name", "=", name)], limit=1)
        if not company:
            company = Company.create({"name": name, "currency_id": env.company.currency_id.id})
            env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
        if not env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1):
            # outside tests Odoo makes a new company's warehouse when Inventory is first opened
            env["stock.warehouse"].create({"company_id": company.id, "name": name, "code": name.split()[-1][:5]})
        companies.append(company)
    env.cr.commit()
    return companies


def fixture_products(env, wholesale, retail, n_lines):
    """L shared products with both companies' taxes, a cost in wholesale and
    a transfer price in the rule's pricelist; returns (products, pricelist)."""
    from odoo import Command

    Product = env["product.product"].with_context(active_test=False)
    codes = [f"{PREFIX}{i:05d}" for i in range(n_lines)]
    have = {p.default_code: p for p in Product.search([("default_code", "in", codes)])}
    sale_taxes = wholesale.account_sale_tax_id | retail.account_sale_tax_id
    purchase_taxes = wholesale.account_purchase_tax_id | retail.account_purchase_tax_id
    missing = [code for code in codes if code not in have]
    if missing:
        made = Product.create(
            [
                {"name": f"Bench IC goods {code}", "default_code": code, "is_storable": True,
                 "taxes_id": [Command.set(sale_taxes.ids)], "supplier_taxes_id": [Command.set(purchase_taxes.ids)]}
                for code in missing
            ]
        )  # fmt: skip
        have.update({p.default_code: p for p in made})
    products = Product.browse([have[code].id for code in codes])
    Pricelist = env["product.pricelist"]
    pricelist = Pricelist.search([("name", "=", "Bench IC transfer prices"), ("company_id", "=", wholesale.id)])
    if not pricelist:
        pricelist = Pricelist.create(
            {"name": "Bench IC transfer prices", "company_id": wholesale.id, "currency_id": wholesale.currency_id.id}
        )
    priced = set(pricelist.item_ids.product_id.ids)
    items = [
        {"pricelist_id": pricelist.id, "applied_on": "0_product_variant", "product_id": p.id,
         "compute_price": "fixed", "fixed_price": transfer_price(i)}
        for i, p in enumerate(products)
        if p.id not in priced
    ]  # fmt: skip
    if items:
        env["product.pricelist.item"].create(items)
        for i, product in enumerate(products):
            product.with_company(wholesale).standard_price = round(6 + i * 0.25, 2)
    env.cr.commit()
    return products, pricelist


def fixture_rule(env, wholesale, retail, pricelist):
    Rule = env["omni.intercompany.rule"].with_context(active_test=False)
    rule = Rule.search([("supplier_company_id", "=", wholesale.id), ("customer_company_id", "=", retail.id)])
    Warehouse = env["stock.warehouse"]
    if not rule:
        rule = Rule.create(
            {
                "supplier_company_id": wholesale.id,
                "customer_company_id": retail.id,
                "pricelist_id": pricelist.id,
                "supplier_warehouse_id": Warehouse.search([("company_id", "=", wholesale.id)], limit=1).id,
                "customer_warehouse_id": Warehouse.search([("company_id", "=", retail.id)], limit=1).id,
            }
        )
    rule.write({"active": True, "auto_confirm": True, "bill_auto_post": True})
    env.cr.commit()
    return rule


def fixture_users(env, wholesale, retail):
    """{role: user}, each with core rights only, in their own company."""
    from odoo import Command

    Users = env["res.users"].with_context(no_reset_password=True, active_test=False)
    ref = env.ref
    roles = {
        "buyer": (retail, [ref("purchase.group_purchase_user"), ref("stock.group_stock_user")]),
        "shipper": (wholesale, [ref("sales_team.group_sale_salesman_all_leads"), ref("stock.group_stock_user")]),
        "seller_accountant": (wholesale, [ref("account.group_account_invoice")]),
        "buyer_accountant": (retail, [ref("account.group_account_invoice")]),
        "auditor": (wholesale | retail, [ref("account.group_account_invoice")]),
    }
    users = {}
    for role, (companies, groups) in roles.items():
        login = f"bench_ic_{role}"
        user = Users.search([("login", "=", login)], limit=1)
        if not user:
            user = Users.create(
                {"name": f"Bench IC {role}", "login": login, "email": f"{login}@bench.example.com",
                 "company_id": companies[0].id,
                 "company_ids": [Command.set(companies.ids)], "groups_id": [Command.set([g.id for g in groups])]}
            )  # fmt: skip
        if not user.email:  # the chatter needs an author's address
            user.email = f"{login}@bench.example.com"
        users[role] = user
    env.cr.commit()
    return users


def top_up(env, wholesale, products, qty):
    """Wholesale has ``qty`` more of every product (rolled back with the path)."""
    Quant = env["stock.quant"].with_company(wholesale)
    location = env["stock.warehouse"].search([("company_id", "=", wholesale.id)], limit=1).lot_stock_id
    for product in products:
        Quant._update_available_quantity(product, location, qty)


def validate(env, picking):
    """Validate as the picking's user; a partial one would open the backorder wizard (never here)."""
    action = picking.button_validate()
    if isinstance(action, dict) and action.get("res_model"):
        raise RuntimeError(f"{picking.name}: validation asked for {action['res_model']}")


def fill_in(picking):
    for move in picking.move_ids:
        move.quantity = move.product_uom_qty
    picking.move_ids.picked = True


class Steps:
    """Times the steps of one path."""

    def __init__(self, env):
        self.env = env
        self.times = []

    def __call__(self, name, fn):
        start = time.perf_counter()
        result = fn()
        self.env.flush_all()
        self.times.append((name, time.perf_counter() - start))
        return result

    @property
    def total(self):
        return sum(t for _n, t in self.times)


def run_naive(env, ctx, products, qty):
    """Both sides by hand through the ORM, the inter-company rule switched off."""
    from odoo import Command, fields

    wholesale, retail, rule, users = ctx["wholesale"], ctx["retail"], ctx["rule"], ctx["users"]
    rule.active = False
    top_up(env, wholesale, products, qty)
    env.flush_all()
    steps = Steps(env)

    def as_(role, company, model):
        return env[model].with_user(users[role]).with_company(company)

    def purchase():
        order = as_("buyer", retail, "purchase.order").create(
            {
                "partner_id": wholesale.partner_id.id,
                "order_line": [
                    Command.create({"product_id": p.id, "product_qty": qty, "price_unit": transfer_price(i)})
                    for i, p in enumerate(products)
                ],
            }
        )
        order.button_confirm()
        return order

    order = steps("retail: purchase order created + confirmed", purchase)

    def sale():
        so = as_("shipper", wholesale, "sale.order").create(
            {
                "partner_id": retail.partner_id.id,
                "pricelist_id": ctx["pricelist"].id,
                "client_order_ref": order.name,
                "order_line": [Command.create({"product_id": p.id, "product_uom_qty": qty}) for p in products],
            }
        )
        so.action_confirm()
        return so

    so = steps("wholesale: sale order typed + confirmed", sale)

    def deliver():
        delivery = so.picking_ids.with_user(users["shipper"]).with_company(wholesale)
        fill_in(delivery)
        validate(env, delivery)

    steps("wholesale: delivery validated", deliver)

    def receive():
        receipt = order.picking_ids.with_user(users["buyer"]).with_company(retail)
        fill_in(receipt)
        validate(env, receipt)

    steps("retail: receipt filled in + validated", receive)

    def invoice_():
        invoice = so.with_user(users["seller_accountant"]).with_company(wholesale)._create_invoices()
        invoice.invoice_date = fields.Date.context_today(invoice)
        invoice.action_post()
        return invoice

    invoice = steps("wholesale: invoice created + posted", invoice_)

    def bill_():
        action = order.with_user(users["buyer_accountant"]).with_company(retail).action_create_invoice()
        bill = env["account.move"].with_user(users["buyer_accountant"]).with_company(retail).browse(action["res_id"])
        bill.write({"invoice_date": invoice.invoice_date, "ref": invoice.name})
        bill.action_post()
        return bill

    bill = steps("retail: bill from the PO typed + posted", bill_)
    return steps, order, so, invoice, bill


def run_ours(env, ctx, products, qty):
    """omni_intercompany: each side does its own part, the other side follows."""
    from odoo import Command, fields

    wholesale, retail, users = ctx["wholesale"], ctx["retail"], ctx["users"]
    top_up(env, wholesale, products, qty)
    env.flush_all()
    steps = Steps(env)

    def purchase():
        order = (
            env["purchase.order"]
            .with_user(users["buyer"])
            .with_company(retail)
            .create(
                {
                    "partner_id": wholesale.partner_id.id,
                    "order_line": [
                        Command.create({"product_id": p.id, "product_qty": qty, "price_unit": 1.0}) for p in products
                    ],
                }
            )
        )
        order.button_confirm()
        return order

    order = steps("retail: request confirmed (-> sale order)", purchase)
    so = env["sale.order"].search([("omni_ic_purchase_order_id", "=", order.id)])

    def deliver():
        delivery = so.picking_ids.with_user(users["shipper"]).with_company(wholesale)
        fill_in(delivery)
        validate(env, delivery)

    steps("wholesale: delivery validated (-> receipt)", deliver)

    def receive():
        receipt = order.picking_ids.with_user(users["buyer"]).with_company(retail)
        validate(env, receipt)

    steps("retail: receipt validated as filled in", receive)

    def invoice_():
        invoice = so.with_user(users["seller_accountant"]).with_company(wholesale)._create_invoices()
        invoice.invoice_date = fields.Date.context_today(invoice)
        invoice.action_post()
        return invoice

    invoice = steps("wholesale: invoice posted (-> bill posted)", invoice_)
    bill = env["account.move"].search([("omni_ic_invoice_id", "=", invoice.id)])
    return steps, order, so, invoice, bill


def cents(value):
    return round(value * 100)


def check(env, label, n_lines, order, so, invoice, bill):
    """Failures of one path (both companies' figures to the cent)."""
    failures = []
    documents = {"PO": order, "SO": so, "invoice": invoice, "bill": bill}
    for name, doc in documents.items():
        if len(doc) != 1:
            failures.append(f"{label}: {len(doc)} {name}")
    if failures:
        return failures
    lines = {
        "PO": len(order.order_line),
        "SO": len(so.order_line),
        "invoice": len(invoice.invoice_line_ids),
        "bill": len(bill.invoice_line_ids),
    }
    if set(lines.values()) != {n_lines}:
        failures.append(f"{label}: lines {lines}, {n_lines} expected")
    for field in ("amount_untaxed", "amount_total"):
        amounts = {name: cents(doc[field]) for name, doc in documents.items()}
        if len(set(amounts.values())) != 1:
            failures.append(f"{label}: {field} differ {amounts}")
    if (invoice.state, bill.state) != ("posted", "posted"):
        failures.append(f"{label}: invoice {invoice.state}, bill {bill.state}")
    if any(line.qty_received != line.product_qty or line.qty_invoiced != line.product_qty for line in order.order_line):
        failures.append(f"{label}: not every PO line received and billed")
    receivable = sum(
        invoice.line_ids.filtered(lambda ml: ml.account_id.account_type == "asset_receivable").mapped("balance")
    )
    payable = -sum(
        bill.line_ids.filtered(lambda ml: ml.account_id.account_type == "liability_payable").mapped("balance")
    )
    if cents(receivable) != cents(payable) or cents(receivable) != cents(invoice.amount_total):
        failures.append(f"{label}: receivable {receivable:.2f}, payable {payable:.2f}")
    print(
        f"{f'check  {label} PO = SO = invoice = bill':<48}: {order.amount_total:12,.2f} = {so.amount_total:,.2f} = "
        f"{invoice.amount_total:,.2f} = {bill.amount_total:,.2f}; receivable {receivable:,.2f} = payable "
        f"{payable:,.2f}; {lines['bill']} lines"
    )
    return failures


def main():
    args = parse_args()
    _odoo, env = odoo_env(args)
    env = env(context=dict(env.context, tracking_disable=True))
    start = time.perf_counter()
    wholesale, retail = fixture_companies(env)
    products, pricelist = fixture_products(env, wholesale, retail, args.lines)
    rule = fixture_rule(env, wholesale, retail, pricelist)
    users = fixture_users(env, wholesale, retail)
    print(
        f"{'fixtures (reused when present, not timed)':<48}: 2 companies, {len(products)} products, rule, "
        f"5 users in {time.perf_counter() - start:.1f} s"
    )
    ctx = {"wholesale": wholesale, "retail": retail, "rule": rule, "users": users, "pricelist": pricelist}
    failures = []
    results = {"naive": [], "ours": []}
    for round_no in range(1, args.rounds + 1):
        for label, run in (("naive", run_naive), ("ours", run_ours)):
            steps, order, so, invoice, bill = run(env, ctx, products, args.qty)
            for name, seconds in steps.times:
                print(f"{f'{label:<6} {name}':<48}: {seconds:8.2f} s")
            print(f"{f'{label:<6} round trip of {args.lines} lines (round {round_no})':<48}: {steps.total:8.2f} s")
            failures += check(env, label, args.lines, order, so, invoice, bill)
            if label == "ours":
                result = rule.with_user(users["auditor"]).action_check(date=invoice.invoice_date)
                balance = result["balances"][:1] or [{"receivable": 0.0, "payable": 0.0}]
                print(
                    f"{'check  ours inter-company check (auditor)':<48}: "
                    f"{'agree' if result['agree'] else 'DISAGREE'}, receivable {balance[0]['receivable']:,.2f} = "
                    f"payable {balance[0]['payable']:,.2f}, {len(result['transit'])} in transit"
                )
                if not result["agree"] or result["transit"]:
                    failures.append(f"inter-company check: {result['mismatches']} transit {result['transit']}")
            results[label].append(steps.total)
            # rolled back: every path and round starts from the same database
            env.cr.rollback()
            env.invalidate_all()
    naive_s, ours_s = min(results["naive"]), min(results["ours"])
    print(f"{f'naive  both sides by hand, {args.lines} lines (best)':<48}: {naive_s:8.2f} s")
    print(f"{f'ours   omni_intercompany, {args.lines} lines (best)':<48}: {ours_s:8.2f} s")
    env.cr.close()
    print(f"{'ratio  naive / ours':<48}: {naive_s / ours_s:8.2f}x")
    if failures:
        print("FAILED: " + "; ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
