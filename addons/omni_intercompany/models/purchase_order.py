# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare

from odoo.addons.omni_base.tools import guard


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    omni_ic_rule_id = fields.Many2one(
        "omni.intercompany.rule",
        string="Inter-company rule",
        readonly=True,
        copy=False,
        help="Set when the order is confirmed as a goods request (请货) to the supplier company.",
    )
    omni_ic_sale_order_ref = fields.Char(
        string="Supplier's sale order",
        readonly=True,
        copy=False,
        help="The sale order that the supplier company made from this goods request.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # a goods request is received in the rule's receiving warehouse: its
        # operation type is that warehouse's receipt unless the caller gave one
        # (then it is checked below, and another warehouse's is refused)
        Rule = self.env["omni.intercompany.rule"]
        for vals in vals_list:
            if vals.get("partner_id") and not vals.get("picking_type_id"):
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                rule = Rule._find_for(company, self.env["res.partner"].browse(vals["partner_id"]))
                if rule:
                    vals["picking_type_id"] = rule.customer_warehouse_id.in_type_id.id
        return super().create(vals_list)

    @api.onchange("partner_id", "company_id")
    def _onchange_omni_ic_picking_type(self):
        rule = self.env["omni.intercompany.rule"]._find_for_purchase(self)
        if rule and self.picking_type_id.warehouse_id != rule.customer_warehouse_id:
            self.picking_type_id = rule.customer_warehouse_id.in_type_id

    @api.constrains("partner_id", "company_id", "picking_type_id")
    def _check_omni_ic_picking_type(self):
        for order in self.filtered(lambda o: o.state != "cancel"):
            rule = self.env["omni.intercompany.rule"]._find_for_purchase(order)
            if rule:
                order._omni_ic_check_picking_type(rule)

    def _omni_ic_check_picking_type(self, rule):
        """A goods request is received where the rule says: an operation type
        of another warehouse (or none) is refused, naming it."""
        self.ensure_one()
        warehouse = rule.customer_warehouse_id
        if self.picking_type_id.warehouse_id != warehouse or self.picking_type_id.code != "incoming":
            # sudo: the supplier company's name only, for the message
            supplier_name = rule.sudo().supplier_company_id.name
            raise ValidationError(
                self.env._(
                    "Goods request %(order)s to %(company)s: its operation type %(type)s is not a receipt of "
                    "%(warehouse)s, the receiving warehouse of the inter-company rule.",
                    order=self.name,
                    company=supplier_name,
                    type=self.picking_type_id.display_name,
                    warehouse=warehouse.name,
                )
            )

    def write(self, vals):
        # a sent request stays the counterpart of its sale order (all many2one)
        changed = [field for field in ("partner_id", "company_id", "currency_id") if field in vals]
        if changed:
            for order in self.filtered("omni_ic_rule_id"):
                if any(order[field].id != (vals[field] or False) for field in changed):
                    self.env["purchase.order.line"]._omni_ic_check_unchanged(order)
        return super().write(vals)

    def button_approve(self, force=False):
        requests = self.filtered(lambda o: o.state in ("draft", "sent", "to approve"))
        rules = {order: self.env["omni.intercompany.rule"]._find_for_purchase(order) for order in requests}
        requests = requests.filtered(lambda o: rules[o])
        if requests:
            # one goods request makes one sale order: two confirmations at once
            # wait here for each other, and the second sees the first's result
            self.env.cr.execute(SQL("SELECT id FROM purchase_order WHERE id IN %s FOR UPDATE", tuple(requests.ids)))
            requests.invalidate_recordset(["state"])
            requests = requests.filtered(lambda o: o.state in ("draft", "sent", "to approve"))
            for order in requests:
                order._omni_ic_check_picking_type(rules[order])
                order._omni_ic_apply_transfer_prices(rules[order])
        res = super().button_approve(force=force)
        for order in requests.filtered(lambda o: o.state in ("purchase", "done")):
            order._omni_ic_create_sale_order(rules[order])
        return res

    def button_cancel(self):
        for order in self.filtered("omni_ic_rule_id"):
            # sudo: the buyer cannot read the supplier company's sale order; read
            # and cancelled here is the mirrored sale order of this request only
            sale = order._omni_ic_sale_order().sudo()
            if sale.state == "sale":
                raise UserError(
                    self.env._(
                        "Goods request %(order)s: %(company)s already confirmed its sale order %(sale)s; "
                        "it must cancel that order before the request can be cancelled.",
                        order=order.name,
                        company=order.omni_ic_rule_id.supplier_company_id.name,
                        sale=sale.name,
                    )
                )
        res = super().button_cancel()
        for order in self.filtered("omni_ic_rule_id"):
            sale = order._omni_ic_sale_order().sudo()
            if sale.state in ("draft", "sent"):
                sale._action_cancel()
                sale.message_post(body=self.env._("Cancelled with goods request %(order)s.", order=order.name))
        return res

    def _omni_ic_sale_order(self):
        """The supplier company's sale order of this goods request, as the
        caller sees it (callers that may not read it add ``sudo()``)."""
        self.ensure_one()
        return self.env["sale.order"].sudo().search([("omni_ic_purchase_order_id", "=", self.id)]).with_env(self.env)

    def _omni_ic_transfer_price(self, rule, line):
        """The transfer price of ``line`` in the rule's pricelist, or a
        UserError naming the request, the line and what is missing."""
        product = line.product_id
        supplier = rule.supplier_company_id
        # the supplier's pricelist and product settings are read as the supplier
        # company sees them, on these records only: the buyer has no access to them
        pricelist = rule.pricelist_id.sudo().with_company(supplier)
        product_sudo = product.sudo().with_company(supplier)
        if not product_sudo.sale_ok or product_sudo.company_id not in (supplier, self.env["res.company"]):
            raise UserError(
                self.env._(
                    "Goods request %(order)s: %(company)s does not sell %(product)s.",
                    order=self.name,
                    company=supplier.name,
                    product=product.display_name,
                )
            )
        price, rule_id = pricelist._get_product_price_rule(
            product_sudo, line.product_qty or 1.0, uom=line.product_uom, date=self.date_order
        )
        if not rule_id:
            raise UserError(
                self.env._(
                    "Goods request %(order)s: %(product)s has no transfer price in %(company)s's pricelist.",
                    order=self.name,
                    product=product.display_name,
                    company=supplier.name,
                )
            )
        return price

    def _omni_ic_apply_transfer_prices(self, rule):
        """Check every line of the request and give it the transfer price,
        before anything is confirmed: a refused request changes nothing."""
        self.ensure_one()
        if self.currency_id != rule.pricelist_id.sudo().currency_id:
            raise UserError(
                self.env._(
                    "Goods request %(order)s: its currency differs from the transfer pricelist's; "
                    "inter-company requests in another currency are not supported yet.",
                    order=self.name,
                )
            )
        lines = self.order_line.filtered(lambda line: not line.display_type)
        if not lines:
            raise UserError(self.env._("Goods request %(order)s has no product line.", order=self.name))
        prices = {}
        for line in lines:
            if line.product_id.type == "service" or not line.product_id:
                raise UserError(
                    self.env._(
                        "Goods request %(order)s: %(product)s is not a good; request goods only.",
                        order=self.name,
                        product=line.product_id.display_name or line.name,
                    )
                )
            prices[line] = self._omni_ic_transfer_price(rule, line)
        for line, price in prices.items():
            if float_compare(line.price_unit, price, precision_digits=self.currency_id.decimal_places):
                line.price_unit = price
            if line.discount:
                # the transfer price is the price: no discount on one side only
                line.discount = 0.0

    def _prepare_omni_ic_sale_order_vals(self, rule):
        self.ensure_one()
        return {
            "company_id": rule.supplier_company_id.id,
            "partner_id": self.company_id.partner_id.id,
            "pricelist_id": rule.pricelist_id.id,
            "warehouse_id": rule.supplier_warehouse_id.id,
            "client_order_ref": self.name,
            "user_id": False,
            "omni_ic_purchase_order_id": self.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": line.product_id.id,
                        "product_uom_qty": line.product_qty,
                        "product_uom": line.product_uom.id,
                        "price_unit": line.price_unit,
                        "discount": line.discount,
                        "omni_ic_purchase_line_id": line.id,
                    }
                )
                for line in self.order_line.filtered(lambda line: not line.display_type)
            ],
        }

    def _omni_ic_create_sale_order(self, rule):
        """The supplier company's sale order of this confirmed goods request, once."""
        self.ensure_one()
        supplier = rule.supplier_company_id
        # sudo: the buyer has no rights in the supplier company; it is used on the
        # mirrored sale order of this request only (search, create, confirm)
        SaleOrder = self.env["sale.order"].with_company(supplier).sudo()
        if SaleOrder.search_count([("omni_ic_purchase_order_id", "=", self.id)], limit=1):
            return
        sale = guard.internal(SaleOrder).create(self._prepare_omni_ic_sale_order_vals(rule))
        if rule.auto_confirm:
            sale.action_confirm()
        guard.internal(self).write({"omni_ic_rule_id": rule.id, "omni_ic_sale_order_ref": sale.name})
        self.message_post(
            body=self.env._(
                "Goods request sent to %(company)s as sale order %(sale)s.", company=supplier.name, sale=sale.name
            )
        )

    def get_intercompany_state(self):
        """Both sides of these goods requests as plain values, for XML-RPC:
        the request, its receipt and bills (the caller's company) and the
        supplier company's sale order, deliveries and invoices (their names,
        states and totals only)."""
        self.check_access("read")

        def documents(moves):
            return [
                {"name": m.name or "", "state": m.state, "amount_total": m.amount_total, "currency": m.currency_id.name}
                for m in moves.sorted("id")
            ]

        result = []
        for order in self:
            # sudo: the supplier company's sale order of this request; the
            # caller gets the names, states and quantities of it only
            sale = order._omni_ic_sale_order().sudo()
            lines = order.order_line.filtered(lambda line: not line.display_type)
            result.append(
                {
                    "id": order.id,
                    "name": order.name,
                    "state": order.state,
                    "ordered": sum(lines.mapped("product_qty")),
                    "received": sum(lines.mapped("qty_received")),
                    "billed": sum(lines.mapped("qty_invoiced")),
                    "bills": documents(order.invoice_ids),
                    "supplier_company": order.omni_ic_rule_id.supplier_partner_id.name or "",
                    "sale_order": sale.name or "",
                    "sale_state": sale.state or "",
                    "delivered": sum(sale.order_line.mapped("qty_delivered")),
                    "invoiced": sum(sale.order_line.mapped("qty_invoiced")),
                    "invoices": documents(sale.invoice_ids),
                }
            )
        return result
