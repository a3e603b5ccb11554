# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import float_round

from odoo.addons.omni_base.tools import guard


class OmniIntercompanyReturnLine(models.Model):
    _name = "omni.intercompany.return.line"
    _description = "Return to Wholesale Line"
    _order = "request_id, id"

    request_id = fields.Many2one("omni.intercompany.return", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    product_id = fields.Many2one("product.product", required=True, domain="[('is_storable', '=', True)]")
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    quantity = fields.Float(digits="Product Unit of Measure", default=1.0, required=True)
    condition = fields.Selection(
        [("sellable", "Sellable"), ("defective", "Defective")],
        required=True,
        default="sellable",
        help="Where the goods came back to: the warehouse's sellable stock or its defective goods (次品).",
    )
    counterpart_line_id = fields.Many2one(
        "omni.intercompany.return.line",
        string="Retail's line",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="On wholesale's copy: the line of retail's request it copies.",
    )
    locked_qty = fields.Float(
        string="Locked",
        compute="_compute_locked_qty",
        digits="Product Unit of Measure",
        help="Quantity of this line now in the Returned to Wholesale (Locked) stock state.",
    )

    # the lines are what retail submitted and wholesale decides on: they change only in draft
    @api.model_create_multi
    def create(self, vals_list):
        if not guard.is_internal(self):
            self.env["omni.intercompany.return"].browse(
                {v.get("request_id") for v in vals_list} - {None, False}
            )._check_draft()
        return super().create(vals_list)

    def write(self, vals):
        if not guard.is_internal(self):
            self.request_id._check_draft()
            if vals.get("request_id"):
                self.env["omni.intercompany.return"].browse(vals["request_id"])._check_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if not guard.is_internal(self):
            self.request_id.exists().filtered(lambda r: r.state != "cancelled")._check_draft()

    @api.constrains("quantity", "product_id", "condition")
    def _check_request_quantities(self):
        # a line edited on its own is checked like the request's lines
        self.request_id._check_lines()

    @api.depends("request_id.state")
    def _compute_locked_qty(self):
        """Done moves of the line into the locked stock state, less those out of it."""
        moves = (
            self.env["stock.move"].search([("omni_ic_return_line_id", "in", self.ids), ("state", "=", "done")])
            if self.ids
            else self.env["stock.move"]
        )
        locked = dict.fromkeys(self.ids, 0.0)
        for move in moves:
            if move.location_dest_id.omni_ic_return_locked:
                locked[move.omni_ic_return_line_id.id] += move.product_qty
            if move.location_id.omni_ic_return_locked:
                locked[move.omni_ic_return_line_id.id] -= move.product_qty
        for line in self:
            qty = locked.get(line._origin.id, 0.0)
            line.locked_qty = float_round(qty, precision_rounding=line.product_uom_id.rounding or 0.0001)

    def _source_location(self):
        """Where the line's goods came back to in retail's warehouse."""
        self.ensure_one()
        warehouse = self.request_id.rule_id.customer_warehouse_id
        if self.condition == "defective":
            return warehouse._omni_get_defective_location()
        return warehouse.lot_stock_id

    def _prepare_move_vals(self, source, destination):
        self.ensure_one()
        return {
            "name": self.request_id.name,
            "product_id": self.product_id.id,
            "product_uom": self.product_uom_id.id,
            "product_uom_qty": self.quantity,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "company_id": self.request_id.company_id.id,
            "omni_ic_return_line_id": self.id,
        }
