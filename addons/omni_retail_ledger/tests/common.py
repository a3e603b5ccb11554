# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import datetime

from odoo import Command

from odoo.addons.omni_base.tools import guard
from odoo.addons.omni_order.tests.common import OmniOrderTestMixin

DAY = "2026-11-20"
# 11:00 in Shanghai on DAY
SHIPPED_AT = datetime(2026, 11, 20, 3, 0, 0)


class RetailLedgerTestMixin(OmniOrderTestMixin):
    """Company with two channels (TMALL01, JD01), two VAT rates (13 % on tea
    and cups, 9 % on honey and shipping), a platform receivable and a revenue
    account per channel, courier SF with its COD receivable account."""

    @classmethod
    def _setup_retail_ledger(cls):
        cls._setup_omni_order()
        env = cls.env
        company = cls.company
        base_tax = env["account.tax"].search(
            [("company_id", "=", company.id), ("type_tax_use", "=", "sale"), ("amount_type", "=", "percent")],
            limit=1,
        )
        TaxGroup = env["account.tax.group"]
        cls.vat13 = base_tax.copy(
            {"name": "VAT 13% retail", "amount": 13.0,
             "tax_group_id": TaxGroup.create({"name": "VAT 13", "company_id": company.id}).id}
        )  # fmt: skip
        cls.vat9 = base_tax.copy(
            {"name": "VAT 9% retail", "amount": 9.0,
             "tax_group_id": TaxGroup.create({"name": "VAT 9", "company_id": company.id}).id}
        )  # fmt: skip
        cls.tax_account = cls.vat13.invoice_repartition_line_ids.filtered(
            lambda r: r.repartition_type == "tax"
        ).account_id
        (cls.tea | cls.cup).taxes_id = cls.vat13
        cls.honey.taxes_id = cls.vat9
        cls.shipping_product = env.ref("omni_order.product_omni_shipping_fee")
        cls.shipping_product.with_company(company).taxes_id = cls.vat9
        Account = env["account.account"]
        cls.clearing_tmall = Account.create(
            {"name": "Tmall settlement", "code": "112301", "account_type": "asset_receivable", "reconcile": True}
        )
        cls.clearing_jd = Account.create(
            {"name": "JD settlement", "code": "112302", "account_type": "asset_receivable", "reconcile": True}
        )
        cls.revenue_tmall = Account.create({"name": "Tmall revenue", "code": "600101", "account_type": "income"})
        cls.revenue_jd = Account.create({"name": "JD revenue", "code": "600102", "account_type": "income"})
        cls.cod_sf = Account.create(
            {"name": "SF COD receivable", "code": "112210", "account_type": "asset_receivable", "reconcile": True}
        )
        cls.sf_partner = env["res.partner"].create({"name": "SF Express", "is_company": True})
        fee_product = env["product.product"].create({"name": "SF freight", "type": "service"})
        cls.sf = env["delivery.carrier"].create(
            {"name": "SF Express", "product_id": fee_product.id, "omni_courier_code": "SF",
             "omni_partner_id": cls.sf_partner.id, "company_id": company.id}
        )  # fmt: skip
        cls.sf.with_company(company).omni_cod_account_id = cls.cod_sf
        cls.channel.write(
            {"omni_clearing_account_id": cls.clearing_tmall.id, "omni_revenue_account_id": cls.revenue_tmall.id}
        )
        cls.channel_jd = env["omni.channel"].create(
            {"name": "JD store", "code": "JD01", "platform": "jd", "company_id": company.id,
             "warehouse_id": cls.warehouse.id, "omni_clearing_account_id": cls.clearing_jd.id,
             "omni_revenue_account_id": cls.revenue_jd.id}
        )  # fmt: skip
        env["omni.product.mapping"].create(
            [
                {"channel_id": cls.channel_jd.id, "platform_sku": sku, "product_id": product.id, "quantity": qty}
                for sku, product, qty in (("JD-TEA", cls.tea, 0.25), ("JD-HONEY", cls.honey, 1))
            ]
        )
        cls.Record = env["omni.retail.record"]

    @classmethod
    def _import(cls, code, number, lines, shipping_fee="0", payment_method="prepaid"):
        """A confirmed platform order (and its sale order) from platform lines
        [(sku, quantity, unit_price)]."""
        paid = sum(float(q) * float(p) for _s, q, p in lines) + float(shipping_fee)
        [result] = cls.env["omni.order"].import_orders(
            code,
            [
                cls._order(
                    number,
                    paid_amount=f"{paid:.2f}",
                    shipping_fee=shipping_fee,
                    payment_method=payment_method,
                    lines=[{"platform_sku": s, "quantity": q, "unit_price": p} for s, q, p in lines],
                )
            ],
        )
        order = cls.env["omni.order"].browse(result["order_id"])
        assert order.sale_order_id, result
        return order

    @classmethod
    def _ship(cls, order, when=SHIPPED_AT, courier="SF"):
        """Validate the order's delivery as shipped by ``courier`` at ``when`` (UTC)."""
        sale_order = order.sale_order_id if order._name == "omni.order" else order
        picking = sale_order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state not in ("done", "cancel")
        )
        picking.write({"omni_courier_code": courier, "omni_tracking_no": f"T{picking.id}"})
        picking.move_ids.picked = True
        picking.button_validate()
        assert picking.state == "done", picking.state
        picking.date_done = when
        return order

    @classmethod
    def _return(cls, order, refund_amount, when, lines=None):
        """A received after-sales order for ``order`` with ``refund_amount``."""
        aftersale = cls.env["omni.aftersale"].create(
            {
                "omni_order_id": order.id,
                "refund_amount": refund_amount,
                "line_ids": [
                    Command.create({"product_id": product.id, "quantity": qty, "destination": "sellable"})
                    for product, qty in (lines or [])
                ],
            }
        )
        aftersale.action_submit()
        aftersale.action_approve()
        aftersale.action_receive()
        guard.internal(aftersale).received_at = when  # the test's day, not today
        return aftersale

    @staticmethod
    def _expected_taxes(sale_orders):
        """{tax group name: (base, tax)} from the sale orders' own tax totals."""
        result = defaultdict(lambda: [0.0, 0.0])
        for sale_order in sale_orders:
            for subtotal in sale_order.tax_totals["subtotals"]:
                for group in subtotal["tax_groups"]:
                    result[group["group_name"]][0] += group["base_amount_currency"]
                    result[group["group_name"]][1] += group["tax_amount_currency"]
        return {name: (round(base, 2), round(tax, 2)) for name, (base, tax) in result.items()}

    @staticmethod
    def _move_balance(move, account):
        return round(sum(move.line_ids.filtered(lambda ln: ln.account_id == account).mapped("balance")), 2)
