# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from odoo.addons.omni_channel.tools import guard

from ..tools import phone

RESULT_LIMIT = 80


class OmniCallerSearch(models.TransientModel):
    """The agent's search screen: one box for a phone number, a name, a
    platform order number or a tracking number."""

    _name = "omni.caller.search"
    _description = "Find a Customer"

    query = fields.Char(string="Phone, Name, Order or Tracking No.")
    partner_ids = fields.Many2many("res.partner", string="Customers", readonly=True)
    message = fields.Char(readonly=True)
    can_create = fields.Boolean(readonly=True)

    @api.model
    def _find_partners(self, query):
        """(customers, message): by number (lookup table), platform order
        number, tracking number, then name."""
        query = (query or "").strip()
        if not query:
            return self.env["res.partner"], self.env._("Type a phone, a name, an order or a tracking number.")
        number = phone.try_parse(query)
        if number:
            found = self.env["res.partner"].omni_lookup_caller(query)
            return self.env["res.partner"].browse([c["id"] for c in found["customers"]]), False
        orders = self.env["omni.order"].search([("platform_order_no", "=", query)], limit=RESULT_LIMIT)
        if orders:
            return orders.mapped(lambda o: o._omni_customer()), False
        pickings = self.env["stock.picking"].search([("carrier_tracking_ref", "=", query)], limit=RESULT_LIMIT)
        if pickings:
            return pickings.sale_id.partner_id.commercial_partner_id | pickings.partner_id.commercial_partner_id, False
        partners = self.env["res.partner"].search(
            [("name", "ilike", query), ("is_company", "=", False), ("parent_id", "=", False)], limit=RESULT_LIMIT
        )
        return partners, False

    def action_search(self):
        self.ensure_one()
        partners, message = self._find_partners(self.query)
        number = phone.try_parse(self.query or "")
        if not partners and not message:
            message = self.env._("Nobody found for '%(query)s'.", query=self.query)
        elif len(partners) > 1 and number:
            message = self.env._("Several customers share this number: ask the caller who is speaking.")
        guard.internal(self).write(
            {
                "partner_ids": [fields.Command.set(partners.ids)],
                "message": message,
                "can_create": not partners and bool(number) and number.kind in ("mobile", "landline"),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_create_customer(self):
        self.ensure_one()
        number = phone.try_parse(self.query or "")
        partner = self.env["res.partner"].create(
            {
                "name": self.env._("Caller %(number)s", number=self.query),
                "phone": self.query if number else False,
                "company_id": self.env.company.id,
            }
        )
        return partner.action_omni_open_card()
