# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager

from odoo import Command
from odoo.exceptions import UserError


class OmniPurchasePaymentTestMixin:
    """A company of its own (Shanghai time, on the Chinese chart of accounts)
    with its warehouse, two vendors and their products, a buyer, and the
    people of billing and payment: an accountant, a purchase manager, a
    finance manager; another company."""

    @classmethod
    def _setup_omni_purchase_payment(cls):
        env = cls.env
        cls.company = env["res.company"].create({"name": "Omni Purchase Co"})
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.warehouse = env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.vendor = env["res.partner"].create({"name": "Hangzhou Tea Farm", "company_id": cls.company.id})
        cls.vendor_2 = env["res.partner"].create({"name": "Jingdezhen Cups", "company_id": cls.company.id})
        cls.buyer = cls._user("omni_purchase_buyer", "purchase.group_purchase_user")
        cls.tea = cls._product("Longjing Tea", "OP-TEA", vendor=cls.vendor)
        cls.cup = cls._product("Tea Cup", "OP-CUP", vendor=cls.vendor_2)
        cls.lonely = cls._product("Loose Leaf Sample", "OP-NOVENDOR")
        env["account.chart.template"].try_loading("cn", cls.company, install_demo=False)
        cls.bank_journal = env["account.journal"].search(
            [("company_id", "=", cls.company.id), ("type", "=", "bank")], limit=1
        )
        cls.accountant = cls._user("omni_pp_accountant", "account.group_account_invoice")
        cls.purchase_manager = cls._user("omni_pp_purchase_manager", "purchase.group_purchase_manager")
        cls.finance_manager = cls._user("omni_pp_finance_manager", "account.group_account_manager")
        cls.other_company = env["res.company"].create({"name": "Omni Other Co"})
        cls.other_user = cls._user("omni_pp_other", "account.group_account_manager", company=cls.other_company)
        cls.other_user.groups_id = [Command.link(env.ref("purchase.group_purchase_manager").id)]

    @classmethod
    def _product(cls, name, code, vendor=None):
        vals = {
            "name": name,
            "default_code": code,
            "is_storable": True,
            "purchase_ok": True,
            "company_id": cls.company.id,
        }
        if vendor:
            vals["seller_ids"] = [
                Command.create({"partner_id": vendor.id, "price": 10.0, "company_id": cls.company.id})
            ]
        return cls.env["product.product"].create(vals)

    def _today(self):
        return self.company._omni_today()

    @classmethod
    def _user(cls, login, group, company=None):
        company = company or cls.company
        return (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": login,
                    "login": login,
                    "email": f"{login}@example.com",
                    "password": f"{login}-Pass-123",
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "groups_id": [Command.set([cls.env.ref(group).id])],
                }
            )
        )

    def _po(self, vendor, lines):
        """A confirmed purchase order: lines are (product, qty, price)."""
        order = (
            self.env["purchase.order"]
            .with_company(self.company)
            .create(
                {
                    "partner_id": vendor.id,
                    "company_id": self.company.id,
                    "picking_type_id": self.warehouse.in_type_id.id,
                    "order_line": [
                        Command.create({"product_id": p.id, "product_qty": q, "price_unit": price, "taxes_id": False})
                        for p, q, price in lines
                    ],
                }
            )
        )
        order.button_confirm()
        return order

    def _receive(self, order, quantities):
        """Validate the order's open receipt for {purchase line: qty}; no backorder."""
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        for move in picking.move_ids:
            move.quantity = quantities.get(move.purchase_line_id, 0.0)
            move.picked = True
        picking.with_context(cancel_backorder=False)._action_done()

    def _post_bill(self, bill, user=None):
        bill.invoice_date = self._today()
        (bill.with_user(user) if user else bill).action_post()
        return bill

    @contextmanager
    def _raises(self, pattern):
        """assertRaisesRegex(UserError, pattern) in a savepoint, as Odoo's
        assertRaises: what the failed call wrote is rolled back."""
        with self.assertRaises(UserError) as caught:
            yield caught
        self.assertRegex(str(caught.exception), pattern)
