# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from odoo.addons.omni_base.tools import guard

OPEN = ("done", "cancel")


class StockMove(models.Model):
    _inherit = "stock.move"

    omni_ic_return_line_id = fields.Many2one(
        "omni.intercompany.return.line",
        string="Return to wholesale line",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The line of the return to wholesale this move locks, unlocks or returns.",
    )

    def _prepare_merge_moves_distinct_fields(self):
        # a move stays one line's: two lines of a product (sellable and
        # defective) are counted, locked and shipped each on its own
        return super()._prepare_merge_moves_distinct_fields() + ["omni_ic_return_line_id"]

    def _prepare_move_split_vals(self, qty):
        # the rest of a move (a backorder) is still the line's
        vals = super()._prepare_move_split_vals(qty)
        if self.omni_ic_return_line_id:
            vals["omni_ic_return_line_id"] = self.omni_ic_return_line_id.id
        return vals

    def _create_backorder(self):
        ours = self.filtered("omni_ic_return_line_id")
        backorders = super(StockMove, self - ours)._create_backorder()
        if ours:
            # core creates the rest of these moves from their own values
            # (copy_data) and their line (_prepare_move_split_vals): the
            # read-only link is written for exactly these split moves
            backorders |= super(StockMove, guard.internal(ours))._create_backorder().with_env(self.env)
        return backorders

    def _omni_ic_return_deliveries(self):
        """The open moves of retail's return deliveries to wholesale."""
        return self.filtered(
            lambda m: m.state not in OPEN
            and m.omni_ic_return_line_id
            and m.picking_code == "outgoing"
            and m.omni_ic_return_line_id.request_id.side == "customer"
        )

    def _omni_ic_check_return_delivery_rest(self, shipped=False):
        """The goods of an accepted return to wholesale are locked until they
        leave: the rest of a return delivery is never dropped (cancelled, or
        validated without backorder), else they would stay locked for ever
        while wholesale credits them. With ``shipped``, the picked quantity
        leaves and only the rest is refused."""
        for move in self._omni_ic_return_deliveries():
            left = move.product_uom_qty - (move.quantity if shipped and move.picked else 0.0)
            if float_compare(left, 0.0, precision_rounding=move.product_uom.rounding) > 0:
                raise UserError(
                    self.env._(
                        "Return delivery %(delivery)s: %(qty)s %(product)s of return to wholesale %(request)s are "
                        "still to ship to wholesale, which accepted and credits them: they cannot be cancelled "
                        "(validate with a backorder for the rest).",
                        delivery=move.picking_id.name or move.reference,
                        qty=left,
                        product=move.product_id.display_name,
                        request=move.omni_ic_return_line_id.request_id.name,
                    )
                )

    def _action_cancel(self):
        self._omni_ic_check_return_delivery_rest()
        return super()._action_cancel()

    def _action_done(self, cancel_backorder=False):
        if cancel_backorder:
            # validated without backorder: what is not shipped would be dropped
            self._omni_ic_check_return_delivery_rest(shipped=True)
        self._omni_ic_check_locked_source()
        self._omni_ic_check_return_receipt_qty()
        return super()._action_done(cancel_backorder=cancel_backorder)

    def _omni_ic_check_return_receipt_qty(self):
        """Wholesale receives back at most what retail's return deliveries of
        the line shipped (done)."""
        receipts = self.filtered(
            lambda m: m.state not in OPEN
            and m.picked
            and m.omni_ic_return_line_id.counterpart_line_id
            and m.picking_code == "incoming"
        )
        for line, moves in receipts.grouped("omni_ic_return_line_id").items():
            # sudo: retail's return deliveries of this inter-company line, and
            # wholesale's receipts of it, summed only
            Move = self.env["stock.move"].sudo()
            done = [("state", "=", "done")]
            shipped = sum(
                Move.search(
                    [
                        *done,
                        ("omni_ic_return_line_id", "=", line.counterpart_line_id.id),
                        ("picking_code", "=", "outgoing"),
                    ]
                ).mapped("product_qty")
            )
            received = sum(
                Move.search(
                    [*done, ("omni_ic_return_line_id", "=", line.id), ("picking_code", "=", "incoming")]
                ).mapped("product_qty")
            )
            received += sum(m.product_uom._compute_quantity(m.quantity, m.product_id.uom_id) for m in moves)
            if float_compare(received, shipped, precision_rounding=line.product_id.uom_id.rounding) > 0:
                raise UserError(
                    self.env._(
                        "Return receipt %(receipt)s: %(received)s %(product)s received back for return to wholesale "
                        "%(request)s, but the other company shipped only %(shipped)s.",
                        receipt=moves.picking_id[:1].name,
                        received=received,
                        product=line.product_id.display_name,
                        request=line.request_id.name,
                        shipped=shipped,
                    )
                )

    def _omni_ic_check_locked_source(self):
        """Goods locked for wholesale leave the Returned to Wholesale
        (Locked) location only by their return's own moves (unlocked back,
        or shipped to wholesale), never by another transfer, a scrap or an
        inventory adjustment."""
        for move in self.filtered(lambda m: m.state not in OPEN and not m.omni_ic_return_line_id):
            lines = move.move_line_ids.filtered(lambda ml: ml.location_id.omni_ic_return_locked and ml.quantity)
            if move.location_id.omni_ic_return_locked or lines:
                location = lines.location_id[:1] or move.location_id
                # sudo: the returns whose goods are locked there, named only
                requests = (
                    self.env["omni.intercompany.return.line"]
                    .sudo()
                    .search(
                        [
                            ("product_id", "=", move.product_id.id),
                            ("request_id.side", "=", "customer"),
                            ("request_id.state", "in", ("submitted", "accepted")),
                            ("request_id.rule_id.customer_warehouse_id", "=", location.warehouse_id.id),
                        ]
                    )
                    .request_id
                )
                raise UserError(
                    self.env._(
                        "%(location)s holds goods returned to wholesale (%(requests)s): %(product)s leaves it only "
                        "by its return's own transfers, not by %(move)s.",
                        location=location.display_name,
                        requests=", ".join(requests.mapped("name")) or "-",
                        product=move.product_id.display_name,
                        move=move.picking_id.name or move.reference or move.name,
                    )
                )
