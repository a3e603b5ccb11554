# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager

from odoo import fields, models

from .decimal_precision import precisions_read_once
from .speed_switch import speed_ups_on


class StockPicking(models.Model):
    _inherit = "stock.picking"

    # Odoo's field (the moves' group, stored) has no index, and a delivery is
    # looked up by its group at every confirmation: by Odoo's
    # ``_assign_picking`` per group, and here once per wave
    # (``stock.move._omni_create_pickings``). Without it that look-up reads
    # every delivery ever made: 51 ms per 200-order wave with 143,000
    # deliveries (a parallel sequential scan), growing with the history.
    group_id = fields.Many2one(index="btree_not_null")

    def _omni_assign_in_batch(self):
        """``action_assign`` of many deliveries (a confirmation wave), with
        the quants of all their products read once (see stock_quant.py).
        Shadows, for this call only, how ``stock.picking.action_assign`` ->
        ``stock.move._action_assign`` of Odoo 18.0
        (addons/stock/models/stock_picking.py, stock_move.py) reads quants,
        precisions and recomputes sale lines. Odoo's ``preserve_state``
        leaves the moves' states to the end of the reservation, where Odoo
        writes them for all moves at once, instead of after each move line:
        the states come out the same."""
        moves = self.move_ids.filtered(lambda m: m.state not in ("draft", "cancel", "done"))
        if not moves or not speed_ups_on(self.env):
            return super()._omni_assign_in_batch()
        with self._omni_fast_reservation(moves) as env:
            return super(StockPicking, self.with_env(env).with_context(preserve_state=True))._omni_assign_in_batch()

    @contextmanager
    def _omni_fast_reservation(self, moves):
        """Within this block, reserving ``moves`` reads their quants and the
        precisions once, and leaves alone the sale figures reserving cannot
        change: yields the environment to reserve them in."""
        # what Odoo reads move by move while reserving (stock_account's analytic
        # entry after each move's move lines), read here for all moves at once
        moves.sale_line_id.mapped("analytic_distribution")
        if "analytic_account_line_ids" in moves._fields:
            moves.mapped("analytic_account_line_ids")
        with (
            precisions_read_once(self.env),
            self.env.protecting(self._omni_unchanged_by_reservation(moves.sale_line_id)),
            self.env["stock.quant"]._omni_quants_read_once(moves) as env,
        ):
            yield env

    def _omni_unchanged_by_reservation(self, sale_lines):
        """The stored fields of sale lines and orders that reserving cannot
        change: the delivered quantity counts done moves only, and these
        depend on the moves through it alone. Odoo would recompute them
        (taxes included) for every reserved move: a sixth of a wave's
        reservation, to write the same values."""
        line, order = sale_lines._fields, sale_lines.order_id._fields
        return [
            (
                [
                    line["qty_delivered"],
                    line["qty_to_invoice"],
                    line["invoice_status"],
                    line["untaxed_amount_to_invoice"],
                ],
                sale_lines,
            ),
            ([order["invoice_status"]], sale_lines.order_id),
        ]
