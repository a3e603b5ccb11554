# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Confirmation into sale orders: one sale order per platform order (merged
ones with it), lines exploded through the relation table, the paid amount
shared to the cent, price-included taxes; marking orders shipped."""

import logging

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round

from odoo.addons.omni_base.tools import guard

from ..tools.order_states import OPEN_STATES

_logger = logging.getLogger(__name__)


class OmniOrder(models.Model):
    _inherit = "omni.order"

    # --- sale orders --------------------------------------------------------
    def _confirm_orders(self, defer_reservation=False):
        """Make confirmed sale orders (one per order and its merged orders),
        in batches; stock is reserved by the confirmation unless deferred."""
        orders = self.filtered(
            lambda o: o.state in OPEN_STATES and not o.merged_into_id and not o.sale_order_id and not o.hold_reason
        )
        if not orders:
            return self.env["sale.order"]
        self.env.cr.execute("SELECT id FROM omni_order WHERE id IN %s FOR UPDATE", [tuple(orders.ids)])
        sale_orders = orders._omni_create_sale_orders(defer_reservation)
        return sale_orders.with_env(self.env)  # the caller's environment, not the internal one

    def _omni_create_sale_orders(self, defer_reservation):
        """The sale orders of these open, locked root orders, confirmed."""
        members = self | self.merged_order_ids
        partners = self.env["res.partner"]._omni_get_buyers(members)
        # read for all orders at once what each order's lines need
        members.line_ids.mapped("platform_sku")
        line_data = members._sale_line_data()
        vals_list = []
        for order in self:
            vals = order._prepare_sale_order_vals(partners[order.receiver_key])
            vals["order_line"] = (order | order.merged_order_ids)._prepare_sale_line_commands(None, line_data)
            vals_list.append(vals)
        quiet = {
            "mail_create_nolog": True,
            "mail_create_nosubscribe": True,
            "mail_notrack": True,
            "tracking_disable": True,
            "omni_defer_reservation": defer_reservation,
        }
        SaleOrder = guard.internal(self.env["sale.order"]).with_context(**quiet)
        sale_orders = SaleOrder.create(SaleOrder._omni_name_in_batch(vals_list))
        sale_orders.with_context(**quiet)._omni_confirm_in_batch()
        # untracked: the order's chatter would get one "To Review -> Confirmed"
        # line per order of a wave; the sale order link shows it. The link is
        # one write per sale order, the state one write for the batch.
        quiet_orders = guard.internal(self).with_context(tracking_disable=True, mail_notrack=True)
        for order, sale_order in zip(quiet_orders, sale_orders, strict=True):
            (order | order.merged_order_ids).write({"sale_order_id": sale_order.id})
        quiet_orders.write({"state": "confirmed"})  # the merged ones stay merged, with the sale order
        # the allocation now follows the deliveries: what is not reserved yet
        self._omni_allocate()
        return sale_orders

    def _prepare_sale_order_vals(self, partner):
        self.ensure_one()
        channel = self.channel_id
        vals = {
            "partner_id": partner.id,
            "company_id": self.company_id.id,
            "omni_channel_id": channel.id,
            "omni_payment_method": self.payment_method,
            "client_order_ref": self.platform_order_no,
            "origin": f"{channel.code}/{self.platform_order_no}",
            "date_order": self.order_time or fields.Datetime.now(),
            "note": self.buyer_note or False,
        }
        if channel.warehouse_id:
            vals["warehouse_id"] = channel.warehouse_id.id
        if channel.pricelist_id:
            vals["pricelist_id"] = channel.pricelist_id.id
        return vals

    def _sale_line_data(self):
        """What the sale lines of these orders are made from: their SKUs'
        products (relation table), the price precision and the products'
        price-included taxes; read once for a batch of orders."""
        components = self.env["omni.product.mapping"]._get_components(
            {(o.channel_id.id, line.platform_sku) for o in self for line in o.line_ids}
        )
        price_digits = self.env["decimal.precision"].precision_get("Product Price")
        included_taxes = self._tax_included_taxes(
            self.env["product.product"].union(*(product for parts in components.values() for product, _q in parts))
            | self.channel_id.shipping_product_id
        )
        return components, price_digits, included_taxes

    def _prepare_sale_line_commands(self, sale_order, line_data=None):
        """Sale-order lines of these orders: each platform line exploded into
        its products (bundle components share the line's amount in proportion
        to their list prices) plus one line for the shipping fee.

        Each order's lines add up to its paid amount to the cent: the paid
        amount less shipping is shared in cents over the products (largest
        remainder), and a product whose cents its quantity does not divide
        evenly at the price precision gets two lines: all units but one at
        the rounded unit price, the last unit carrying the remainder
        (59.00 for 12 units: 11 x 4.92 + 1 x 4.88). The price precision stays
        the company's for every other sale order."""
        components, price_digits, included_taxes = line_data or self._sale_line_data()
        commands = []
        for order in self:
            factor = 10**order.currency_id.decimal_places
            items = []  # (platform line, product, product quantity, exact share of the line's amount)
            for line in order.line_ids:
                parts = components.get((order.channel_id.id, line.platform_sku))
                if not parts:
                    raise UserError(
                        self.env._(
                            "Order %(order)s: platform SKU %(sku)s has no product.",
                            order=order.display_name,
                            sku=line.platform_sku,
                        )
                    )
                line_total = line.quantity * line.unit_price
                weights = [max(product.lst_price, 0.0) * qty for product, qty in parts]
                if not sum(weights):
                    weights = [qty for _product, qty in parts]
                total_weight = sum(weights)
                for (product, qty), weight in zip(parts, weights, strict=True):
                    product_qty = float_round(line.quantity * qty, precision_rounding=product.uom_id.rounding)
                    items.append((line, product, parts, product_qty, line_total * weight / total_weight))
            paid_cents = round(order.paid_amount * factor)
            shipping_cents = 0
            if float_compare(order.shipping_fee, 0.0, precision_digits=2) > 0:
                shipping_cents = min(round(order.shipping_fee * factor), max(paid_cents, 0))
            goods_cents = self._share_cents(paid_cents - shipping_cents, [max(item[4], 0.0) for item in items])
            for (line, product, parts, product_qty, _share), cents in zip(items, goods_cents, strict=True):
                values = {
                    "product_id": product.id,
                    "tax_id": [Command.set(included_taxes[product, order.company_id].ids)],
                    "omni_order_line_id": line.id,
                    "name": f"[{line.platform_sku}] {product.display_name}"
                    if len(parts) > 1 or product.default_code != line.platform_sku
                    else product.display_name,
                }
                for quantity, price in self._unit_prices(product_qty, cents, factor, price_digits):
                    commands.append(Command.create(dict(values, product_uom_qty=quantity, price_unit=price)))
            if shipping_cents or float_compare(order.shipping_fee, 0.0, precision_digits=2) > 0:
                shipping_product = order.channel_id.shipping_product_id
                if not shipping_product:
                    raise UserError(
                        self.env._(
                            "Channel %(channel)s has no shipping fee product.", channel=order.channel_id.display_name
                        )
                    )
                commands.append(
                    Command.create(
                        {
                            "product_id": shipping_product.id,
                            "product_uom_qty": 1.0,
                            "price_unit": shipping_cents / factor,
                            "tax_id": [Command.set(included_taxes[shipping_product, order.company_id].ids)],
                            "name": self.env._("Shipping fee of %(order)s", order=order.platform_order_no),
                        }
                    )
                )
        return commands

    @api.model
    def _share_cents(self, total, weights):
        """``total`` (integer cents, not negative) shared in proportion to
        ``weights``: whole cents that add up to ``total`` exactly (largest
        remainder; the earlier item wins a tie)."""
        if not weights:
            return []
        if sum(weights) <= 0:
            weights = [1.0] * len(weights)
        weight_sum = sum(weights)
        exact = [total * weight / weight_sum for weight in weights]
        cents = [int(value) for value in exact]
        by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - cents[i]), i))
        for index in by_remainder[: total - sum(cents)]:
            cents[index] += 1
        return cents

    @api.model
    def _unit_prices(self, quantity, cents, factor, price_digits):
        """[(quantity, unit price)] whose rounded amounts add up to ``cents``:
        one line when the rounded unit price gives the amount back, else all
        units but the last at that price and the last unit at the rest."""
        digits = len(str(factor)) - 1
        if float_compare(quantity, 0.0, precision_digits=4) <= 0:
            return [(quantity, 0.0)]
        price = float_round(cents / factor / quantity, precision_digits=price_digits)

        def amount_cents(qty, unit_price):
            return round(float_round(qty * unit_price, precision_digits=digits) * factor)

        if amount_cents(quantity, price) == cents or float_compare(quantity, 1.0, precision_digits=4) <= 0:
            return [(quantity, price)]
        first = float_round(quantity - 1.0, precision_digits=4)
        return [(first, price), (1.0, (cents - amount_cents(first, price)) / factor)]

    def _tax_included_taxes(self, products):
        """{(product, company): its sales taxes in their price-included form}
        for these orders' companies. Platform prices are what the buyer pays,
        tax included (含税价): a sale line keeps the platform price and its
        tax is taken out of it, so that the sale order's total is the amount
        paid. A product tax that is not included in price is replaced by the
        company's included tax of the same kind and rate, made once when the
        channel is set up (omni.channel._omni_setup_included_taxes); none is
        ever made here, where parallel confirmation jobs would make it twice.
        A missing one stops the confirmation with a message naming it."""
        Tax = self.env["account.tax"].sudo()  # reading the company's taxes, whoever confirms
        result = {}
        twins = {}
        for company in self.company_id:
            taxes_of = {product: product.with_company(company).taxes_id.filtered(
                lambda t, c=company: t.company_id == c) for product in products}  # fmt: skip
            excluded = Tax.browse().union(*taxes_of.values()).filtered(lambda t: not t.price_include)
            if excluded:
                candidates = Tax.search(
                    [
                        ("company_id", "=", company.id),
                        ("type_tax_use", "=", "sale"),
                        ("amount_type", "in", excluded.mapped("amount_type")),
                        ("price_include", "=", True),
                    ]
                )
                for tax in excluded:
                    twin = self._find_included_twin(tax, candidates)
                    if not twin:
                        product = next(p for p, taxes in taxes_of.items() if tax in taxes)
                        raise UserError(
                            self.env._(
                                "Tax %(tax)s of product %(product)s is not included in price and company %(company)s "
                                "has no price-included sales tax of the same rate, group and account: use "
                                "'Set Up Price-included Taxes' on a channel of the company (Channel Manager), or "
                                "create it in Accounting.",
                                tax=tax.name,
                                product=product.display_name,
                                company=company.name,
                            )
                        )
                    twins[tax] = twin
            for product, taxes in taxes_of.items():
                result[product, company] = self.env["account.tax"].union(*(twins.get(t, t) for t in taxes))
        return result

    @api.model
    def _find_included_twin(self, tax, candidates):
        """The price-included tax among ``candidates`` that is ``tax`` with
        the tax in the price: same kind, rate, group and accounts."""
        return candidates.filtered(
            lambda t: t.price_include
            and t.active
            and t.amount_type == tax.amount_type
            and float_compare(t.amount, tax.amount, precision_digits=4) == 0
            and t.tax_group_id == tax.tax_group_id
            and t.invoice_repartition_line_ids.account_id == tax.invoice_repartition_line_ids.account_id
        )[:1]

    def _mark_shipped(self):
        """Called when deliveries are done: orders whose sale order is fully
        delivered become shipped."""
        done = self.filtered(lambda o: o.state == "confirmed" and o.sale_order_id.delivery_status == "full")
        guard.internal(done).write({"state": "shipped"})
        return done

    def _prepare_buyer_vals(self):
        self.ensure_one()
        return {
            "name": self.receiver_name or self.buyer_nick or self.phone or self.platform_order_no,
            "phone": self.phone,
            "street": self.address,
            "street2": " ".join(p for p in (self.province, self.district) if p) or False,
            "city": self.city,
            "country_id": self.env.ref("base.cn").id,
            "company_id": self.company_id.id,
            "omni_buyer_key": self.receiver_key,
            "comment": self.buyer_nick and self.env._("Platform nickname: %(nick)s", nick=self.buyer_nick),
        }
