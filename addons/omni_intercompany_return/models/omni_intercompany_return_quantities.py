# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a return to wholesale may take: what came back from customers, less
what the other returns to wholesale took."""

from collections import defaultdict

from odoo import Command, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from .omni_intercompany_return import LIVE_STATES


class OmniIntercompanyReturn(models.Model):
    _inherit = "omni.intercompany.return"

    def _received_back(self):
        """{(product, condition): quantity} of the customer returns received
        into the rule's warehouse of this company (after-sales orders
        received; condition sellable or defective as received)."""
        self.ensure_one()
        # sudo: the received after-sales orders of this company are facts to
        # check against, whether or not the retail user may read them (read only)
        lines = (
            self.env["omni.aftersale.line"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("aftersale_id.state", "=", "received"),
                    ("aftersale_id.channel_id.warehouse_id", "=", self.rule_id.customer_warehouse_id.id),
                ]
            )
        )
        quantities = defaultdict(float)
        for line in lines:
            quantities[line.product_id, line.destination] += line.quantity
        return quantities

    def _taken_by_others(self):
        """{(product, condition): quantity} that this company's other
        submitted returns to wholesale took."""
        self.ensure_one()
        others = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("side", "=", "customer"),
                ("state", "in", LIVE_STATES),
                ("id", "!=", self._origin.id or 0),
            ]
        )
        quantities = defaultdict(float)
        for line in others.line_ids:
            quantities[line.product_id, line.condition] += line.quantity
        return quantities

    def _check_returnable(self):
        """A return to wholesale takes at most what came back from customers,
        per product, less what earlier returns to wholesale took."""
        self.ensure_one()
        received, taken, wanted = defaultdict(float), defaultdict(float), defaultdict(float)
        for (product, _condition), qty in self._received_back().items():
            received[product] += qty
        for (product, _condition), qty in self._taken_by_others().items():
            taken[product] += qty
        for line in self.line_ids:
            wanted[line.product_id] += line.quantity
        for product, qty in wanted.items():
            available = received[product] - taken[product]
            if float_compare(qty, available, precision_rounding=product.uom_id.rounding) > 0:
                raise ValidationError(
                    self.env._(
                        "%(name)s: %(qty)s %(product)s to return to wholesale, but only %(available)s came back "
                        "from customers and was not returned yet (%(received)s received back, %(taken)s in earlier "
                        "returns to wholesale).",
                        name=self.name,
                        qty=qty,
                        product=product.display_name,
                        available=max(available, 0.0),
                        received=received[product],
                        taken=taken[product],
                    )
                )

    def action_fill_from_returns(self):
        """Add what came back from customers and is not returned yet, per
        product and condition."""
        self._check_draft()
        for request in self:
            remaining = request._received_back()
            for key, qty in request._taken_by_others().items():
                remaining[key] -= qty
            for line in request.line_ids:
                remaining[line.product_id, line.condition] -= line.quantity
            commands = [
                Command.create({"product_id": product.id, "quantity": qty, "condition": condition})
                for (product, condition), qty in sorted(remaining.items(), key=lambda kv: (kv[0][0].id, kv[0][1]))
                if float_compare(qty, 0.0, precision_rounding=product.uom_id.rounding) > 0
            ]
            if not commands:
                raise UserError(
                    self.env._(
                        "%(name)s: no customer return received back is left to return to wholesale.",
                        name=request.name,
                    )
                )
            request.line_ids = commands
        return True
