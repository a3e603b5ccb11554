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
            vals_list += receipt_move._omni_ic_mirror_line_vals(move)
        if vals_list:
            self.env["stock.move.line"].sudo().create(vals_list)
        # shipped without backorder: what the receipt expects beyond it never comes
        self.move_ids.sale_line_id.omni_ic_purchase_line_id.sudo()._omni_ic_sync_receipts()
