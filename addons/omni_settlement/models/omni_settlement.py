# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.omni_base.tools import guard

# first key of the advisory lock taken while a channel's statement is imported
IMPORT_LOCK_KEY = 7_146_027
# line states counted as needing a person
OPEN_STATES = ("amount_diff", "unknown_order", "other_channel", "refund_no_aftersale", "not_shipped", "unmapped")


class OmniSettlement(models.Model):
    """A platform's settlement statement (结算对账单) of one channel and
    period: its lines as the platform wrote them, each matched to a platform
    order and classified through the channel's fee-type table, and the
    statement's own running balance checked."""

    _name = "omni.settlement"
    _description = "Platform Settlement Statement"
    _inherit = ["mail.thread"]
    _order = "date_to desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    channel_id = fields.Many2one("omni.channel", required=True, readonly=True, index=True, check_company=True)
    unit_code = fields.Char(related="channel_id.code", string="Unit Code")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    file_format = fields.Selection(
        [("alipay", "Alipay 账务明细"), ("jd", "JD wallet export"), ("pdd", "Pinduoduo 账务明细"),
         ("douyin", "Douyin 资金流水")],
        readonly=True,
    )  # fmt: skip
    date_from = fields.Date(string="Period From", readonly=True)
    date_to = fields.Date(string="Period To", readonly=True)
    file_name = fields.Char(readonly=True)
    file_sha256 = fields.Char(string="File Fingerprint", readonly=True, copy=False)
    attachment_id = fields.Many2one("ir.attachment", string="Statement File", readonly=True, copy=False)
    state = fields.Selection(
        [("draft", "Draft"), ("imported", "Imported"), ("posted", "Posted")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    line_ids = fields.One2many("omni.settlement.line", "settlement_id", string="Lines")
    opening_balance = fields.Monetary(readonly=True, help="Wallet balance before the first line (账户余额).")
    closing_balance = fields.Monetary(readonly=True, help="Wallet balance after the last line.")
    balance_break_line_id = fields.Many2one(
        "omni.settlement.line",
        string="Balance Breaks at",
        readonly=True,
        copy=False,
        help="First line whose balance is not the balance before it plus its amount.",
    )
    balance_break_amount = fields.Monetary(
        readonly=True, copy=False, help="Balance written on that line minus the balance the lines give."
    )
    balance_accepted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    balance_accepted_at = fields.Datetime(readonly=True, copy=False)

    move_ids = fields.Many2many(
        "account.move", string="Journal Entries", readonly=True, copy=False, help="One entry per month of the lines."
    )
    clearing_ids = fields.One2many("omni.settlement.clearing", "settlement_id", string="Receivable Cleared")
    clearing_diff_ids = fields.One2many(
        "omni.settlement.clearing.diff", "settlement_id", string="Orders Cleared beyond Settled"
    )
    line_count = fields.Integer(compute="_compute_totals", string="Number of Lines")
    open_count = fields.Integer(compute="_compute_totals", string="To Check")
    unmapped_count = fields.Integer(compute="_compute_totals", string="Fee Type Unknown")
    duplicate_count = fields.Integer(compute="_compute_totals", string="Duplicates")
    amount_total = fields.Monetary(compute="_compute_totals", string="Net Movement")

    _sql_constraints = [
        (
            "file_unique",
            "UNIQUE(company_id, channel_id, file_sha256)",
            "This statement file was already imported for this channel.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        self._omni_prepare_named_create(vals_list, "omni.settlement", per_company=True)
        # the caller's values were checked above; the name is the sequence's
        return super(OmniSettlement, guard.internal(self)).create(vals_list).with_env(self.env)

    def _compute_totals(self):
        totals = {sid: [0, 0, 0, 0, 0.0] for sid in self.ids}
        ids = [sid for sid in self.ids if isinstance(sid, int)]
        if ids:
            self.env["omni.settlement.line"].flush_model()
            self.env.cr.execute(
                """
                SELECT settlement_id, count(*),
                       count(*) FILTER (WHERE state = ANY(%s)),
                       count(*) FILTER (WHERE state = 'unmapped'),
                       count(*) FILTER (WHERE state = 'duplicate'),
                       COALESCE(sum(amount) FILTER (WHERE state <> 'duplicate'), 0)
                  FROM omni_settlement_line WHERE settlement_id = ANY(%s) GROUP BY settlement_id
                """,
                [list(OPEN_STATES), ids],
            )
            for sid, *values in self.env.cr.fetchall():
                totals[sid] = values
        for statement in self:
            count, open_count, unmapped, duplicate, amount = totals.get(statement.id, [0, 0, 0, 0, 0.0])
            statement.update(
                {
                    "line_count": count,
                    "open_count": open_count,
                    "unmapped_count": unmapped,
                    "duplicate_count": duplicate,
                    "amount_total": amount,
                }
            )

    def write(self, vals):
        # a posted statement is frozen, whoever calls (its lines have no write at all)
        if any(s.state == "posted" for s in self) and set(vals) - {"message_main_attachment_id"}:
            raise UserError(self.env._("Posted settlement statement %(name)s cannot be changed.",
                                       name=self.filtered(lambda s: s.state == "posted")[:1].name))  # fmt: skip
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        posted = self.filtered(lambda s: s.state == "posted")
        if posted:
            raise UserError(self.env._("Posted settlement statement %(name)s cannot be deleted.", name=posted[:1].name))

    # ------------------------------------------------------------------
    # Consistency of the statement's own running balance

    def action_accept_balance(self):
        """A Settlement Manager accepts a break of the running balance (the
        platform's balance column disagrees with the lines) so that the
        statement may be posted; who and when is kept."""
        if not self.env.user.has_group("omni_settlement.group_settlement_manager"):
            raise UserError(self.env._("Only a Settlement Manager may accept a break of the running balance."))
        self.check_access("write")
        for statement in self:
            if statement.state != "imported" or not statement.balance_break_line_id:
                raise UserError(
                    self.env._(
                        "Statement %(name)s has no break of its running balance to accept.", name=statement.name
                    )  # fmt: skip
                )
            guard.internal(statement).write(
                {"balance_accepted_by_id": self.env.uid, "balance_accepted_at": fields.Datetime.now()}
            )
            statement.message_post(
                body=self.env._(
                    "Break of the running balance at row %(row)s (%(amount)s) accepted.",
                    row=statement.balance_break_line_id.row_no,
                    amount=statement.balance_break_amount,
                )
            )
        return True

    def _posting_blockers(self):
        """Why this statement cannot be posted yet (list of texts)."""
        self.ensure_one()
        blockers = []
        if self.state != "imported":
            blockers.append(self.env._("it is not an imported statement waiting for posting"))
        if self.balance_break_line_id and not self.balance_accepted_by_id:
            blockers.append(
                self.env._(
                    "its running balance breaks at row %(row)s by %(amount)s and nobody accepted it",
                    row=self.balance_break_line_id.row_no,
                    amount=self.balance_break_amount,
                )
            )
        if self.unmapped_count:
            blockers.append(
                self.env._(
                    "%(count)s lines have a fee type the channel's table does not know", count=self.unmapped_count
                )  # fmt: skip
            )
        return blockers
