# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare

from odoo.addons.omni_base.tools import guard

# computed money: never written by a client
COMPUTED_FIELDS = ("omni_amount_to_bill",)


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    # an average of unit prices (Odoo's 'avg') means nothing in a group row
    # (lines of many products and units): no aggregate
    price_unit = fields.Float(aggregator=None)
    omni_amount_to_bill = fields.Monetary(
        string="Amount to Bill",
        compute="_compute_omni_amount_to_bill",
        store=True,
        currency_field="currency_id",
        help="Quantity to bill × unit price after discount, in the order's currency, without taxes.",
    )

    omni_bill_limit_qty = fields.Float(
        string="Billable Limit",
        digits="Product Unit of Measure",
        compute="_compute_omni_bill_limit_qty",
        help="The most that may be billed on this line without a manager's acceptance: the "
        "received quantity (control policy 'On received quantities'), the larger of ordered and received "
        "(policy 'On ordered quantities').",
    )

    @api.depends("product_qty", "qty_received", "product_id.purchase_method")
    def _compute_omni_bill_limit_qty(self):
        for line in self:
            if line.product_id.purchase_method == "purchase":
                line.omni_bill_limit_qty = max(line.product_qty, line.qty_received)
            else:
                line.omni_bill_limit_qty = line.qty_received

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            guard.check_write(self, vals, COMPUTED_FIELDS)
        return super().create(vals_list)

    def write(self, vals):
        guard.check_write(self, vals, COMPUTED_FIELDS)
        return super().write(vals)

    @api.depends("qty_to_invoice", "price_unit", "discount", "currency_id")
    def _compute_omni_amount_to_bill(self):
        for line in self:
            amount = line.qty_to_invoice * line.price_unit * (1 - (line.discount or 0.0) / 100)
            line.omni_amount_to_bill = line.currency_id.round(amount) if line.currency_id else amount

    def _omni_lock(self):
        """Lock these purchase lines (in id order, so two users never wait on
        each other crosswise). Billing writes their billed quantity, so a
        second transaction waiting here fails with a concurrent update once
        the first commits, and Odoo replays it: it then sees the bill."""
        if self:
            self.env.flush_all()
            self.env.cr.execute(
                SQL("SELECT id FROM purchase_order_line WHERE id = ANY(%s) ORDER BY id FOR UPDATE", self.ids)
            )
            self.invalidate_recordset(["qty_invoiced", "qty_to_invoice", "qty_received"])

    def _omni_create_bills(self):
        """Vendor bills for what these lines have to bill (Odoo's
        ``qty_to_invoice``: received − billed, or ordered − billed for products
        billed on ordered quantities), one bill per company, vendor and
        currency, lines made by Odoo's ``_prepare_account_move_line`` at the
        order's prices. Lines with nothing (or less than nothing, after a
        return) to bill are left out. Returns the bills made."""
        self.env["account.move"].check_access("create")
        self.check_access("read")
        lines = self.filtered(lambda line: not line.display_type and line.order_id.state in ("purchase", "done"))
        lines._omni_lock()
        to_bill = lines.filtered(
            lambda line: float_compare(line.qty_to_invoice, 0.0, precision_rounding=line.product_uom.rounding) > 0
        )
        if not to_bill:
            raise UserError(self.env._("Nothing to bill: what was received on these purchase lines is billed already."))
        groups = defaultdict(lambda: self.env["purchase.order.line"])
        for line in to_bill.sorted(lambda ln: (ln.order_id.id, ln.sequence, ln.id)):
            order = line.order_id
            groups[(order.company_id, order.partner_id.commercial_partner_id, order.currency_id)] |= line
        bills = self.env["account.move"]
        for (company, _vendor, _currency), group in groups.items():
            orders = group.order_id.with_company(company)
            vals = orders[0]._prepare_invoice()
            vals["invoice_origin"] = ", ".join(orders.mapped("name"))
            refs = [ref for ref in orders.mapped("partner_ref") if ref]
            vals["ref"] = ", ".join(refs)[:2000] or False
            vals["payment_reference"] = len(refs) == 1 and refs[0] or False
            vals["invoice_line_ids"] = [
                fields.Command.create({**line.with_company(company)._prepare_account_move_line(), "sequence": seq})
                for seq, line in enumerate(group, start=10)
            ]
            bills |= (
                self.env["account.move"].with_company(company).with_context(default_move_type="in_invoice").create(vals)
            )
        for bill in bills:
            bill.message_post(
                body=self.env._(
                    "Billed from the received quantities of %(orders)s.",
                    orders=bill.invoice_origin,
                )
            )
        return bills

    def action_omni_create_bills(self):
        bills = self._omni_create_bills()
        return self.env["purchase.order"].action_view_invoice(bills)
