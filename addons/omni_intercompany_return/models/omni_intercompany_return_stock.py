# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The transfers of a return to wholesale: retail's lock and unlock of the
quantities, its return delivery, wholesale's return receipt."""

from collections import defaultdict

from odoo import Command, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare

from odoo.addons.omni_base.tools import guard


class OmniIntercompanyReturn(models.Model):
    _inherit = "omni.intercompany.return"

    def _lock_goods(self):
        """The internal transfer, done at once, of every line from where it
        came back (sellable stock or defective goods) into the warehouse's
        Returned to Wholesale (Locked) location."""
        self.ensure_one()
        warehouse = self.rule_id.customer_warehouse_id
        locked = warehouse._omni_get_return_locked_location()
        self._check_sellable(warehouse)
        moves = [
            (line, line._source_location(), locked)
            for line in self.line_ids  # fmt: skip
        ]
        picking = self._create_internal_transfer(warehouse, moves)
        for move in picking.move_ids:
            if float_compare(move.quantity, move.product_uom_qty, precision_rounding=move.product_uom.rounding) < 0:
                raise UserError(
                    self.env._(
                        "%(name)s: %(qty)s %(product)s to lock, but only %(available)s is available in %(location)s.",
                        name=self.name,
                        qty=move.product_uom_qty,
                        product=move.product_id.display_name,
                        available=move.quantity,
                        location=move.location_id.display_name,
                    )
                )
        self._validate(picking)
        return picking

    def _check_sellable(self, warehouse):
        """Sellable lines take the warehouse's sellable stock: free (on hand
        less reserved) less what platform orders allocated and is not
        reserved yet (omni_stock's sellable), never goods sold on a channel.
        The product's quants are locked first (as a reservation locks them),
        so the figures read are not taken meanwhile."""
        self.ensure_one()
        wanted = defaultdict(float)
        for line in self.line_ids.filtered(lambda r: r.condition == "sellable"):
            wanted[line.product_id] += line.product_uom_id._compute_quantity(line.quantity, line.product_id.uom_id)
        if not wanted:
            return
        self.env.flush_all()
        product_ids = [product.id for product in wanted]
        path = warehouse.lot_stock_id.parent_path + "%"
        cr = self.env.cr
        cr.execute(
            SQL(
                """SELECT q.id FROM stock_quant q JOIN stock_location l ON l.id = q.location_id
                    WHERE q.product_id = ANY(%s) AND l.parent_path LIKE %s ORDER BY q.id FOR UPDATE OF q""",
                product_ids,
                path,
            )
        )
        cr.execute(
            SQL(
                """SELECT q.product_id, SUM(q.quantity - q.reserved_quantity)
                     FROM stock_quant q JOIN stock_location l ON l.id = q.location_id
                    WHERE q.product_id = ANY(%s) AND l.parent_path LIKE %s
                    GROUP BY q.product_id""",
                product_ids,
                path,
            )
        )
        free = dict(cr.fetchall())
        cr.execute(
            SQL(
                """SELECT product_id, SUM(quantity) FROM omni_order_allocation
                    WHERE product_id = ANY(%s) AND warehouse_id = %s GROUP BY product_id""",
                product_ids,
                warehouse.id,
            )
        )
        allocated = dict(cr.fetchall())
        for product, qty in wanted.items():
            product_free = free.get(product.id) or 0.0
            product_allocated = float(allocated.get(product.id) or 0.0)
            sellable = product_free - product_allocated
            if float_compare(qty, sellable, precision_rounding=product.uom_id.rounding) > 0:
                raise UserError(
                    self.env._(
                        "%(name)s: %(qty)s %(product)s to lock from the sellable stock of %(warehouse)s, but only "
                        "%(sellable)s is sellable there (%(free)s free, %(allocated)s allocated to platform orders).",
                        name=self.name,
                        qty=qty,
                        product=product.display_name,
                        warehouse=warehouse.display_name,
                        sellable=max(sellable, 0.0),
                        free=product_free,
                        allocated=product_allocated,
                    )
                )

    def _create_internal_transfer(self, warehouse, moves):
        """A reserved internal transfer of ``moves`` [(line, from, to)]."""
        Picking = guard.internal(self.env["stock.picking"].with_company(self.company_id))
        picking = Picking.create(
            {
                "picking_type_id": warehouse.int_type_id.id,
                "location_id": moves[0][1].id,
                "location_dest_id": moves[0][2].id,
                "origin": self.name,
                "omni_ic_return_id": self.id,
                "move_ids": [
                    Command.create(line._prepare_move_vals(source, destination))
                    for line, source, destination in moves  # fmt: skip
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    def _validate(self, picking):
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True, picking_ids_not_to_backorder=picking.ids).button_validate()
        if picking.state != "done":
            raise UserError(
                self.env._(
                    "%(name)s: the transfer %(picking)s could not be done.", name=self.name, picking=picking.name
                )
            )

    def _unlock(self, state, reason=None):
        """Retail's side: every line back from the locked stock state to
        where it came from, then ``state``."""
        self.ensure_one()
        warehouse = self.rule_id.customer_warehouse_id
        locked = warehouse._omni_get_return_locked_location()
        picking = self._create_internal_transfer(
            warehouse, [(line, locked, line._source_location()) for line in self.line_ids]
        )
        self._validate(picking)
        # every locked unit goes back: a move done short would leave the rest locked for ever
        for move in picking.move_ids:
            if float_compare(move.quantity, move.product_uom_qty, precision_rounding=move.product_uom.rounding):
                raise UserError(
                    self.env._(
                        "%(name)s: %(qty)s %(product)s to unlock from %(location)s, but %(done)s could be moved.",
                        name=self.name,
                        qty=move.product_uom_qty,
                        product=move.product_id.display_name,
                        location=locked.display_name,
                        done=move.quantity,
                    )
                )
        vals = {"state": state, "unlock_picking_id": picking.id}
        if reason:
            vals["refusal_reason"] = reason
        guard.internal(self).write(vals)
        if state == "refused":
            body = self.env._(
                "Refused by wholesale: %(reason)s. The goods are unlocked by %(picking)s.",
                reason=reason,
                picking=picking.name,
            )
        else:
            body = self.env._("Cancelled; the goods are unlocked by %(picking)s.", picking=picking.name)
        self.message_post(body=body)

    def _create_return_receipt(self):
        """Wholesale's receipt of the returned goods into its shipping
        warehouse: sellable lines into its stock, defective ones into its
        defective goods (次品), never sellable there; made ready when
        retail's return delivery is done."""
        self.ensure_one()
        warehouse = self.rule_id.supplier_warehouse_id
        customers = self.env.ref("stock.stock_location_customers")
        destination = {
            "sellable": warehouse.lot_stock_id,
            "defective": warehouse._omni_get_defective_location(),
        }
        Picking = guard.internal(self.env["stock.picking"].with_company(self.company_id))
        picking = Picking.create(
            {
                "picking_type_id": warehouse.in_type_id.id,
                "partner_id": self.partner_id.id,
                "location_id": customers.id,
                "location_dest_id": warehouse.lot_stock_id.id,
                "origin": self.name,
                "omni_ic_return_id": self.id,
                "move_ids": [
                    Command.create(line._prepare_move_vals(customers, destination[line.condition]))
                    for line in self.line_ids  # fmt: skip
                ],
            }
        )
        picking.action_confirm()
        return picking

    def _create_return_delivery(self):
        """Retail's delivery of the locked goods back to wholesale."""
        self.ensure_one()
        warehouse = self.rule_id.customer_warehouse_id
        locked = warehouse._omni_get_return_locked_location()
        suppliers = self.env.ref("stock.stock_location_suppliers")
        Picking = guard.internal(self.env["stock.picking"].with_company(self.company_id))
        picking = Picking.create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": self.rule_id.supplier_partner_id.id,
                "location_id": locked.id,
                "location_dest_id": suppliers.id,
                "origin": self.name,
                "omni_ic_return_id": self.id,
                "move_ids": [
                    Command.create(line._prepare_move_vals(locked, suppliers))
                    for line in self.line_ids  # fmt: skip
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return picking
