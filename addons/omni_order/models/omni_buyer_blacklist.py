# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.omni_base.tools import normalize


class OmniBuyerBlacklist(models.Model):
    """Buyers whose orders wait for a person (review rule 'Blacklisted
    buyer'): by phone number, by platform nickname, or both."""

    _name = "omni.buyer.blacklist"
    _description = "Blacklisted Buyer"
    _order = "id desc"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    phone = fields.Char(help="Any way of writing it: +86, spaces and dashes are ignored.")
    phone_key = fields.Char(compute="_compute_phone_key", store=True, index=True)
    buyer_nick = fields.Char(string="Buyer Nickname", index=True)
    reason = fields.Char(required=True)
    active = fields.Boolean(default=True)

    @api.depends("phone")
    def _compute_phone_key(self):
        for entry in self:
            entry.phone_key = normalize.normalize_phone(entry.phone) or False

    @api.constrains("phone", "buyer_nick")
    def _check_something(self):
        for entry in self:
            if not entry.phone_key and not (entry.buyer_nick or "").strip():
                raise ValidationError(self.env._("A blacklist entry needs a phone number or a buyer nickname."))

    @api.depends("phone", "buyer_nick")
    def _compute_display_name(self):
        for entry in self:
            entry.display_name = " / ".join(p for p in (entry.buyer_nick, entry.phone) if p)

    def _find(self, company, phones, nicks):
        """Active entries of ``company`` for these normalised phones or nicknames."""
        domain = [("company_id", "=", company.id)]
        return self.search(
            domain + ["|", ("phone_key", "in", [p for p in phones if p]), ("buyer_nick", "in", [n for n in nicks if n])]
        )
