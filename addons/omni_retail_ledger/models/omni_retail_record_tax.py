# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.omni_base.tools import guard


class OmniRetailRecordTax(models.Model):
    """Tax of a retail record, per tax: the base it applies to and its
    amount, summed over the covered orders (each order's tax split per tax
    so that it adds up to the order's own tax to the cent)."""

    _name = "omni.retail.record.tax"
    _description = "Retail Record Tax"
    _order = "record_id, tax_id"
    _check_company_auto = True

    record_id = fields.Many2one("omni.retail.record", required=True, ondelete="cascade", index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    tax_id = fields.Many2one("account.tax", required=True, readonly=True, check_company=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    base = fields.Monetary(readonly=True)
    amount = fields.Monetary(readonly=True)

    _sql_constraints = [("record_tax_uniq", "unique(record_id, tax_id)", "One row per tax and retail record.")]

    # the taxes are posted as they are: made and summed by the generation only
    @api.model_create_multi
    def create(self, vals_list):
        if not guard.is_internal(self):
            raise UserError(self.env._("Retail record taxes are made by the generation only."))
        return super().create(vals_list)

    def write(self, vals):
        if not guard.is_internal(self):
            raise UserError(self.env._("Retail record taxes cannot be edited."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if not guard.is_internal(self):
            raise UserError(self.env._("Retail record taxes cannot be deleted; delete the draft record instead."))
