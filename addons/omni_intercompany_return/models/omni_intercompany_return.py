# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare

from odoo.addons.omni_base.tools import guard

# what retail fills in: frozen once submitted
CONTENT_FIELDS = ("company_id", "rule_id", "line_ids", "reason")
# the requests that hold quantities received back from customers
LIVE_STATES = ("submitted", "accepted", "done")


class OmniIntercompanyReturn(models.Model):
    """A return to wholesale (申请退货). Retail makes it from the customer
    returns it received (sellable or defective) or by hand; submitted, its
    quantities are moved into the warehouse's *Returned to Wholesale
    (Locked)* stock state, where no channel sells them, and wholesale gets
    its own copy of the request (``side`` supplier) to accept or refuse.
    Accepted: retail's return delivery, wholesale's return receipt and
    wholesale's credit note (retail's vendor credit note follows when it is
    posted); refused: the goods go back to where they came from."""

    _name = "omni.intercompany.return"
    _description = "Return to Wholesale"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    side = fields.Selection(
        [("customer", "Retail (returns)"), ("supplier", "Wholesale (takes back)")],
        required=True,
        default="customer",
        readonly=True,
        help="Retail's request, or wholesale's copy of it, which wholesale accepts or refuses.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    rule_id = fields.Many2one(
        "omni.intercompany.rule",
        string="Inter-company rule",
        required=True,
        default=lambda self: self._default_rule(),
        domain="[('customer_company_id', '=', company_id)]",
        help="The company pair: the wholesale company that takes the goods back.",
    )
    partner_id = fields.Many2one(
        "res.partner", compute="_compute_partner_id", string="Other company", help="The other company's partner."
    )
    warehouse_id = fields.Many2one("stock.warehouse", compute="_compute_partner_id")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Locked, Awaiting Wholesale"),
            ("accepted", "Accepted"),
            ("done", "Returned"),
            ("refused", "Refused"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    reason = fields.Text(help="Why the goods go back (retail's note, shown to wholesale).")
    refusal_reason = fields.Text(
        help="Wholesale's reason for refusing the return; required to refuse.", copy=False, tracking=True
    )
    line_ids = fields.One2many("omni.intercompany.return.line", "request_id", copy=True)
    counterpart_id = fields.Many2one("omni.intercompany.return", readonly=True, copy=False, index="btree_not_null")
    counterpart_ref = fields.Char(
        string="Other company's document", compute="_compute_counterpart_ref", help="The other side's request."
    )
    lock_picking_id = fields.Many2one(
        "stock.picking", string="Lock transfer", readonly=True, copy=False, check_company=True
    )
    unlock_picking_id = fields.Many2one(
        "stock.picking", string="Unlock transfer", readonly=True, copy=False, check_company=True
    )
    return_picking_id = fields.Many2one(
        "stock.picking",
        string="Return transfer",
        readonly=True,
        copy=False,
        check_company=True,
        help="Retail's return delivery to wholesale, or wholesale's return receipt.",
    )
    credit_note_id = fields.Many2one(
        "account.move",
        string="Credit note",
        readonly=True,
        copy=False,
        check_company=True,
        help="Wholesale's customer credit note, or retail's vendor credit note made from it when it is posted.",
    )
    quantity = fields.Float(compute="_compute_quantities", digits="Product Unit of Measure")
    locked_qty = fields.Float(
        string="Locked quantity",
        compute="_compute_quantities",
        digits="Product Unit of Measure",
        help="Quantity now in the Returned to Wholesale (Locked) stock state for this request: not sellable.",
    )

    @api.model
    def _default_rule(self):
        return self.env["omni.intercompany.rule"].search([("customer_company_id", "=", self.env.company.id)], limit=1)

    @api.depends("side", "rule_id")
    def _compute_partner_id(self):
        for request in self:
            rule = request.rule_id
            if request.side == "supplier":
                # sudo: wholesale users cannot read retail's company record; read for its partner only
                request.partner_id = rule.sudo().customer_company_id.partner_id.with_env(self.env)
                request.warehouse_id = rule.supplier_warehouse_id
            else:
                request.partner_id = rule.supplier_partner_id
                request.warehouse_id = rule.customer_warehouse_id

    @api.depends("counterpart_id")
    def _compute_counterpart_ref(self):
        # sudo: the counterpart belongs to the other company; only its number is shown
        for request in self:
            request.counterpart_ref = request.sudo().counterpart_id.name or False

    @api.depends("line_ids.quantity", "line_ids.locked_qty")
    def _compute_quantities(self):
        for request in self:
            request.quantity = sum(request.line_ids.mapped("quantity"))
            request.locked_qty = sum(request.line_ids.mapped("locked_qty"))

    # ------------------------------------------------------------------ ORM

    @api.model_create_multi
    def create(self, vals_list):
        self._omni_prepare_named_create(vals_list, "omni.intercompany.return")
        # the caller's values were checked above; the name is the sequence's
        return super(OmniIntercompanyReturn, guard.internal(self)).create(vals_list).with_env(self.env)

    def write(self, vals):
        if not guard.is_internal(self):
            if guard.guarded_in(vals, CONTENT_FIELDS):
                self._check_draft()
            if "refusal_reason" in vals:
                wrong = self.filtered(lambda r: r.side != "supplier" or r.state != "submitted")
                if wrong:
                    raise UserError(
                        self.env._(
                            "%(name)s: only wholesale gives a refusal reason, while the return awaits its decision.",
                            name=wrong[0].name,
                        )
                    )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        for request in self:
            if request.state not in ("draft", "cancelled"):
                raise UserError(
                    self.env._("%(name)s was submitted: cancel it instead of deleting it.", name=request.name)
                )

    def _check_draft(self):
        submitted = self.filtered(lambda r: r.state != "draft" or r.side != "customer")
        if submitted:
            raise UserError(
                self.env._(
                    "%(name)s was submitted: its rule, reason and lines can no longer change.",
                    name=submitted[0].name,
                )
            )

    @api.constrains("company_id", "rule_id", "side")
    def _check_rule(self):
        for request in self:
            company = (
                request.rule_id.supplier_company_id
                if request.side == "supplier"
                else request.rule_id.customer_company_id
            )
            if company != request.company_id:
                raise ValidationError(
                    self.env._(
                        "%(name)s: the inter-company rule %(rule)s is not one of %(company)s's returns to wholesale.",
                        name=request.name,
                        rule=request.rule_id.display_name,
                        company=request.company_id.name,
                    )
                )

    @api.constrains("line_ids")
    def _check_lines(self):
        for request in self.filtered(lambda r: r.side == "customer" and r.state in ("draft", "submitted")):
            for line in request.line_ids:
                if float_compare(line.quantity, 0.0, precision_rounding=line.product_uom_id.rounding) <= 0:
                    raise ValidationError(
                        self.env._(
                            "%(name)s: the quantity of %(product)s must be positive.",
                            name=request.name,
                            product=line.product_id.display_name,
                        )
                    )
            request._check_returnable()

    # --------------------------------------------------------------- actions

    def _check_state(self, states, action):
        wrong = self.filtered(lambda r: r.state not in states)
        if wrong:
            raise UserError(
                self.env._(
                    "%(name)s cannot be %(action)s: it is %(state)s.",
                    name=wrong[0].name,
                    action=action,
                    state=dict(self._fields["state"]._description_selection(self.env))[wrong[0].state],
                )
            )

    def _check_side(self, side):
        wrong = self.filtered(lambda r: r.side != side)
        if wrong:
            if side == "supplier":
                raise UserError(
                    self.env._(
                        "%(name)s is retail's request: only wholesale accepts or refuses it.", name=wrong[0].name
                    )
                )
            raise UserError(
                self.env._(
                    "%(name)s is wholesale's copy: only retail submits or cancels the request.", name=wrong[0].name
                )
            )

    def _lock_rows(self):
        """Lock these requests and their counterparts (FOR UPDATE, in id
        order: both sides lock the same rows in the same order) and re-read
        their states: two decisions at once wait for each other, and the
        second sees the first's."""
        ids = tuple(sorted(set(self.ids) | set(self.sudo().counterpart_id.ids)))
        self.env.cr.execute(SQL("SELECT id FROM omni_intercompany_return WHERE id IN %s ORDER BY id FOR UPDATE", ids))
        self.sudo().browse(ids).invalidate_recordset()

    def action_submit(self):
        """Lock the quantities (an internal transfer into the warehouse's
        Returned to Wholesale stock state) and send the request to wholesale."""
        self._check_side("customer")
        self.check_access("write")
        self._check_state(("draft",), self.env._("submitted"))
        for request in self:
            if not request.line_ids:
                raise UserError(self.env._("%(name)s has no line to return.", name=request.name))
            # two submissions at once must count each other's quantities. Odoo's
            # transactions are REPEATABLE READ: waiting on the rule's row lock
            # alone would leave the second one its old snapshot, blind to the
            # first's lines. So the row is also written: the second then fails
            # with a serialization error when the first commits, and Odoo
            # retries it with a fresh snapshot that sees the first's quantities.
            self.env.cr.execute(
                SQL("SELECT id FROM omni_intercompany_rule WHERE id = %s FOR UPDATE", request.rule_id.id)
            )
            self.env.cr.execute(
                SQL("UPDATE omni_intercompany_rule SET write_date = now() WHERE id = %s", request.rule_id.id)
            )
            request.rule_id.invalidate_recordset(["write_date"])
            request._lock_rows()
            request._check_state(("draft",), self.env._("submitted"))
            request._check_lines()
            picking = request._lock_goods()
            counterpart = request._create_counterpart()
            guard.internal(request).write(
                {"state": "submitted", "lock_picking_id": picking.id, "counterpart_id": counterpart.id}
            )
            request.message_post(
                body=self.env._(
                    "Submitted to wholesale; the quantities are locked by %(picking)s.", picking=picking.name
                )
            )
        return True

    def _create_counterpart(self):
        """Wholesale's copy of this request, which wholesale decides on."""
        self.ensure_one()
        supplier = self.rule_id.supplier_company_id
        # sudo: the wholesale company's copy of this request; the retail user has
        # no rights in wholesale, and gets this one inter-company record only
        Request = guard.internal(self.sudo().with_company(supplier))
        return Request.create(
            {
                "name": self.name,
                "side": "supplier",
                "state": "submitted",
                "company_id": supplier.id,
                "rule_id": self.rule_id.id,
                "reason": self.reason,
                "counterpart_id": self.id,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": line.product_id.id,
                            "quantity": line.quantity,
                            "condition": line.condition,
                            "counterpart_line_id": line.id,
                        }
                    )
                    for line in self.line_ids
                ],
            }
        )

    def _check_decider(self, accept=False):
        """Wholesale's salespeople or stock users decide; accepting makes
        wholesale's return receipt and credit note, so it takes the rights to
        make them (Inventory user and Invoicing billing): checked here, named."""
        self._check_side("supplier")
        user = self.env.user
        if not (user.has_group("sales_team.group_sale_salesman") or user.has_group("stock.group_stock_user")):
            raise UserError(self.env._("Only wholesale's salespeople or stock users accept or refuse returns."))
        if accept and not (
            user.has_group("stock.group_stock_user") and user.has_group("account.group_account_invoice")
        ):
            raise UserError(
                self.env._(
                    "Accepting a return makes wholesale's return receipt and credit note: it takes the rights of an "
                    "Inventory user and of Invoicing (Billing)."
                )
            )
        self.check_access("write")

    def action_accept(self):
        """Wholesale takes the goods back: its return receipt and its customer
        credit note at the transfer price, and retail's return delivery from
        the locked stock state (validated by retail, it makes the receipt
        ready with the same quantities)."""
        self._check_decider(accept=True)
        self._check_state(("submitted",), self.env._("accepted"))
        for request in self:
            request._lock_rows()
            request._check_state(("submitted",), self.env._("accepted"))
            prices = request._transfer_prices()
            receipt = request._create_return_receipt()
            credit_note = request._create_credit_note(prices)
            # sudo: retail's return delivery of this inter-company request; the
            # wholesale user has no rights in retail and touches this one only
            counterpart = request.counterpart_id.sudo()
            delivery = counterpart._create_return_delivery()
            guard.internal(request).write(
                {"state": "accepted", "return_picking_id": receipt.id, "credit_note_id": credit_note.id}
            )
            guard.internal(counterpart).write({"state": "accepted", "return_picking_id": delivery.id})
            request.message_post(
                body=self.env._(
                    "Accepted: return receipt %(receipt)s, credit note %(credit_note)s (draft).",
                    receipt=receipt.name,
                    credit_note=credit_note.display_name,
                )
            )
            counterpart.message_post(
                body=self.env._(
                    "Accepted by wholesale: return delivery %(delivery)s; the goods stay locked until it is done.",
                    delivery=delivery.name,
                )
            )
        return True

    def action_refuse(self, reason=None):
        """Wholesale refuses, with a reason: the goods go back to where they
        came from in retail and are sellable (or defective) again."""
        self._check_decider()
        self._check_state(("submitted",), self.env._("refused"))
        # each request its own reason, unless one is given for all; all checked
        # before any is refused
        reasons = {request: reason or request.refusal_reason for request in self}
        for request, request_reason in reasons.items():
            if not (request_reason or "").strip():
                raise UserError(self.env._("%(name)s: give the reason of the refusal.", name=request.name))
        for request, request_reason in reasons.items():
            request._lock_rows()
            request._check_state(("submitted",), self.env._("refused"))
            # sudo: retail's side of this inter-company request (its unlock
            # transfer); the wholesale user has no rights in retail
            request.counterpart_id.sudo()._unlock("refused", request_reason)
            guard.internal(request).write({"state": "refused", "refusal_reason": request_reason})
        return True

    def action_cancel(self):
        """Retail withdraws its request, before wholesale decided: the goods
        are unlocked; wholesale's copy is cancelled too."""
        self._check_side("customer")
        self.check_access("write")
        self._check_state(("draft", "submitted"), self.env._("cancelled"))
        for request in self:
            request._lock_rows()
            request._check_state(("draft", "submitted"), self.env._("cancelled"))
            if request.state == "draft":
                guard.internal(request).write({"state": "cancelled"})
                continue
            request._unlock("cancelled")
            # sudo: wholesale's copy of this inter-company request
            guard.internal(request.counterpart_id.sudo()).write({"state": "cancelled"})
        return True

    def _on_return_picking_done(self):
        """A return transfer of these requests is done: retail's delivery
        makes wholesale's receipt ready with the same quantities; a request
        whose return transfers are all done is returned."""
        for request in self.filtered(lambda r: r.state == "accepted"):
            pickings = self.env["stock.picking"].search([("omni_ic_return_id", "=", request.id)])
            moves = pickings.filtered(lambda p: p.picking_type_code in ("incoming", "outgoing")).move_ids
            # returned only when every move is done: nothing left locked or to receive
            if moves and all(m.state == "done" for m in moves):
                guard.internal(request).write({"state": "done"})

    def action_open_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("omni_ic_return_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
