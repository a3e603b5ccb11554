# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        res = super()._action_done()
        deliveries = self.filtered(
            lambda p: p.state == "done" and p.picking_type_code == "outgoing" and p.sale_id.omni_ic_purchase_order_id
        )
        if deliveries:
            deliveries._omni_ic_mirror_on_receipts()
        return res

    def _omni_ic_mirror_on_receipts(self):
        """Make the goods request's receipt ready with what these deliveries
        shipped: same quantities, same lot/serial names; what was not shipped
        stays to receive (a backorder when the receipt is validated)."""
        vals_list = []
        # sudo: the supplier's stock user has no rights in the customer company;
        # used on the receipts of the mirrored goods request only
        for move in self.move_ids.filtered(lambda m: m.state == "done" and m.sale_line_id.omni_ic_purchase_line_id):
            po_line = move.sale_line_id.omni_ic_purchase_line_id.sudo()
            receipt_move = po_line.move_ids.filtered(
                lambda m: m.state not in ("done", "cancel") and m.picking_code == "incoming"
            )[:1]
            if not receipt_move:
                continue
            # what the receipt had reserved by default goes: it now receives what was shipped
            receipt_move.move_line_ids.filtered(lambda ml: not ml.picked).unlink()
            for ml in move.move_line_ids.filtered(lambda ml: ml.quantity):
                tracked = receipt_move.has_tracking != "none"
                # a shared product's lot has no company (Odoo 18): both companies
                # use the same lot; a company's own lot is carried by its name
                shared_lot = ml.lot_id if tracked and not ml.lot_id.company_id else ml.lot_id.browse()
                vals_list.append(
                    {
                        "move_id": receipt_move.id,
                        "picking_id": receipt_move.picking_id.id,
                        "company_id": receipt_move.company_id.id,
                        "product_id": receipt_move.product_id.id,
                        "product_uom_id": receipt_move.product_uom.id,
                        "quantity": ml.product_uom_id._compute_quantity(ml.quantity, receipt_move.product_uom),
                        "location_id": receipt_move.location_id.id,
                        "location_dest_id": receipt_move.location_dest_id.id,
                        "lot_id": shared_lot.id,
                        "lot_name": ml.lot_id.name if tracked and not shared_lot else False,
                        "picked": True,
                    }
                )
        if vals_list:
            self.env["stock.move.line"].sudo().create(vals_list)
        # shipped without backorder: what the receipt expects beyond it never comes
        self.move_ids.sale_line_id.omni_ic_purchase_line_id.sudo()._omni_ic_sync_receipts()
