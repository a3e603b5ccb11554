# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_is_zero
from odoo.tools.misc import format_amount

from odoo.addons.omni_base.tools import guard

OPEN_STATES = ("draft", "submitted", "approved")
GUARDED_FIELDS = (
    "state",
    "submitted_uid",
    "submitted_date",
    "approved_uid",
    "approved_date",
    "paid_uid",
    "paid_date",
    "payment_ids",
    "name",
)
# computed figures: never written by a client, on create or write
COMPUTED_FIELDS = ("amount_total", "payment_count")
# what a request is about: fixed once it left draft
DRAFT_ONLY_FIELDS = ("partner_id", "company_id", "currency_id", "line_ids")
# the journal to pay from: anybody's choice until approval, then the choice
# of who pays (Accounting / Billing) until paid; fixed once paid or closed
JOURNAL_OPEN_STATES = ("draft", "submitted")
MANAGER_GROUP = "account.group_account_manager"
PAYER_GROUP = "account.group_account_invoice"


class OmniPurchasePaymentRequest(models.Model):
    """付款申请: posted, unpaid vendor bills of one vendor and company put
    forward for payment, approved by a finance manager, then paid through
    Odoo's payment registration for the approved amounts, once."""

    _name = "omni.purchase.payment.request"
    _description = "Payment Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Vendor",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
    )
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id, tracking=True
    )
    journal_id = fields.Many2one(
        "account.journal",
        string="Pay From",
        check_company=True,
        domain="[('type', 'in', ('bank', 'cash'))]",
        tracking=True,
        help="Bank or cash journal the payments are made from (the company's first bank journal if empty). "
        "After approval only the accountant who pays changes it.",
    )
    note = fields.Text()
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("paid", "Paid"),
            ("refused", "Refused"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    line_ids = fields.One2many("omni.purchase.payment.request.line", "request_id", string="Bills", copy=False)
    amount_total = fields.Monetary(string="Requested", compute="_compute_amount_total", store=True)
    submitted_uid = fields.Many2one("res.users", string="Submitted By", readonly=True, copy=False)
    submitted_date = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    approved_uid = fields.Many2one("res.users", string="Approved By", readonly=True, copy=False)
    approved_date = fields.Datetime(string="Approved On", readonly=True, copy=False)
    paid_uid = fields.Many2one("res.users", string="Paid By", readonly=True, copy=False)
    paid_date = fields.Datetime(string="Paid On", readonly=True, copy=False)
    payment_ids = fields.Many2many("account.payment", string="Payments", readonly=True, copy=False)
    payment_count = fields.Integer(compute="_compute_payment_count")

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for request in self:
            request.amount_total = request.currency_id.round(sum(request.line_ids.mapped("amount")))

    def _compute_payment_count(self):
        for request in self:
            request.payment_count = len(request.payment_ids)

    # ------------------------------------------------------------------
    # Guards
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        guard.check_create(self, vals_list, {"state": "draft", "name": "/"})
        for vals in vals_list:
            guard.check_write(self, vals, COMPUTED_FIELDS)
            for field in GUARDED_FIELDS:
                if field not in ("state", "name") and vals.get(field) and not guard.is_internal(self):
                    raise UserError(self.env._("A new payment request starts as a draft."))
            self._omni_check_readable(vals)
            if vals.get("journal_id"):
                self._omni_check_journal_type(vals["journal_id"])
        requests = super().create(vals_list)
        for request in requests:
            guard.internal(request).write(
                {
                    "name": self.env["ir.sequence"]
                    .with_company(request.company_id)
                    .next_by_code("omni.purchase.payment.request")
                    or "/"
                }
            )
        return requests

    def write(self, vals):
        guard.check_write(self, vals, GUARDED_FIELDS + COMPUTED_FIELDS)
        self._omni_check_readable(vals)
        if "journal_id" in vals and not guard.is_internal(self):
            self._omni_check_journal_change()
            self._omni_check_journal_type(vals["journal_id"])
            # who changed where the money is paid from is always recorded:
            # a client's context keys do not turn the tracking off
            self = self.with_context(tracking_disable=False, mail_notrack=False)
        if not guard.is_internal(self) and set(vals) & set(DRAFT_ONLY_FIELDS):
            for request in self:
                if request.state != "draft":
                    raise UserError(
                        self.env._(
                            "%(request)s is %(state)s: its vendor, company, currency and bills change in draft only.",
                            request=request._omni_label(),
                            state=request._omni_state_label(),
                        )
                    )
        res = super().write(vals)
        if {"partner_id", "company_id", "currency_id"} & set(vals):
            self.line_ids._omni_check_bills()
        return res

    def _omni_check_journal_type(self, journal_id):
        journal = self.env["account.journal"].browse(journal_id or [])
        if journal and journal.type not in ("bank", "cash"):
            raise UserError(
                self.env._(
                    "%(request)s: pay from a bank or cash journal; %(journal)s is not one.",
                    request=", ".join(self.mapped(lambda r: r._omni_label())) or self.env._("the new payment request"),
                    journal=journal.display_name,
                )
            )

    def copy_data(self, default=None):
        # copy() asks this first: refused before anything is created, so no
        # number is used up
        raise UserError(
            self.env._(
                "Payment requests are not copied: select the vendor's posted bills and use Create Payment Request "
                "(it asks what each bill still owes), or reset a refused or cancelled request to draft."
            )
        )

    def _omni_label(self):
        """The request's number, or words for one not saved yet (its number
        is given once it is created)."""
        self.ensure_one()
        if self.name and self.name != "/":
            return self.name
        return self.env._("the new payment request")

    def _omni_state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    @api.model
    def _omni_check_readable(self, vals):
        """The vendor and journal given exist and the caller may read them;
        the same neutral message either way, so that nothing of another
        company's records (not even a name) shows in the answer."""
        checks = (
            ("partner_id", "res.partner", self.env._("Unknown vendor id %(id)s.")),
            ("journal_id", "account.journal", self.env._("Unknown journal id %(id)s.")),
        )
        for field, model, message in checks:
            if vals.get(field):
                _omni_check_readable_ids(self.env[model], [vals[field]], message)

    def _omni_check_journal_change(self):
        """Pay From may change while the request is a draft or submitted;
        once approved, only by who may pay it; never once paid or closed."""
        for request in self:
            if request.state in JOURNAL_OPEN_STATES:
                continue
            if request.state != "approved":
                raise UserError(
                    self.env._(
                        "%(request)s is %(state)s: the journal it is paid from no longer changes.",
                        request=request._omni_label(),
                        state=request._omni_state_label(),
                    )
                )
            if not self.env.user.has_group(PAYER_GROUP):
                raise AccessError(
                    self.env._(
                        "%(request)s is approved: only an accountant who pays it (Accounting / Billing) "
                        "chooses the journal it is paid from.",
                        request=request._omni_label(),
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_draft_only(self):
        for request in self:
            if request.state not in ("draft", "cancel"):
                raise UserError(
                    self.env._(
                        "%(request)s: only draft or cancelled requests are deleted.", request=request._omni_label()
                    )
                )

    def unlink(self):
        moves = self.line_ids.move_id
        res = super().unlink()
        self.env["omni.purchase.payment.request.line"]._omni_refresh_requested(moves)
        return res

    # ------------------------------------------------------------------
    # Making requests from bills
    # ------------------------------------------------------------------
    @api.model
    def _omni_create_from_bills(self, bills):
        """One draft request per company, vendor and currency for these
        posted vendor bills, each at what is still open on it (residual less
        other open requests)."""
        self.check_access("create")
        _omni_check_readable_ids(self.env["account.move"], bills.ids, self.env._("Unknown bill id %(id)s."))
        # bills with nothing left (paid, or wholly in open requests) are left
        # out; anything else that is no unpaid vendor bill is refused by name
        bills = bills.filtered(
            lambda b: not (b.move_type == "in_invoice" and b.state == "posted")
            or not b.currency_id.is_zero(b._omni_open_to_request())
        )
        if not bills:
            raise UserError(
                self.env._("Nothing left to request: these bills are paid or wholly in open payment requests.")
            )
        groups = defaultdict(lambda: self.env["account.move"])
        for bill in bills:
            groups[(bill.company_id, bill.commercial_partner_id, bill.currency_id)] |= bill
        vals_list = []
        for (company, vendor, currency), group in groups.items():
            vals_list.append(
                {
                    "company_id": company.id,
                    "partner_id": vendor.id,
                    "currency_id": currency.id,
                    "line_ids": [
                        fields.Command.create({"move_id": bill.id, "amount": bill._omni_open_to_request()})
                        for bill in group.sorted(lambda b: (b.invoice_date_due or b.date, b.id))
                    ],
                }
            )
        return self.create(vals_list)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _omni_lock(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL("SELECT id FROM omni_purchase_payment_request WHERE id = ANY(%s) ORDER BY id FOR UPDATE", self.ids)
        )
        self.invalidate_recordset(["state"])

    def _omni_check_state(self, states, action):
        for request in self:
            if request.state not in states:
                raise UserError(
                    self.env._(
                        "%(request)s cannot be %(action)s: it is %(state)s.",
                        request=request._omni_label(),
                        action=action,
                        state=request._omni_state_label(),
                    )
                )

    def _omni_check_manager(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only a finance manager (Accounting / Administrator) approves or refuses payment requests.")
            )

    def _omni_set_state(self, state, **extra):
        guard.internal(self).write({"state": state, **extra})

    def action_submit(self):
        self.check_access("write")
        self._omni_lock()
        self._omni_check_state(("draft",), self.env._("submitted"))
        for request in self:
            if not request.line_ids:
                raise UserError(self.env._("%(request)s has no bill to pay.", request=request._omni_label()))
        self.line_ids._omni_check_bills()
        self._omni_set_state("submitted", submitted_uid=self.env.uid, submitted_date=fields.Datetime.now())
        return True

    def action_approve(self):
        self._omni_check_manager()
        self.check_access("write")
        self._omni_lock()
        self._omni_check_state(("submitted",), self.env._("approved"))
        self.line_ids._omni_check_bills()
        self._omni_set_state("approved", approved_uid=self.env.uid, approved_date=fields.Datetime.now())
        return True

    def action_refuse(self):
        self._omni_check_manager()
        self.check_access("write")
        self._omni_lock()
        self._omni_check_state(("submitted", "approved"), self.env._("refused"))
        moves = self.line_ids.move_id
        self._omni_set_state("refused")
        self.env["omni.purchase.payment.request.line"]._omni_refresh_requested(moves)
        return True

    def action_cancel(self):
        self.check_access("write")
        self._omni_lock()
        self._omni_check_state(("draft", "submitted", "approved"), self.env._("cancelled"))
        if any(request.state == "approved" for request in self) and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only a finance manager (Accounting / Administrator) cancels an approved payment request; "
                    "it may still be paid as approved or refused by the finance manager."
                )
            )
        moves = self.line_ids.move_id
        self._omni_set_state("cancel")
        self.env["omni.purchase.payment.request.line"]._omni_refresh_requested(moves)
        return True

    def action_draft(self):
        self.check_access("write")
        self._omni_lock()
        self._omni_check_state(("refused", "cancel"), self.env._("reset to draft"))
        self._omni_set_state(
            "draft", submitted_uid=False, submitted_date=False, approved_uid=False, approved_date=False
        )
        self.line_ids._omni_check_bills()
        return True

    def action_pay(self):
        """Register the approved amounts as payments of their bills through
        Odoo's payment wizard (one payment per bill, reconciled with it).
        Once: a paid request is left as it is, and two users paying at once
        are serialised on the request row."""
        if not self.env.user.has_group(PAYER_GROUP):
            raise AccessError(self.env._("Only accounting users (Accounting / Billing) pay payment requests."))
        self.check_access("write")
        self._omni_lock()
        todo = self.filtered(lambda r: r.state != "paid")
        todo._omni_check_state(("approved",), self.env._("paid"))
        for request in todo:
            lines = request.line_ids
            lines._omni_check_bills()
            journal = request.journal_id or self.env["account.journal"].search(
                [*self.env["account.journal"]._check_company_domain(request.company_id), ("type", "=", "bank")],
                limit=1,
            )
            if not journal:
                raise UserError(
                    self.env._("%(request)s: choose the journal to pay from.", request=request._omni_label())
                )
            payments = self.env["account.payment"]
            for line in lines:
                if float_is_zero(line.amount, precision_rounding=request.currency_id.rounding):
                    continue
                wizard = (
                    self.env["account.payment.register"]
                    .with_company(request.company_id)
                    .with_context(active_model="account.move", active_ids=line.move_id.ids)
                    .create(
                        {
                            "journal_id": journal.id,
                            "amount": line.amount,
                            "currency_id": request.currency_id.id,
                            "payment_date": fields.Date.context_today(self),
                            "payment_difference_handling": "open",
                            "communication": f"{request.name} {line.move_id.name}",
                        }
                    )
                )
                payments |= wizard._create_payments()
            request._omni_set_state(
                "paid",
                paid_uid=self.env.uid,
                paid_date=fields.Datetime.now(),
                payment_ids=[fields.Command.set(payments.ids)],
            )
            moves = lines.move_id
            self.env["omni.purchase.payment.request.line"]._omni_refresh_requested(moves)
            request.message_post(
                body=self.env._(
                    "Paid %(amount)s in %(count)s payment(s) from %(journal)s.",
                    amount=format_amount(self.env, sum(payments.mapped("amount")), request.currency_id),
                    count=len(payments),
                    journal=journal.display_name,
                )
            )
        return True

    def action_view_payments(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_account_payments_payable")
        action["domain"] = [("id", "in", self.payment_ids.ids)]
        action["context"] = {"create": False}
        return action


def _omni_check_readable_ids(model, ids, message):
    """Refuse ``ids`` of ``model`` that do not exist or that the caller may
    not read, with ``message`` (``%(id)s``: the id given), the same in both
    cases: another company's record is as unknown as one never made."""
    for record_id in ids:
        record = model.browse(record_id) if isinstance(record_id, int) else model
        try:
            known = bool(record.exists())
            if known:
                record.check_access("read")
        except AccessError:
            known = False
        if not known:
            raise UserError(message % {"id": record_id})
