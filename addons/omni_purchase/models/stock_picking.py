# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import float_compare, plaintext2html


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _omni_over_receipts(self):
        """[(receipt, purchase line, quantity of this receipt)] where validating
        these receipts would bring the purchase line's received quantity above
        what was ordered, in companies that hold such receipts."""
        # per receipt and purchase line, then per purchase line over all the
        # receipts validated together (a backorder and a second receipt of
        # one line in one call count together)
        incoming = defaultdict(float)
        for picking in self:
            if picking.picking_type_code != "incoming" or not picking.company_id.omni_purchase_hold_over_receipt:
                continue
            moves = picking.move_ids.filtered(
                lambda m: m.purchase_line_id
                and m.state not in ("done", "cancel")
                and m.location_dest_id.usage != "supplier"
            )
            if any(moves.mapped("picked")):
                moves = moves.filtered("picked")
            for move in moves:
                line = move.purchase_line_id
                incoming[picking, line] += move.product_uom._compute_quantity(move.quantity, line.product_uom)
        per_line = defaultdict(float)
        for (_picking, line), qty in incoming.items():
            per_line[line] += qty
        over = {
            line
            for line, qty in per_line.items()
            if float_compare(line.qty_received + qty, line.product_qty, precision_rounding=line.product_uom.rounding)
            > 0
        }
        return [(picking, line, qty) for (picking, line), qty in incoming.items() if line in over]

    def _omni_over_receipt_message(self, issues):
        return "\n".join(
            self.env._(
                "%(receipt)s, %(product)s, purchase order %(order)s: ordered %(ordered)s %(uom)s, received before "
                "%(received)s, this receipt %(qty)s.",
                receipt=picking.name,
                product=line.product_id.display_name,
                order=line.order_id.name,
                ordered=line.product_qty,
                received=line.qty_received,
                qty=qty,
                uom=line.product_uom.name,
            )
            for picking, line, qty in issues
        )

    def _action_done(self):
        issues = self._omni_over_receipts()
        if issues:
            lines = self._omni_over_receipt_message(issues)
            if not self.env.user.has_group("purchase.group_purchase_manager"):
                raise UserError(
                    self.env._(
                        "This receipt brings more than was ordered; in this company a purchase manager validates "
                        "it (or receive the ordered quantity only):\n%(lines)s",
                        lines=lines,
                    )
                )
            for picking in {issue[0] for issue in issues}:
                picking.message_post(
                    body=plaintext2html(
                        self.env._(
                            "Received above ordered, validated by %(user)s:\n%(lines)s",
                            user=self.env.user.name,
                            lines=picking._omni_over_receipt_message([i for i in issues if i[0] == picking]),
                        )
                    )
                )
        return super()._action_done()
