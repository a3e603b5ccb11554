# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.omni_base.tools import guard

from .omni_settlement_fee_type import KINDS

LINE_STATES = [
    ("matched", "Matched"),
    ("amount_diff", "Amount Differs from Ledger"),
    ("unknown_order", "Order Unknown"),
    ("other_channel", "Order of Another Channel"),
    ("duplicate", "Duplicate"),
    ("refund_no_aftersale", "Refund without After-sales Order"),
    ("not_shipped", "Order Not Shipped"),
    ("unmapped", "Fee Type Unknown"),
    ("no_order", "Without Order"),
]


class OmniSettlementLine(models.Model):
    """One line of a platform statement, as the platform wrote it (raw row
    kept), with what the matching made of it. Lines are written by the
    import only (COPY, a million lines in seconds), never edited."""

    _name = "omni.settlement.line"
    _description = "Platform Settlement Line"
    _order = "settlement_id, sheet, row_no, id"
    _check_company_auto = True
    # who imported the line and when are the statement's (lines are made by its import only, and never
    # written after but by the matching, in SQL): not four columns and two foreign keys checked per row
    _log_access = False

    settlement_id = fields.Many2one("omni.settlement", required=True, readonly=True, index=True, ondelete="cascade")
    # the statement's, not stored on the line: a million lines are COPied at once and PostgreSQL checks every
    # foreign key of every row one by one (two of seven, a quarter of the insert: scripts/bench_settlements.py)
    channel_id = fields.Many2one(related="settlement_id.channel_id")
    company_id = fields.Many2one(related="settlement_id.company_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    sheet = fields.Char(readonly=True)
    row_no = fields.Integer(string="Row", readonly=True)
    serial_no = fields.Char(string="Platform Serial No.", readonly=True)
    line_at = fields.Datetime(string="Time", readonly=True, help="As written in the file (platform time).")
    line_date = fields.Date(string="Date", readonly=True)
    order_ref = fields.Char(string="Platform Order No.", readonly=True)
    sub_order_ref = fields.Char(string="Sub-order / Document", readonly=True)
    type_text = fields.Char(string="Platform's Words", readonly=True)
    amount = fields.Monetary(readonly=True, help="Signed from the shop's side: money in positive.")
    fee_amount = fields.Monetary(string="Fees in the Row", readonly=True)
    gross_amount = fields.Monetary(readonly=True, help="Amount without the fees held in the same row.")
    balance = fields.Monetary(readonly=True)
    raw_values = fields.Text(string="Row as Read", readonly=True)
    fee_type_id = fields.Many2one("omni.settlement.fee.type", readonly=True)
    kind = fields.Selection(KINDS, readonly=True)
    omni_order_id = fields.Many2one("omni.order", string="Platform Order", readonly=True, index=True)
    state = fields.Selection(LINE_STATES, readonly=True)
    create_uid = fields.Many2one(related="settlement_id.create_uid", string="Imported by")
    create_date = fields.Datetime(related="settlement_id.create_date", string="Imported on")
    order_diff = fields.Monetary(
        string="Difference", readonly=True, help="What the platform settled for the order minus what the ledger booked."
    )

    def init(self):
        # Few indexes on purpose: a million lines are COPied at once and every index costs at insert
        # (scripts/bench_settlements.py). A serial number is recorded once per channel: imports of a
        # channel run one after the other (advisory lock) and every other copy is kept as 'duplicate';
        # the channel is the statement's (the serial numbers of two channels hardly ever meet).
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS omni_settlement_line_serial_no ON omni_settlement_line (serial_no);
            DROP INDEX IF EXISTS omni_settlement_line_serial;
            DROP INDEX IF EXISTS omni_settlement_line_order_ref;
            DROP INDEX IF EXISTS omni_settlement_line_serial_once;
            """
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not guard.is_internal(self):
            raise UserError(self.env._("Settlement lines are made by the import only."))
        return super().create(vals_list)

    def write(self, vals):
        if not guard.is_internal(self):
            raise UserError(self.env._("Settlement lines cannot be edited."))
        return super().write(vals)
