# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two real transactions (two registry cursors, the second in a thread)
approve the same goods request, or post the same invoice, at once.

What another transaction must see is committed: a wholesale company that
supplies the main company is kept between runs (found by its name, archived
when no test uses it, like its rule), and every document a test makes is
deleted at its end."""

import threading
import time
import traceback

from psycopg2 import errors

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

FIXTURE = "IC concurrency wholesale (test fixture)"


@tagged("post_install", "-at_install")
class TestIntercompanyConcurrency(TransactionCase):
    def setUp(self):
        super().setUp()
        self.created = {"purchase_order": [], "sale_order": [], "account_move": []}
        with self.registry.cursor() as connection:
            env = api.Environment(connection, SUPERUSER_ID, {"active_test": False})
            ids = self._fixture(env)
            connection.commit()
        self.ids = ids
        self.addCleanup(self._cleanup)

    def _fixture(self, env):
        """The wholesale company (Chinese chart, a warehouse), a product with a
        transfer price, the rule wholesale -> main company; made once, then
        reactivated."""
        retail = env.ref("base.main_company")
        wholesale = env["res.company"].search([("name", "=", FIXTURE)], limit=1)
        if not wholesale:
            wholesale = env["res.company"].create({"name": FIXTURE, "currency_id": retail.currency_id.id})
            env["account.chart.template"].try_loading("generic_coa", wholesale, install_demo=False)
        wholesale.active = True
        warehouse = env["stock.warehouse"].search([("company_id", "=", wholesale.id)], limit=1)
        if not warehouse:
            warehouse = env["stock.warehouse"].create({"name": FIXTURE, "code": "ICCW", "company_id": wholesale.id})
        product = env["product.product"].search([("default_code", "=", "IC-CONCURRENCY")], limit=1)
        if not product:
            product = env["product.product"].create(
                {"name": FIXTURE, "default_code": "IC-CONCURRENCY", "is_storable": True, "active": True}
            )
        product.product_tmpl_id.active = True
        product.taxes_id = [Command.set((wholesale.account_sale_tax_id | retail.account_sale_tax_id).ids)]
        pricelist = env["product.pricelist"].search([("name", "=", FIXTURE)], limit=1) or env[
            "product.pricelist"
        ].create(
            {
                "name": FIXTURE,
                "company_id": wholesale.id,
                "currency_id": retail.currency_id.id,
                "item_ids": [
                    Command.create({"applied_on": "0_product_variant", "product_id": product.id, "fixed_price": 12.5})
                ],
            }
        )
        pricelist.active = True
        rule = env["omni.intercompany.rule"].search([("supplier_company_id", "=", wholesale.id)], limit=1)
        if not rule:
            rule = env["omni.intercompany.rule"].create(
                {
                    "supplier_company_id": wholesale.id,
                    "customer_company_id": retail.id,
                    "pricelist_id": pricelist.id,
                    "supplier_warehouse_id": warehouse.id,
                    "customer_warehouse_id": env["stock.warehouse"]
                    .search([("company_id", "=", retail.id)], limit=1)
                    .id,
                }
            )
        rule.write({"active": True, "auto_confirm": True, "invoice_direction": "supplier_invoice"})
        return {"retail": retail.id, "wholesale": wholesale.id, "product": product.id, "rule": rule.id}

    def _cleanup(self):
        """Delete what the test committed, archive the fixture."""
        with self.registry.cursor() as connection:
            env = api.Environment(connection, SUPERUSER_ID, {"active_test": False})
            orders = env["purchase.order"].browse(self.created["purchase_order"])
            sales = env["sale.order"].search([("omni_ic_purchase_order_id", "in", orders.ids)])
            moves = env["account.move"].search(
                [
                    "|",
                    ("id", "in", self.created["account_move"]),
                    ("omni_ic_invoice_id", "in", self.created["account_move"]),
                ]
            )
            moves |= moves.omni_ic_invoice_id
            pickings = (orders.picking_ids | sales.picking_ids).ids
            documents = (
                ("account.move", moves.ids),
                ("stock.picking", pickings),
                ("sale.order", sales.ids),
                ("purchase.order", orders.ids),
            )
            # plain SQL: the documents are posted, confirmed and mirrored, which
            # their models rightly refuse to delete
            if moves:
                connection.execute("DELETE FROM account_move WHERE id IN %s", [tuple(moves.ids)])
            if pickings:
                connection.execute("DELETE FROM stock_move WHERE picking_id IN %s", [tuple(pickings)])
                connection.execute("DELETE FROM stock_picking WHERE id IN %s", [tuple(pickings)])
            for table, ids in (("sale_order", sales.ids), ("purchase_order", orders.ids)):
                if ids:
                    connection.execute(f"DELETE FROM {table} WHERE id IN %s", [tuple(ids)])  # noqa: S608 - fixed names
            for model, ids in documents:
                if ids:
                    connection.execute(
                        "DELETE FROM mail_message WHERE model = %s AND res_id IN %s", [model, tuple(ids)]
                    )
                    connection.execute(
                        "DELETE FROM mail_followers WHERE res_model = %s AND res_id IN %s", [model, tuple(ids)]
                    )
            # the fixture stays out of every other test's way: archived
            env["omni.intercompany.rule"].browse(self.ids["rule"]).active = False
            env["product.product"].browse(self.ids["product"]).product_tmpl_id.active = False
            env["product.pricelist"].search([("name", "=", FIXTURE)]).active = False
            env["omni.channel"].search([("company_id", "=", self.ids["wholesale"])]).active = False
            env["res.company"].browse(self.ids["wholesale"]).active = False
            connection.commit()

    def _in_new_transaction(self, work):
        """Run ``work(env)`` in its own committed transaction; returns its result."""
        with self.registry.cursor() as connection:
            env = api.Environment(connection, SUPERUSER_ID, {})
            result = work(env)
            connection.commit()
            return result

    def _request(self, env):
        order = (
            env["purchase.order"]
            .with_company(self.ids["retail"])
            .create(
                {
                    "partner_id": env["res.company"].browse(self.ids["wholesale"]).partner_id.id,
                    "order_line": [Command.create({"product_id": self.ids["product"], "product_qty": 3})],
                }
            )
        )
        self.created["purchase_order"].append(order.id)
        return order.id

    def _race(self, work):
        """``work(env)`` in two transactions at once: the first holds its
        transaction open while the second starts and must wait; the second is
        retried on a serialization failure, as Odoo's RPC and queue_job do.
        Returns what the second's attempts ended with."""
        outcome = {"attempts": 0}

        def second():
            try:
                with self.registry.cursor() as connection:
                    while True:
                        outcome["attempts"] += 1
                        env = api.Environment(connection, SUPERUSER_ID, {})
                        try:
                            work(env)
                            connection.commit()
                            outcome["result"] = "done"
                            return
                        except errors.SerializationFailure:
                            connection.rollback()
                            if outcome["attempts"] > 3:
                                raise
                        except UserError as e:
                            connection.rollback()
                            outcome["result"] = str(e)
                            return
            except Exception:  # noqa: BLE001 - reported by the test
                outcome["result"] = traceback.format_exc()

        thread = threading.Thread(target=second)
        with self.registry.cursor() as first, mute_logger("odoo.sql_db"):
            work(api.Environment(first, SUPERUSER_ID, {}))
            thread.start()
            time.sleep(1.0)
            outcome["waited"] = thread.is_alive()
            first.commit()
        thread.join(60)
        self.assertFalse(thread.is_alive())
        return outcome

    def test_the_same_request_approved_twice_at_once_makes_one_sale_order(self):
        order_id = self._in_new_transaction(self._request)
        outcome = self._race(lambda env: env["purchase.order"].browse(order_id).button_confirm())
        self.assertTrue(outcome["waited"], "the second approval waited for the first")
        self.assertEqual(outcome["result"], "done", "retried, it found the request confirmed and did nothing")
        self.assertEqual(outcome["attempts"], 2)

        def sale_orders(env):
            order = env["purchase.order"].browse(order_id)
            sales = env["sale.order"].search([("omni_ic_purchase_order_id", "=", order_id)])
            return order.state, len(sales), sales.state, order.omni_ic_sale_order_ref == sales.name

        self.assertEqual(self._in_new_transaction(sale_orders), ("purchase", 1, "sale", True))

    def test_the_same_invoice_posted_twice_at_once_makes_one_bill(self):
        def invoiced(env):
            order = env["purchase.order"].browse(self._request(env))
            order.button_confirm()
            sale = env["sale.order"].search([("omni_ic_purchase_order_id", "=", order.id)])
            sale.order_line.product_id.invoice_policy = "order"
            invoice = sale.with_company(self.ids["wholesale"])._create_invoices()
            invoice.invoice_date = "2026-11-20"
            self.created["account_move"].append(invoice.id)
            return invoice.id

        invoice_id = self._in_new_transaction(invoiced)
        outcome = self._race(lambda env: env["account.move"].browse(invoice_id).action_post())
        self.assertTrue(outcome["waited"], "the second posting waited for the first")
        self.assertIn("must be in draft", outcome["result"], "retried, it is refused cleanly")

        def bills(env):
            invoice = env["account.move"].browse(invoice_id)
            bills = env["account.move"].search([("omni_ic_invoice_id", "=", invoice_id)])
            return (
                invoice.state,
                len(bills),
                bills.state,
                round(bills.amount_total * 100) == round(invoice.amount_total * 100),
            )

        self.assertEqual(self._in_new_transaction(bills), ("posted", 1, "posted", True))

    def test_the_same_bill_posted_twice_at_once_makes_one_invoice(self):
        """The reverse direction: retail's bill makes wholesale's invoice."""

        def billed(env):
            env["omni.intercompany.rule"].browse(self.ids["rule"]).invoice_direction = "customer_bill"
            order = env["purchase.order"].browse(self._request(env))
            order.button_confirm()
            order.order_line.product_id.purchase_method = "purchase"
            bill = env["account.move"].browse(order.with_company(self.ids["retail"]).action_create_invoice()["res_id"])
            bill.invoice_date = "2026-11-20"
            self.created["account_move"].append(bill.id)
            return bill.id

        bill_id = self._in_new_transaction(billed)
        outcome = self._race(lambda env: env["account.move"].browse(bill_id).action_post())
        self.assertTrue(outcome["waited"], "the second posting waited for the first")
        self.assertIn("must be in draft", outcome["result"], "retried, it is refused cleanly")

        def invoices(env):
            bill = env["account.move"].browse(bill_id)
            invoices = env["account.move"].search([("ref", "=", bill.name), ("move_type", "=", "out_invoice")])
            return bill.state, len(invoices), invoices.state, bill.omni_ic_invoice_id == invoices

        self.assertEqual(self._in_new_transaction(invoices), ("posted", 1, "posted", True))
