# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.omni_base.tools import guard


class OmniRetailRecordLine(models.Model):
    """One document a retail record covers: a shipped channel sale order
    (kind sale) or a received after-sales order (kind return). A document is
    covered at most once: two partial unique indexes (one per kind, on the
    lines not released by a reversal) make a second line for it impossible,
    even from concurrent transactions."""

    _name = "omni.retail.record.line"
    _description = "Retail Record Line"
    _order = "record_id, id"
    _check_company_auto = True

    record_id = fields.Many2one("omni.retail.record", required=True, ondelete="cascade", index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    kind = fields.Selection([("sale", "Sale"), ("return", "Return")], required=True, readonly=True)
    sale_order_id = fields.Many2one("sale.order", index=True, readonly=True, check_company=True)
    aftersale_id = fields.Many2one(
        "omni.aftersale", string="After-sales Order", index=True, readonly=True, check_company=True
    )
    reference = fields.Char(readonly=True, help="Platform order number (and refund number for returns).")
    document_at = fields.Datetime(string="Shipped / Received At", readonly=True)
    # a plain field (set by the generation), not a related one: monetary values are rounded with it at
    # insert, and a related field computed per line made creating 50,000 lines several times slower
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount_untaxed = fields.Monetary(string="Untaxed", readonly=True)
    amount_tax = fields.Monetary(string="Tax", readonly=True)
    amount_total = fields.Monetary(string="Total", readonly=True)
    is_cod = fields.Boolean(string="Cash on Delivery", readonly=True)
    courier_code = fields.Char(readonly=True, help="Courier of the delivery (collects cash on delivery).")
    released = fields.Boolean(
        readonly=True,
        help="The record was reversed: this document is free to be covered by a new record.",
    )

    def init(self):
        # exactly once: a document is covered by one live line, whatever runs concurrently
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS omni_retail_record_line_sale_once
                ON omni_retail_record_line (sale_order_id) WHERE kind = 'sale' AND released IS NOT TRUE;
            CREATE UNIQUE INDEX IF NOT EXISTS omni_retail_record_line_return_once
                ON omni_retail_record_line (aftersale_id) WHERE kind = 'return' AND released IS NOT TRUE;
            """
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not guard.is_internal(self):
            raise UserError(self.env._("Retail record lines are made by the generation only."))
        return super().create(vals_list)

    def write(self, vals):
        # released frees the document for a new record: the reversal only
        if set(vals) - {"released"} or not guard.is_internal(self):
            raise UserError(self.env._("Retail record lines cannot be edited."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        # deleting a line would free its document for a second record (a record is deleted as a whole)
        if not guard.is_internal(self):
            raise UserError(self.env._("Retail record lines cannot be deleted; delete the draft record instead."))
