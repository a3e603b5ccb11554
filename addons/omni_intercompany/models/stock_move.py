# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import float_compare

OPEN = ("done", "cancel")


class StockMove(models.Model):
    _inherit = "stock.move"

    def _omni_ic_mirror_line_vals(self, shipped_move):
        """The move lines that make this receipt move (the other company's)
        ready with what ``shipped_move`` shipped: same quantities, same lots
        or serials. Used by the goods request's delivery -> receipt and by
        the return's delivery -> receipt (omni_intercompany_return)."""
        self.ensure_one()
        tracked = self.has_tracking != "none"
        vals_list = []
        for ml in shipped_move.move_line_ids.filtered(lambda ml: ml.quantity):
            # a shared product's lot has no company (Odoo 18): both companies
            # use the same lot; a company's own lot is carried by its name
            shared_lot = ml.lot_id if tracked and not ml.lot_id.company_id else ml.lot_id.browse()
            vals_list.append(
                {
                    "move_id": self.id,
                    "picking_id": self.picking_id.id,
                    "company_id": self.company_id.id,
                    "product_id": self.product_id.id,
                    "product_uom_id": self.product_uom.id,
                    "quantity": ml.product_uom_id._compute_quantity(ml.quantity, self.product_uom),
                    "location_id": self.location_id.id,
                    "location_dest_id": self.location_dest_id.id,
                    "lot_id": shared_lot.id,
                    "lot_name": ml.lot_id.name if tracked and not shared_lot else False,
                    "picked": True,
                }
            )
        return vals_list

    def _action_cancel(self):
        # retail's receipt of a goods request keeps what wholesale still ships
        # or has shipped; wholesale cancels first, and the receipt follows
        self.filtered(
            lambda m: m.state not in OPEN
            and m.picking_code == "incoming"
            and m.purchase_line_id.order_id.omni_ic_rule_id
        )._omni_ic_check_receipt_cancel()
        deliveries = self.filtered(
            lambda m: m.state not in OPEN and m.picking_code == "outgoing" and m.sale_line_id.omni_ic_purchase_line_id
        )
        res = super()._action_cancel()
        cancelled = deliveries.filtered(lambda m: m.state == "cancel")
        if cancelled:
            # sudo: the customer company's goods request lines of these deliveries only
            cancelled.sale_line_id.omni_ic_purchase_line_id.sudo()._omni_ic_sync_receipts()
        return res

    def _action_done(self, cancel_backorder=False):
        if cancel_backorder:
            # validated without backorder: the rest of these receipts is dropped
            self.filtered(
                lambda m: m.state not in OPEN
                and m.picking_code == "incoming"
                and m.purchase_line_id.order_id.omni_ic_rule_id
            )._omni_ic_check_receipt_cancel(receiving=True)
        return super()._action_done(cancel_backorder=cancel_backorder)

    def _omni_ic_check_receipt_cancel(self, receiving=False):
        """These receipt moves of goods requests are cancelled (or, with
        ``receiving``, done for their picked quantity and the rest dropped):
        refused if what stays expected is less than what the supplier company
        still ships or has shipped and the line has not received."""
        for po_line, moves in self.grouped("purchase_line_id").items():
            # sudo: the supplier company's deliveries of this request line, counted only
            expected = po_line.sudo()._omni_ic_expected_qty()
            if expected is None:
                continue
            remaining = sum(
                po_line._omni_ic_open_receipts().filtered(lambda m, moves=moves: m not in moves).mapped("product_qty")
            )
            if receiving:
                remaining += sum(
                    m.product_uom._compute_quantity(m.quantity, m.product_id.uom_id) for m in moves if m.picked
                )
            rounding = po_line.product_id.uom_id.rounding
            if float_compare(remaining, expected, precision_rounding=rounding) < 0:
                order = po_line.order_id
                raise UserError(
                    self.env._(
                        "Receipt %(receipt)s: %(qty)s %(product)s of goods request %(order)s are still to come from "
                        "%(company)s (shipped, or on its open delivery): they are not cancelled here. %(company)s "
                        "cancels its delivery, and the receipt follows.",
                        receipt=moves.picking_id[:1].name or order.name,
                        qty=expected,
                        product=po_line.product_id.display_name,
                        order=order.name,
                        # sudo: the supplier company's name, for the message only
                        company=order.omni_ic_rule_id.sudo().supplier_company_id.name,
                    )
                )
