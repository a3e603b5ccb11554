# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from odoo.addons.omni_base.tools import guard

# state, return and reception change only by the actions (guard.internal): they are
# read-only, so the one rule of omni_channel (tools/guard.py) refuses them to everybody else
# what the refund and the return are made of: frozen once submitted
CONTENT_FIELDS = ("omni_order_id", "refund_amount", "line_ids")
# after-sales orders that count against the shipped quantities and the paid amount
LIVE_STATES = ("to_review", "approved", "received")


class OmniAftersale(models.Model):
    """After-sales order (售后单) against a shipped platform order: reviewed,
    approved or refused; an approved return becomes a return receipt whose
    lines go back into sellable stock or into the warehouse's defective
    goods location."""

    _name = "omni.aftersale"
    _description = "After-sales Order"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    omni_order_id = fields.Many2one(
        "omni.order", string="Platform Order", required=True, index=True, check_company=True,
        domain="[('state', 'in', ('confirmed', 'shipped'))]",
    )  # fmt: skip
    channel_id = fields.Many2one(related="omni_order_id.channel_id", store=True, index=True)
    company_id = fields.Many2one(related="omni_order_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    sale_order_id = fields.Many2one(related="omni_order_id.sale_order_id")
    source = fields.Selection([("platform", "Platform"), ("manual", "Manual")], default="manual", required=True)
    platform_refund_no = fields.Char(string="Platform Refund No.", index=True)
    reason = fields.Text()
    refund_amount = fields.Monetary(tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_review", "To Review"),
            ("approved", "Approved"),
            ("refused", "Refused"),
            ("received", "Received"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        readonly=True,
        index=True,
    )
    line_ids = fields.One2many("omni.aftersale.line", "aftersale_id", copy=True)
    return_picking_id = fields.Many2one("stock.picking", readonly=True, copy=False, check_company=True)
    received_at = fields.Datetime(readonly=True, copy=False)

    _sql_constraints = [
        (
            "platform_refund_uniq",
            "unique(channel_id, platform_refund_no)",
            "A platform refund is recorded once per channel.",
        )
    ]

    @api.model_create_multi
    def create(self, vals_list):
        self._omni_prepare_named_create(vals_list, "omni.aftersale")
        # the caller's values were checked above; the name is the sequence's
        return super(OmniAftersale, guard.internal(self)).create(vals_list).with_env(self.env)

    def write(self, vals):
        if guard.guarded_in(vals, CONTENT_FIELDS) and not guard.is_internal(self):
            self._check_draft()
        return super().write(vals)

    def _check_draft(self):
        """Refund, lines and order change only in draft: what a reviewer
        approved is what is received and posted."""
        submitted = self.filtered(lambda a: a.state != "draft")
        if submitted:
            raise UserError(
                self.env._(
                    "%(name)s was submitted: its order, refund amount and lines can no longer change.",
                    name=submitted[0].name,
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        for aftersale in self:
            if aftersale.state not in ("draft", "cancelled", "refused"):
                raise UserError(
                    self.env._("%(name)s is under way or received: cancel it instead.", name=aftersale.name)
                )

    def _shipped_deliveries(self):
        self.ensure_one()
        return self.sale_order_id.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state == "done"
        )

    def _returnable_quantities(self):
        """{product: shipped - already returned or being returned}."""
        self.ensure_one()
        quantities = defaultdict(float)
        for move in self._shipped_deliveries().move_ids.filtered(lambda m: m.state == "done"):
            quantities[move.product_id] += move.product_qty
        others = self.search(
            [("omni_order_id", "=", self.omni_order_id.id), ("id", "!=", self.id),
             ("state", "in", LIVE_STATES)]
        )  # fmt: skip
        for line in others.line_ids:
            quantities[line.product_id] -= line.quantity
        return quantities

    def _paid_per_unit(self):
        """{product: what the buyer paid per unit} on the sale order (its
        total per product over its quantity: the sale order's lines add up to
        the paid amount to the cent)."""
        self.ensure_one()
        amounts, quantities = defaultdict(float), defaultdict(float)
        for line in self.sale_order_id.order_line.filtered(lambda ln: not ln.display_type):
            amounts[line.product_id] += line.price_total
            quantities[line.product_id] += line.product_uom_qty
        return {product: amounts[product] / qty for product, qty in quantities.items() if qty}

    def _refund_cap(self):
        """(cap, paid, refunded before): a refund is at most what was paid
        for the returned lines (when it returns goods) and at most what the
        buyer paid for the sale order less what the other after-sales orders
        of it refund."""
        self.ensure_one()
        sale_order = self.sale_order_id
        paid = sum(sale_order.omni_order_ids.mapped("paid_amount")) if sale_order else self.omni_order_id.paid_amount
        others = self.search(
            [("sale_order_id", "=", sale_order.id) if sale_order else ("omni_order_id", "=", self.omni_order_id.id),
             ("id", "!=", self.id), ("state", "in", LIVE_STATES)]
        )  # fmt: skip
        refunded = sum(others.mapped("refund_amount"))
        cap = paid - refunded
        if self.line_ids:
            per_unit = self._paid_per_unit()
            cap = min(cap, sum(line.quantity * per_unit.get(line.product_id, 0.0) for line in self.line_ids))
        return self.currency_id.round(cap), paid, refunded

    @api.constrains("refund_amount", "line_ids", "omni_order_id", "state")
    def _check_refund(self):
        # sudo: the deliveries and payments are facts to check against, whoever may read the sale order
        for aftersale in self.sudo().filtered(lambda a: a.state not in ("cancelled", "refused")):
            if not aftersale._shipped_deliveries():
                raise ValidationError(
                    self.env._(
                        "%(order)s has nothing shipped: an after-sales order is made for shipped goods only.",
                        order=aftersale.omni_order_id.display_name,
                    )
                )
            if aftersale.currency_id.compare_amounts(aftersale.refund_amount, 0.0) < 0:
                raise ValidationError(self.env._("A refund amount cannot be negative."))
            cap, paid, refunded = aftersale._refund_cap()
            if aftersale.currency_id.compare_amounts(aftersale.refund_amount, cap) > 0:
                raise ValidationError(
                    self.env._(
                        "%(name)s: a refund of %(refund)s is more than what was paid for it: at most %(cap)s "
                        "(paid %(paid)s for %(order)s, already refunded %(refunded)s).",
                        name=aftersale.name,
                        refund=aftersale.refund_amount,
                        cap=cap,
                        paid=paid,
                        order=aftersale.omni_order_id.display_name,
                        refunded=refunded,
                    )
                )

    @api.constrains("line_ids")
    def _check_quantities(self):
        for aftersale in self:
            returnable = aftersale._returnable_quantities()
            for line in aftersale.line_ids:
                if line.quantity <= 0:
                    raise ValidationError(self.env._("Return quantities must be positive."))
                if float_compare(line.quantity, returnable.get(line.product_id, 0.0), precision_digits=4) > 0:
                    raise ValidationError(
                        self.env._(
                            "%(product)s: %(qty)s to return but only %(max)s shipped and not yet returned "
                            "on %(order)s.",
                            product=line.product_id.display_name,
                            qty=line.quantity,
                            max=returnable.get(line.product_id, 0.0),
                            order=aftersale.omni_order_id.display_name,
                        )
                    )

    def action_submit(self):
        """Drafts are not counted against the shipped quantities: each one is
        checked again, against what the others submitted, when submitted."""
        self._check_state(("draft",), self.env._("submitted"))
        for aftersale in self:
            if not aftersale.line_ids and not aftersale.refund_amount:
                raise UserError(self.env._("%(name)s has nothing to return or refund.", name=aftersale.name))
            aftersale._check_quantities()
            guard.internal(aftersale).state = "to_review"
        return True

    def action_refuse(self):
        self._check_reviewer()
        self._check_state(("to_review",), self.env._("refused"))
        guard.internal(self).write({"state": "refused"})
        return True

    def action_approve(self):
        """Approve; returns with lines get their return receipt."""
        self._check_reviewer()
        self._check_state(("to_review",), self.env._("approved"))
        for aftersale in self:
            aftersale._check_quantities()
            values = {"state": "approved"}
            if aftersale.line_ids:
                values["return_picking_id"] = aftersale._create_return_picking().id
            guard.internal(aftersale).write(values)
        return True

    def _check_state(self, states, action):
        """Every action refuses, naming the order and its state, an order it
        does not apply to: a button clicked on a stale screen or an RPC call
        is told, never answered True for nothing done."""
        wrong = self.filtered(lambda a: a.state not in states)
        if wrong:
            raise UserError(
                self.env._(
                    "%(name)s cannot be %(action)s: it is %(state)s.",
                    name=wrong[0].name,
                    action=action,
                    state=dict(self._fields["state"]._description_selection(self.env))[wrong[0].state],
                )
            )

    def _check_reviewer(self):
        if not self.env.user.has_group("omni_channel.group_omni_channel_manager"):
            raise UserError(self.env._("Only a Channel Manager reviews after-sales orders."))

    def _create_return_picking(self):
        """One return receipt, from the first shipped delivery; an order
        shipped in several deliveries (a backorder) returns the moves of the
        later ones on the same receipt."""
        self.ensure_one()
        deliveries = self._shipped_deliveries().sorted("id")
        if not deliveries:
            raise UserError(
                self.env._("%(order)s has no shipped delivery to return.", order=self.omni_order_id.display_name)
            )
        delivery = deliveries[0]
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=delivery.id, active_model="stock.picking", active_ids=delivery.ids)
            .create({})
        )
        later_moves = (deliveries - delivery).move_ids.filtered(lambda m: m.state == "done" and not m.scrapped)
        wizard.product_return_moves = [
            Command.create(wizard._prepare_stock_return_picking_line_vals_from_move(move)) for move in later_moves
        ]
        wanted = defaultdict(float)
        for line in self.line_ids:
            wanted[line.product_id] += line.quantity
        for return_line in wizard.product_return_moves:
            take = min(wanted[return_line.product_id], return_line.move_id.product_qty)
            return_line.quantity = take
            wanted[return_line.product_id] -= take
        picking = wizard._create_return()
        picking.message_post(body=self.env._("Return of after-sales order %(name)s.", name=self.name))
        return picking

    def action_receive(self):
        """Goods are back: each line into the channel warehouse's stock
        (resellable) or into its defective goods location."""
        self._check_state(("approved",), self.env._("received"))
        for aftersale in self:
            if aftersale.return_picking_id:
                aftersale._receive_return_picking()
            guard.internal(aftersale).write({"state": "received", "received_at": fields.Datetime.now()})
        return True

    def _receive_return_picking(self):
        self.ensure_one()
        picking = self.return_picking_id
        warehouse = self.channel_id.warehouse_id or picking.picking_type_id.warehouse_id
        sellable = warehouse.lot_stock_id or picking.location_dest_id
        defective = warehouse._omni_get_defective_location()
        defective_qty = defaultdict(float)
        for line in self.line_ids.filtered(lambda ln: ln.destination == "defective"):
            defective_qty[line.product_id] += line.quantity
        picking.do_unreserve()
        moves = picking.move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
        for move in moves:
            move.location_dest_id = sellable
            to_defective = min(defective_qty[move.product_id], move.product_uom_qty)
            defective_qty[move.product_id] -= to_defective
            if not to_defective:
                continue
            if float_compare(to_defective, move.product_uom_qty, precision_rounding=move.product_uom.rounding) >= 0:
                move.location_dest_id = defective
                continue
            split = self.env["stock.move"].create(move._split(to_defective))
            split._action_confirm(merge=False)
            split.location_dest_id = defective
        for move in picking.move_ids.filtered(lambda m: m.state not in ("done", "cancel")):
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.with_context(skip_backorder=True, picking_ids_not_to_backorder=picking.ids).button_validate()

    def action_cancel(self):
        """Until the goods are received; a refused order stays refused (the
        reviewer's decision is kept) and a cancelled one is not cancelled
        twice."""
        received = self.filtered(lambda a: a.state == "received")
        if received:
            raise UserError(self.env._("%(name)s was received: it cannot be cancelled.", name=received[0].name))
        self._check_state(("draft", "to_review", "approved"), self.env._("cancelled"))
        for aftersale in self:
            if aftersale.return_picking_id.state not in (False, "done", "cancel"):
                aftersale.return_picking_id.action_cancel()
        guard.internal(self).write({"state": "cancelled"})
        return True


class OmniAftersaleLine(models.Model):
    _name = "omni.aftersale.line"
    _description = "After-sales Order Line"

    # the lines are what the reviewer approved: they change only in draft
    @api.model_create_multi
    def create(self, vals_list):
        if not guard.is_internal(self):
            self.env["omni.aftersale"].browse({v.get("aftersale_id") for v in vals_list} - {None, False})._check_draft()
        return super().create(vals_list)

    def write(self, vals):
        if not guard.is_internal(self):
            self.aftersale_id._check_draft()
            if vals.get("aftersale_id"):
                self.env["omni.aftersale"].browse(vals["aftersale_id"])._check_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if not guard.is_internal(self):
            self.aftersale_id.exists().filtered(lambda a: a.state not in ("cancelled", "refused"))._check_draft()

    aftersale_id = fields.Many2one("omni.aftersale", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="aftersale_id.company_id", store=True)
    product_id = fields.Many2one("product.product", required=True)
    quantity = fields.Float(digits="Product Unit of Measure", default=1.0)
    destination = fields.Selection(
        [("sellable", "Back to Sellable Stock"), ("defective", "Defective Goods")],
        required=True,
        default="sellable",
    )
    reason = fields.Char()
