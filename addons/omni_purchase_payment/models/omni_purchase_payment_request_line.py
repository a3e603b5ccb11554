# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare
from odoo.tools.misc import format_amount

from odoo.addons.omni_base.tools import guard

from .omni_purchase_payment_request import _omni_check_readable_ids

OPEN_STATES = ("draft", "submitted", "approved")
# shown from the request and the bill: written there (by their own rules),
# never through a request line, whose write would pass them on
RELATED_FIELDS = (
    "company_id",
    "currency_id",
    "state",
    "bill_reference",
    "invoice_date",
    "invoice_date_due",
    "bill_amount",
    "bill_residual",
    "payment_state",
)


class OmniPurchasePaymentRequestLine(models.Model):
    """One bill of a payment request and the amount asked for it."""

    _name = "omni.purchase.payment.request.line"
    _description = "Payment Request Bill"
    _order = "request_id, id"
    _check_company_auto = True

    request_id = fields.Many2one(
        "omni.purchase.payment.request", string="Payment Request", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="request_id.currency_id")
    state = fields.Selection(related="request_id.state")
    move_id = fields.Many2one(
        "account.move",
        string="Bill",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        domain="[('move_type', '=', 'in_invoice'), ('state', '=', 'posted'), "
        "('payment_state', 'in', ('not_paid', 'partial')), ('company_id', '=', company_id)]",
    )
    bill_reference = fields.Char(related="move_id.ref", string="Vendor Reference")
    invoice_date = fields.Date(related="move_id.invoice_date", string="Bill Date")
    invoice_date_due = fields.Date(related="move_id.invoice_date_due", string="Due Date")
    bill_amount = fields.Monetary(related="move_id.amount_total", string="Bill Total")
    bill_residual = fields.Monetary(related="move_id.amount_residual", string="Still Due")
    payment_state = fields.Selection(related="move_id.payment_state")
    amount = fields.Monetary(string="Requested", required=True)

    @api.onchange("move_id")
    def _onchange_move_id(self):
        if self.move_id and not self.amount:
            self.amount = self.move_id._omni_open_to_request()

    def _omni_check_draft(self, requests):
        if guard.is_internal(self):
            return
        for request in requests:
            if request.state != "draft":
                raise UserError(
                    self.env._(
                        "%(request)s is no longer a draft: its bills and amounts cannot change.",
                        request=request._omni_label(),
                    )
                )

    @api.model
    def _omni_check_values(self, vals):
        """Neither the related figures nor another company's (or a missing)
        bill or request: the same neutral message whether the record exists
        elsewhere or not, so that no name of another company's shows."""
        guard.check_write(self, vals, RELATED_FIELDS)
        if vals.get("request_id"):
            _omni_check_readable_ids(
                self.env["omni.purchase.payment.request"],
                [vals["request_id"]],
                self.env._("Unknown payment request id %(id)s."),
            )
        if vals.get("move_id"):
            _omni_check_readable_ids(self.env["account.move"], [vals["move_id"]], self.env._("Unknown bill id %(id)s."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._omni_check_values(vals)
        request_ids = {vals.get("request_id") for vals in vals_list if vals.get("request_id")}
        self._omni_check_draft(self.env["omni.purchase.payment.request"].browse(request_ids))
        lines = super().create(vals_list)
        lines._omni_check_bills()
        return lines

    def write(self, vals):
        self._omni_check_values(vals)
        self._omni_check_draft(self.request_id)
        if vals.get("request_id"):
            self._omni_check_draft(self.env["omni.purchase.payment.request"].browse(vals["request_id"]))
        before = self.move_id
        res = super().write(vals)
        self._omni_refresh_requested(before - self.move_id)
        self._omni_check_bills()
        return res

    def unlink(self):
        self._omni_check_draft(self.request_id.exists())
        moves = self.move_id
        res = super().unlink()
        self._omni_refresh_requested(moves)
        return res

    @api.model
    def _omni_refresh_requested(self, moves):
        """Lock these bills and store on each what open payment requests ask
        for it (``omni_payment_requested``). The UPDATE is what makes two
        transactions adding the same bill at once run one after the other: the
        second fails on the row the first changed, Odoo replays it and it then
        sees the first one's request."""
        moves = moves.exists()
        if not moves:
            return {}
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT id FROM account_move WHERE id = ANY(%s) ORDER BY id FOR UPDATE", moves.ids))
        self.env.cr.execute(
            SQL(
                """
                SELECT m.id, COALESCE(SUM(l.amount) FILTER (WHERE r.state IN %s), 0)
                  FROM account_move m
             LEFT JOIN omni_purchase_payment_request_line l ON l.move_id = m.id
             LEFT JOIN omni_purchase_payment_request r ON r.id = l.request_id
                 WHERE m.id = ANY(%s)
              GROUP BY m.id
                """,
                OPEN_STATES,
                moves.ids,
            )
        )
        totals = dict(self.env.cr.fetchall())
        self.env.cr.execute(
            SQL(
                "UPDATE account_move m SET omni_payment_requested = t.total "
                "FROM unnest(%s::int[], %s::numeric[]) AS t(id, total) WHERE m.id = t.id",
                list(totals),
                list(totals.values()),
            )
        )
        moves.invalidate_recordset(["omni_payment_requested", "amount_residual", "payment_state", "state"])
        return totals

    def _omni_check_bills(self):
        """The bills of these lines (of open requests) are posted vendor bills
        of the request's vendor, company and currency, not paid, and no bill is
        asked for more than it still owes, all open requests together."""
        totals = self._omni_refresh_requested(self.move_id)
        lines = self.filtered(lambda line: line.request_id.state in OPEN_STATES)
        for line in lines:
            request, bill = line.request_id, line.move_id
            label, currency = request._omni_label(), request.currency_id
            if bill.move_type != "in_invoice" or bill.state != "posted":
                raise UserError(
                    self.env._(
                        "%(request)s: %(bill)s is not a posted vendor bill.",
                        request=label,
                        bill=bill.display_name,
                    )
                )
            if bill.company_id != request.company_id or bill.commercial_partner_id != request.partner_id:
                raise UserError(
                    self.env._(
                        "%(request)s: %(bill)s is not a bill of %(vendor)s in %(company)s.",
                        request=label,
                        bill=bill.name,
                        vendor=request.partner_id.display_name,
                        company=request.company_id.name,
                    )
                )
            if bill.currency_id != request.currency_id:
                raise UserError(
                    self.env._(
                        "%(request)s: %(bill)s is in %(currency)s; a request pays bills of one currency.",
                        request=label,
                        bill=bill.name,
                        currency=bill.currency_id.name,
                    )
                )
            if float_compare(line.amount, 0.0, precision_rounding=request.currency_id.rounding) <= 0:
                raise UserError(
                    self.env._(
                        "%(request)s: the amount requested for %(bill)s must be positive.",
                        request=label,
                        bill=bill.name,
                    )
                )
            if bill._omni_float_gt(line.amount, bill.amount_residual):
                raise UserError(
                    self.env._(
                        "%(request)s: %(amount)s requested for %(bill)s, which still owes %(residual)s.",
                        request=label,
                        amount=format_amount(self.env, line.amount, currency),
                        bill=bill.name,
                        residual=format_amount(self.env, bill.amount_residual, bill.currency_id),
                    )
                )
        for bill in lines.move_id:
            requested = totals.get(bill.id, 0.0)
            if bill._omni_float_gt(requested, bill.amount_residual):
                others = bill.omni_payment_request_line_ids.request_id.filtered(lambda r: r.state in OPEN_STATES)
                raise UserError(
                    self.env._(
                        "%(bill)s still owes %(residual)s but open payment requests ask %(requested)s for it "
                        "(%(requests)s): nothing is paid twice.",
                        bill=bill.name,
                        residual=format_amount(self.env, bill.amount_residual, bill.currency_id),
                        requested=format_amount(self.env, requested, bill.currency_id),
                        requests=", ".join(others.mapped(lambda r: r._omni_label())),
                    )
                )
