# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from odoo.addons.omni_base.tools import guard


class StockPicking(models.Model):
    _inherit = "stock.picking"

    omni_ic_return_id = fields.Many2one(
        "omni.intercompany.return",
        string="Return to wholesale",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The return to wholesale (申请退货) this transfer locks, unlocks or returns.",
    )

    def _create_backorder(self, backorder_moves=None):
        """A backorder of a return transfer belongs to the same return to
        wholesale, and its moves to the same lines (core makes them by
        copy_data, which leaves our read-only links out)."""
        backorders = super()._create_backorder(backorder_moves=backorder_moves)
        for backorder in backorders.filtered(lambda p: p.backorder_id.omni_ic_return_id):
            origin = backorder.backorder_id
            guard.internal(backorder).omni_ic_return_id = origin.omni_ic_return_id
            line_of = {move.product_id: move.omni_ic_return_line_id for move in origin.move_ids}
            for move in backorder.move_ids.filtered(lambda m: not m.omni_ic_return_line_id):
                guard.internal(move).omni_ic_return_line_id = line_of.get(move.product_id)
        return backorders

    def _action_done(self):
        res = super()._action_done()
        returns = self.filtered(lambda p: p.state == "done" and p.omni_ic_return_id)
        deliveries = returns.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.omni_ic_return_id.side == "customer"
        )
        if deliveries:
            deliveries._omni_ic_return_mirror_on_receipts()
        if returns:
            returns.omni_ic_return_id._on_return_picking_done()
        return res

    def _omni_ic_return_mirror_on_receipts(self):
        """Make wholesale's return receipt ready with what retail's return
        delivery shipped: same quantities, same lot/serial names."""
        vals_list = []
        for move in self.move_ids.filtered(lambda m: m.state == "done" and m.omni_ic_return_line_id):
            # sudo: wholesale's receipt of this inter-company return; the retail
            # stock user has no rights in wholesale and touches its moves only
            receipt_moves = (
                self.env["stock.move"]
                .sudo()
                .search(
                    [
                        ("omni_ic_return_line_id.counterpart_line_id", "=", move.omni_ic_return_line_id.id),
                        ("state", "not in", ("done", "cancel")),
                        ("picking_code", "=", "incoming"),
                    ],
                    limit=1,
                )
            )
            if not receipt_moves:
                continue
            receipt_move = receipt_moves[0]
            receipt_move.move_line_ids.filtered(lambda ml: not ml.picked).unlink()
            vals_list += receipt_move._omni_ic_mirror_line_vals(move)
        if vals_list:
            self.env["stock.move.line"].sudo().create(vals_list)
