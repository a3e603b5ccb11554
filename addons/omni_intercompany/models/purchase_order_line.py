# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

# what the supplier company's sale order copied from the request
MIRRORED_FIELDS = ("product_id", "product_qty", "product_uom", "price_unit", "discount")


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.filtered(lambda line: not line.display_type)._omni_ic_check_unchanged()
        return lines

    def write(self, vals):
        if any(field in vals for field in MIRRORED_FIELDS):
            self.filtered(lambda line: not line.display_type)._omni_ic_check_unchanged()
        return super().write(vals)

    def _omni_ic_check_unchanged(self, order=None):
        """A goods request sent to the supplier company keeps what its sale
        order copied: a change on one side only would make the books differ."""
        for sent in (order or self.order_id).filtered("omni_ic_rule_id")[:1]:
            raise UserError(
                self.env._(
                    "Goods request %(order)s was sent to %(company)s as sale order %(sale)s: its products, "
                    "quantities and prices no longer change here. Cancel the request or make a new one.",
                    order=sent.name,
                    company=sent.omni_ic_rule_id.supplier_company_id.name,
                    sale=sent.omni_ic_sale_order_ref,
                )
            )

    def _omni_ic_open_receipts(self):
        self.ensure_one()
        return self.move_ids.filtered(lambda m: m.state not in ("done", "cancel") and m.picking_code == "incoming")

    def _omni_ic_expected_qty(self, sale_line=None):
        """What the supplier company still ships or has shipped and this line
        has not received, in the product's unit: its sale order line's open
        deliveries plus delivered minus received. None if no sale order line.
        Called as superuser: it counts the supplier company's moves."""
        self.ensure_one()
        if sale_line is None:
            sale_line = self.env["sale.order.line"].search([("omni_ic_purchase_line_id", "=", self.id)], limit=1)
        if not sale_line:
            return None
        uom = self.product_id.uom_id
        open_deliveries = sum(
            m.product_qty
            for m in sale_line.move_ids
            if m.state not in ("done", "cancel") and m.picking_code == "outgoing"
        )
        delivered = sale_line.product_uom._compute_quantity(sale_line.qty_delivered, uom)
        received = self.product_uom._compute_quantity(self.qty_received, uom)
        return open_deliveries + max(0.0, delivered - received)

    def _omni_ic_sync_receipts(self):
        """Cancel what these request lines' receipts expect beyond what the
        supplier company still ships or has shipped (its delivery, or the rest
        of it, was cancelled): the receipt, or the part of it, that will never
        come. Called as superuser on the mirrored request lines only."""
        Move = self.env["stock.move"]
        sale_lines = self.env["sale.order.line"].search([("omni_ic_purchase_line_id", "in", self.ids)])
        sale_line_of = {sale_line.omni_ic_purchase_line_id: sale_line for sale_line in sale_lines}
        for line in self:
            expected = line._omni_ic_expected_qty(sale_line_of.get(line, sale_lines.browse()))
            if expected is None:
                continue
            uom = line.product_id.uom_id
            receipts = line._omni_ic_open_receipts()
            excess = sum(receipts.mapped("product_qty")) - expected
            if float_compare(excess, 0.0, precision_rounding=uom.rounding) <= 0:
                continue
            cancelled = excess
            # what nothing was prepared for goes first, the newest first
            for move in receipts.sorted(lambda m: (m.quantity, -m.id)):
                if float_compare(excess, 0.0, precision_rounding=uom.rounding) <= 0:
                    break
                if float_compare(move.product_qty, excess, precision_rounding=uom.rounding) <= 0:
                    excess -= move.product_qty
                    move._action_cancel()
                    continue
                rest = Move.create(move._split(excess))
                rest._action_confirm(merge=False)
                rest._action_cancel()
                excess = 0.0
            line.order_id.message_post(
                body=self.env._(
                    "%(company)s cancelled the rest of its delivery: %(qty)s %(product)s no longer to receive.",
                    company=line.order_id.omni_ic_rule_id.supplier_company_id.name,
                    qty=cancelled,
                    product=line.product_id.display_name,
                )
            )
