# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The invoicing of a return to wholesale: wholesale's credit note at the
transfer prices (retail's vendor credit note follows in account_move.py)."""

from odoo import Command, models
from odoo.exceptions import UserError

from odoo.addons.omni_base.tools import guard


class OmniIntercompanyReturn(models.Model):
    _inherit = "omni.intercompany.return"

    def _transfer_prices(self):
        """{line: transfer price} from the rule's pricelist (wholesale's)."""
        self.ensure_one()
        pricelist = self.rule_id.pricelist_id.with_company(self.company_id)
        prices = {}
        for line in self.line_ids:
            price, rule_id = pricelist._get_product_price_rule(line.product_id, line.quantity or 1.0)
            if not rule_id:
                raise UserError(
                    self.env._(
                        "%(name)s: %(product)s has no transfer price in the pricelist %(pricelist)s.",
                        name=self.name,
                        product=line.product_id.display_name,
                        pricelist=pricelist.display_name,
                    )
                )
            prices[line] = price
        return prices

    def _create_credit_note(self, prices):
        """Wholesale's customer credit note to retail at the transfer prices,
        as a draft for wholesale's accountant; posted, it makes retail's
        vendor credit note (account_move.py)."""
        self.ensure_one()
        partner = self.partner_id
        Move = self.env["account.move"].with_company(self.company_id).with_context(default_move_type="out_refund")
        return guard.internal(Move).create(
            {
                "move_type": "out_refund",
                "partner_id": partner.id,
                # the transfer prices are in the pricelist's currency (as the goods request's sale order)
                "currency_id": self.rule_id.pricelist_id.currency_id.id,
                "invoice_origin": self.name,
                "ref": self.name,
                "omni_ic_return_id": self.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": line.product_id.id,
                            "quantity": line.quantity,
                            "product_uom_id": line.product_uom_id.id,
                            "price_unit": prices[line],
                        }
                    )
                    for line in self.line_ids
                ],
            }
        )
