# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.omni_base.tools import guard

from ..tools import phone


class OmniCustomerNumber(models.Model):
    """The lookup table of the call centre: every number (and platform buyer
    nickname) a customer is reached under, in canonical form. A caller
    lookup is one index hit on ``key`` (or ``mask_key`` for a masked
    number), never a scan of the partners' phone fields."""

    _name = "omni.customer.number"
    _description = "Customer Number"
    _order = "partner_id, id"
    _rec_name = "key"
    _check_company_auto = True

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True, check_company=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Company of the customer; empty for a customer shared by all companies."
    )
    raw = fields.Char(string="Number or Nickname", required=True, help="As it was entered or received.")
    key = fields.Char(
        string="Lookup Key", required=True, index=True, readonly=True, help="Canonical form: +86..., or nick:..."
    )
    mask_key = fields.Char(index=True, readonly=True, help="A mobile's masked form (138****8000).")
    kind = fields.Selection(
        [
            ("mobile", "Mobile"),
            ("landline", "Landline"),
            ("virtual", "Virtual Number"),
            ("masked", "Masked Number"),
            ("nickname", "Buyer Nickname"),
        ],
        required=True,
        readonly=True,
    )
    source = fields.Selection(
        [("partner", "Contact"), ("order", "Order"), ("manual", "Agent")], default="manual", required=True
    )

    _sql_constraints = [("partner_key_uniq", "unique(partner_id, key)", "This customer already has this number.")]

    @api.model
    def _prepare_vals(self, partner, raw, source, kind=None):
        """Values of a row of ``partner`` for ``raw``; None when ``raw`` is
        no number (a contact's malformed phone is kept on the contact, it is
        only not reachable by lookup)."""
        if kind == "nickname":
            nick = (raw or "").strip()
            if not nick:
                return None
            return {"key": f"nick:{nick.casefold()}", "kind": "nickname", "mask_key": False}
        number = phone.try_parse(raw)
        if not number:
            return None
        return {"key": number.key, "kind": number.kind, "mask_key": number.mask_key or False}

    @api.model_create_multi
    def create(self, vals_list):
        partners = self.env["res.partner"].browse([v["partner_id"] for v in vals_list if v.get("partner_id")])
        company_of = {p.id: p.company_id.id for p in partners}
        for vals in vals_list:
            parsed = self._prepare_vals(None, vals.get("raw"), vals.get("source"), kind=vals.get("kind"))
            if not parsed:
                raise ValidationError(
                    self.env._(
                        "'%(number)s' is no phone number (11-digit mobile, or landline with area code).",
                        number=vals.get("raw") or "",
                    )  # fmt: skip
                )
            vals.update(parsed)
            vals.setdefault("company_id", company_of.get(vals.get("partner_id")) or False)
        # key, kind and mask key are what _prepare_vals parsed from the raw number just now
        return super(OmniCustomerNumber, guard.internal(self)).create(vals_list).with_env(self.env)

    def write(self, vals):
        if "raw" in vals:
            for record in self:
                parsed = self._prepare_vals(None, vals["raw"], record.source, kind=vals.get("kind", record.kind))
                if not parsed:
                    raise ValidationError(
                        self.env._(
                            "'%(number)s' is no phone number (11-digit mobile, or landline with area code).",
                            number=vals["raw"],
                        )  # fmt: skip
                    )
                # key, kind and mask key: parsed from the raw number just now
                super(OmniCustomerNumber, guard.internal(record)).write({**vals, **parsed})
            return True
        return super().write(vals)

    @api.model
    def _create_missing(self, vals_list):
        """Create these rows; a row another transaction filed meanwhile (the
        same customer's orders confirmed by two jobs at once) is skipped
        instead of failing the caller."""
        if not vals_list:
            return self.browse()
        try:
            with self.env.cr.savepoint():
                return self.create(vals_list)
        except IntegrityError:
            created = self.browse()
            for vals in vals_list:
                try:
                    with self.env.cr.savepoint():
                        created |= self.create([vals])
                except IntegrityError:
                    continue
            return created
