# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.omni_base.tools import guard


class AccountMove(models.Model):
    _inherit = "account.move"

    omni_ic_return_id = fields.Many2one(
        "omni.intercompany.return",
        string="Return to wholesale",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The return to wholesale (申请退货) this credit note is for.",
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        credit_notes = posted.filtered(lambda m: m.move_type == "out_refund" and m.omni_ic_return_id.side == "supplier")
        if credit_notes:
            credit_notes._omni_ic_return_mirror_credit_notes()
        return posted

    def _omni_ic_return_mirror_credit_notes(self):
        """Make retail's vendor credit note of each posted credit note of a
        return to wholesale, once, like omni_intercompany's invoice -> bill
        mirror (same lines and prices, retail's own purchase taxes)."""
        # one credit note makes one vendor credit note: two postings at once wait
        # here for each other and the second sees the first's (a unique index backs it)
        self.env.cr.execute(SQL("SELECT id FROM account_move WHERE id IN %s FOR UPDATE", tuple(self.ids)))
        done = set(self._omni_ic_bills().omni_ic_invoice_id.ids)
        for credit_note in self.filtered(lambda m: m.id not in done):
            wholesale_request = credit_note.omni_ic_return_id
            rule = wholesale_request.rule_id
            # sudo: retail's request of this inter-company return, and its vendor
            # credit note made here; the wholesale accountant has no rights in retail
            retail_request = wholesale_request.sudo().counterpart_id
            vals = credit_note._prepare_omni_ic_bill_vals(rule, self.env["purchase.order"])
            vals.update({"invoice_origin": retail_request.name, "omni_ic_return_id": retail_request.id})
            bill = credit_note._omni_ic_create_mirror(
                vals,
                rule.customer_company_id,
                rule,
                lambda credit_note, bill: (
                    self.env._(
                        "Made from %(company)s's %(credit_note)s (return to wholesale %(request)s).",
                        company=credit_note.company_id.name,
                        credit_note=credit_note.name,
                        request=bill.omni_ic_return_id.name,
                    ),
                    self.env._(
                        "Credited to %(company)s as %(bill)s (return to wholesale %(request)s).",
                        company=bill.company_id.name,
                        bill=bill.name or bill.display_name,
                        request=credit_note.omni_ic_return_id.name,
                    ),
                ),
            )
            guard.internal(retail_request).write({"credit_note_id": bill.id})
