# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.omni_base.tools import guard

_logger = logging.getLogger(__name__)

ACCOUNTANT_GROUP = "omni_retail_ledger.group_retail_ledger_accountant"
READER_GROUP = "omni_retail_ledger.group_retail_ledger_reader"
# fields a posted record may still change (everything else is frozen)
POSTED_WRITABLE = {"state", "move_id", "reversal_move_id", "exported_at", "post_error"}
EXPORTABLE_MODELS = ("omni.retail.record", "omni.order", "omni.aftersale")


class OmniRetailRecord(models.Model):
    """Retail record (零售记录): the shipped orders (kind sale) or received
    returns (kind return) of one channel (unit code) on one day, with their
    untaxed amount, tax and total, posted to the company's Retail Ledger
    journal as one entry. Each order and each return is covered once, ever.

    A day has one draft record per channel and kind; documents arriving for
    a day whose record is already posted go to a follow-up record of the same
    day (numbered /2, /3...)."""

    _name = "omni.retail.record"
    _description = "Retail Record"
    _inherit = ["mail.thread"]
    _order = "date desc, unit_code, kind, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    channel_id = fields.Many2one("omni.channel", required=True, index=True, readonly=True, check_company=True)
    unit_code = fields.Char(related="channel_id.code", store=True, string="Unit Code")
    date = fields.Date(required=True, index=True, readonly=True, help="Day of the shipments or receipts.")
    kind = fields.Selection([("sale", "Sale"), ("return", "Return")], required=True, readonly=True, index=True)
    state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted"), ("reversed", "Reversed")],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    line_ids = fields.One2many("omni.retail.record.line", "record_id", string="Documents", readonly=True)
    tax_line_ids = fields.One2many("omni.retail.record.tax", "record_id", string="Taxes", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    document_count = fields.Integer(string="Documents Covered", readonly=True)
    amount_untaxed = fields.Monetary(string="Untaxed", readonly=True)
    amount_tax = fields.Monetary(string="Tax", readonly=True)
    amount_total = fields.Monetary(string="Total", readonly=True)
    amount_cod = fields.Monetary(string="Cash on Delivery", readonly=True, help="Part of the total couriers collect.")
    move_id = fields.Many2one("account.move", string="Journal Entry", readonly=True, copy=False, check_company=True)
    reversal_move_id = fields.Many2one(
        "account.move", string="Reversal Entry", readonly=True, copy=False, check_company=True
    )
    exported_at = fields.Datetime(
        string="Exported to Offline Books", readonly=True, copy=False, index=True, tracking=True
    )
    post_error = fields.Text(readonly=True, copy=False, help="Why the last automatic posting failed.")

    def init(self):
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS omni_retail_record_one_draft
                ON omni_retail_record (company_id, channel_id, date, kind) WHERE state = 'draft';
            CREATE TABLE IF NOT EXISTS omni_retail_generation_lock (
                company_id integer PRIMARY KEY,
                generated_at timestamp without time zone
            );
            """
        )

    # --- protection --------------------------------------------------------
    # A retail record is made by the generation and changed by posting,
    # reversal and the pull API only (guard.internal): create (and so copy)
    # and write from anybody else are refused, whatever the context.
    @api.model_create_multi
    def create(self, vals_list):
        if not guard.is_internal(self):
            raise UserError(self.env._("Retail records are made by the generation only."))
        return super().create(vals_list)

    def write(self, vals):
        business = {f for f in vals if not f.startswith(("message_", "activity_"))}
        if business and not guard.is_internal(self):
            raise UserError(
                self.env._(
                    "%(records)s: a retail record changes only by generation, posting and reversal.",
                    records=", ".join(self.mapped("name")),
                )
            )
        frozen = business - POSTED_WRITABLE
        if frozen and self.filtered(lambda r: r.state != "draft"):
            raise UserError(
                self.env._(
                    "%(records)s: a posted retail record cannot be changed; reverse it instead.",
                    records=", ".join(self.filtered(lambda r: r.state != "draft").mapped("name")),
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        for record in self:
            if record.state != "draft":
                raise UserError(
                    self.env._("%(record)s is posted: it cannot be deleted, only reversed.", record=record.name)
                )

    def unlink(self):
        self._check_ledger_rights()
        return super().unlink()

    @api.model
    def _check_ledger_rights(self):
        if not self.env.su and not self.env.user.has_group(ACCOUNTANT_GROUP):
            raise AccessError(
                self.env._("Only Retail Ledger accountants generate, post, reverse or delete retail records.")
            )

    @api.model
    def _check_reader_rights(self):
        if not self.env.su and not self.env.user.has_group(READER_GROUP):
            raise AccessError(self.env._("Only Retail Ledger readers may pull retail data."))
