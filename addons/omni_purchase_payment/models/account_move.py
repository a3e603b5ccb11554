# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare
from odoo.tools.misc import format_amount

from odoo.addons.omni_base.tools import guard

GUARDED_FIELDS = ("omni_overbill_accepted_uid", "omni_overbill_accepted_date", "omni_payment_requested")

# Posting as superuser (code that chose sudo(), Odoo's own tests) is not held
# back by the over-billing check, except where Odoo posts on a user's behalf:
# the auto-post cron marks its environment with this object, which no client
# can send (see omni_base.tools.guard for the same idea).
_STRICT_KEY = "omni_overbill_strict"


class _Strict:
    __slots__ = ()


_STRICT = _Strict()


class AccountMove(models.Model):
    _inherit = "account.move"

    omni_overbill_accepted_uid = fields.Many2one(
        "res.users", string="Over-billing Accepted By", readonly=True, copy=False
    )
    omni_overbill_accepted_date = fields.Datetime(string="Over-billing Accepted On", readonly=True, copy=False)
    omni_overbilled = fields.Boolean(
        string="Billed Above Received",
        compute="_compute_omni_overbilled",
        help="A line of this bill brings the billed quantity of its purchase line above what was received, "
        "or bills a unit price above the order's, and no purchase or finance manager accepted it yet.",
    )
    omni_payment_requested = fields.Monetary(
        string="In Payment Requests",
        readonly=True,
        copy=False,
        help="Amount of this bill in payment requests not yet paid, cancelled or refused.",
    )
    omni_payment_request_line_ids = fields.One2many(
        "omni.purchase.payment.request.line", "move_id", string="Payment Request Lines", readonly=True
    )

    def write(self, vals):
        guard.check_write(self, vals, GUARDED_FIELDS)
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        guard.check_create(
            self,
            vals_list,
            {"omni_overbill_accepted_uid": False, "omni_overbill_accepted_date": False, "omni_payment_requested": 0.0},
        )
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Bills never above what was received, nor above the order's price
    # ------------------------------------------------------------------
    @api.depends(
        "state",
        "move_type",
        "date",
        "invoice_date",
        "currency_id",
        "invoice_line_ids.quantity",
        "invoice_line_ids.price_unit",
        "invoice_line_ids.discount",
        "invoice_line_ids.product_uom_id",
        "invoice_line_ids.purchase_line_id",
    )
    def _compute_omni_overbilled(self):
        for move in self:
            move.omni_overbilled = bool(
                move.state == "draft" and move._omni_overbill_issues(lock=False, pending_only=True)
            )

    def _omni_overbill_issues(self, lock=True, pending_only=False):
        """Lines of these vendor bills above what their purchase line allows
        without a manager: a billed quantity (posted bills less posted
        refunds, plus these bills) above its limit (``omni_bill_limit_qty``),
        or a unit price (after discount, in the order's currency and unit)
        above the order's (after discount) by a cent or more. A list of
        dicts: kind ("qty" or "price"), aml, po_line, and limit and billed
        (quantities) or po_price and billed_price. ``pending_only``: only
        those not accepted as they are now. ``lock`` locks (and touches) the
        purchase lines first, so two bills of one purchase line are posted one
        after the other."""
        bills = self.filtered(lambda m: m.move_type == "in_invoice")
        amls = bills.invoice_line_ids.filtered(lambda aml: aml.purchase_line_id and aml.display_type == "product")
        if not amls:
            return []
        po_lines = amls.purchase_line_id
        if lock:
            self.env.flush_all()
            # an UPDATE, not only FOR UPDATE: posting writes no purchase line,
            # so the touch is what makes a concurrent posting fail and replay
            self.env.cr.execute(
                SQL(
                    "UPDATE purchase_order_line SET write_date = write_date WHERE id IN "
                    "(SELECT id FROM purchase_order_line WHERE id = ANY(%s) ORDER BY id FOR UPDATE)",
                    po_lines.ids,
                )
            )
        by_po_line = defaultdict(lambda: self.env["account.move.line"])
        for aml in amls:
            by_po_line[aml.purchase_line_id] |= aml
        issues = []
        for po_line, here in by_po_line.items():
            issues += self._omni_qty_issues(po_line, here, bills, pending_only)
            issues += self._omni_price_issues(po_line, here, pending_only)
        return issues

    @api.model
    def _omni_qty_issues(self, po_line, here, bills, pending_only):
        uom = po_line.product_uom
        billed = 0.0
        for inv_line in po_line.invoice_lines:
            move = inv_line.move_id
            if move in bills or move.state != "posted" or inv_line.display_type != "product":
                continue
            qty = inv_line.product_uom_id._compute_quantity(inv_line.quantity, uom)
            billed += qty if move.move_type == "in_invoice" else -qty if move.move_type == "in_refund" else 0.0
        billed += sum(aml.product_uom_id._compute_quantity(aml.quantity, uom) for aml in here)
        limit = po_line.omni_bill_limit_qty
        if float_compare(billed, limit, precision_rounding=uom.rounding) <= 0:
            return []
        return [
            {"kind": "qty", "aml": aml, "po_line": po_line, "limit": limit, "billed": billed}
            for aml in here
            if not pending_only
            or float_compare(
                aml.quantity, aml.omni_overbill_accepted_qty, precision_rounding=aml.product_uom_id.rounding
            )
            > 0
        ]

    @api.model
    def _omni_price_issues(self, po_line, here, pending_only):
        currency = po_line.currency_id
        po_price = po_line.price_unit_discounted
        issues = []
        for aml in here:
            billed_price = aml._omni_po_unit_price()
            if currency.compare_amounts(billed_price, po_price) <= 0:
                continue
            if pending_only and currency.compare_amounts(billed_price, aml.omni_overbill_accepted_price) <= 0:
                continue
            issues.append(
                {"kind": "price", "aml": aml, "po_line": po_line, "po_price": po_price, "billed_price": billed_price}
            )
        return issues

    def _omni_overbill_message(self, issues):
        rows = []
        for issue in issues:
            aml, po_line = issue["aml"], issue["po_line"]
            move = aml.move_id
            common = {
                "bill": move.name if move.name and move.name != "/" else move.display_name,
                "line": aml.name or "",
                "product": aml.product_id.display_name,
                "order": po_line.order_id.name,
                "uom": po_line.product_uom.name,
            }
            if issue["kind"] == "price":
                rows.append(
                    self.env._(
                        "%(bill)s, line %(line)s (%(product)s), purchase order %(order)s: ordered at %(po_price)s "
                        "per %(uom)s, billed at %(billed_price)s per %(uom)s.",
                        po_price=format_amount(self.env, issue["po_price"], po_line.currency_id),
                        billed_price=format_amount(self.env, issue["billed_price"], po_line.currency_id),
                        **common,
                    )
                )
            else:
                rows.append(
                    self.env._(
                        "%(bill)s, line %(line)s (%(product)s), purchase order %(order)s: received %(received)s "
                        "%(uom)s, billed %(billed)s %(uom)s with this bill (limit %(limit)s).",
                        received=po_line.qty_received,
                        billed=issue["billed"],
                        limit=issue["limit"],
                        **common,
                    )
                )
        return "\n".join(rows)

    def _post(self, soft=True):
        # superuser code is trusted except the auto-post cron (see _STRICT)
        exempt = self.env.su and self.env.context.get(_STRICT_KEY) is not _STRICT
        if not exempt:
            issues = self._omni_overbill_issues(lock=True, pending_only=True)
            if issues and self._omni_may_accept_overbilling():
                # a manager's own posting is the acceptance: recorded as such
                self._omni_record_overbill_acceptance(issues, at_posting=True)
            elif issues:
                raise UserError(
                    self.env._(
                        "This bill is above what was received or above the order's price; a purchase manager or "
                        "a finance manager must accept it first (Accept Over-billing):\n%(lines)s",
                        lines=self._omni_overbill_message(issues),
                    )
                )
        return super()._post(soft=soft)

    @api.model
    def _autopost_draft_entries(self):
        return super(AccountMove, self.with_context(**{_STRICT_KEY: _STRICT}))._autopost_draft_entries()

    def _omni_may_accept_overbilling(self):
        user = self.env.user
        return user.has_group("purchase.group_purchase_manager") or user.has_group("account.group_account_manager")

    def action_omni_accept_overbilling(self):
        """A purchase manager or a finance manager accepts the quantities of
        these draft bills that are above what was received (who and when are
        kept on the bill and in its chatter); anybody may then post them.
        Raising a quantity later needs a new acceptance."""
        if not self._omni_may_accept_overbilling():
            raise AccessError(
                self.env._(
                    "Only a purchase manager (Purchase / Administrator) or a finance manager "
                    "(Accounting / Administrator) accepts over-billing."
                )
            )
        self.check_access("write")
        for bill in self:
            if bill.move_type != "in_invoice" or bill.state != "draft":
                raise UserError(self.env._("%(bill)s: only draft vendor bills are accepted.", bill=bill.display_name))
        issues = self._omni_overbill_issues(lock=True, pending_only=True)
        if not issues:
            raise UserError(self.env._("Nothing on these bills is above what was received or above the order's price."))
        self._omni_record_overbill_acceptance(issues)
        return True

    def _omni_record_overbill_acceptance(self, issues, at_posting=False):
        now = fields.Datetime.now()
        for bill in self:
            bill_issues = [issue for issue in issues if issue["aml"].move_id == bill]
            if not bill_issues:
                continue
            for issue in bill_issues:
                aml = issue["aml"]
                if issue["kind"] == "price":
                    guard.internal(aml).write({"omni_overbill_accepted_price": issue["billed_price"]})
                else:
                    guard.internal(aml).write({"omni_overbill_accepted_qty": aml.quantity})
            guard.internal(bill).write({"omni_overbill_accepted_uid": self.env.uid, "omni_overbill_accepted_date": now})
            lines = self._omni_overbill_message(bill_issues)
            bill.message_post(
                body=self.env._(
                    "Over-billing accepted by %(user)s when posting:\n%(lines)s", user=self.env.user.name, lines=lines
                )
                if at_posting
                else self.env._("Over-billing accepted by %(user)s:\n%(lines)s", user=self.env.user.name, lines=lines)
            )

    # ------------------------------------------------------------------
    # Payment requests
    # ------------------------------------------------------------------
    def action_omni_payment_request(self):
        requests = self.env["omni.purchase.payment.request"]._omni_create_from_bills(self)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "omni_purchase_payment.omni_purchase_payment_request_action"
        )
        if len(requests) == 1:
            action.update({"res_id": requests.id, "views": [(False, "form")]})
        else:
            action["domain"] = [("id", "in", requests.ids)]
        return action

    def _omni_open_to_request(self):
        """What of this bill is not yet in an open payment request."""
        self.ensure_one()
        return max(self.currency_id.round(self.amount_residual - self.omni_payment_requested), 0.0)

    def _omni_float_gt(self, a, b):
        self.ensure_one()
        return float_compare(a, b, precision_rounding=self.currency_id.rounding) > 0
