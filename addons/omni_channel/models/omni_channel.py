# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

UNIT_CODE_PATTERN = re.compile(r"^[A-Z0-9_-]+$")

PLATFORMS = [
    ("tmall", "Tmall"),
    ("taobao", "Taobao"),
    ("jd", "JD"),
    ("pinduoduo", "Pinduoduo"),
    ("douyin", "Douyin"),
    ("weimob", "Weimob"),
    ("youzan", "Youzan"),
    ("webshop", "Web shop"),
    ("call_center", "Call centre"),
    ("store", "Store"),
    ("other", "Other"),
]


class OmniChannel(models.Model):
    """A sales channel: one marketplace store, the web shop, the call centre
    or a physical store. Its unit code marks every order, delivery, return and
    ledger line as belonging to it; all online channels of a company ship from
    one warehouse, so the unit code, not a warehouse, says whose it is."""

    _name = "omni.channel"
    _description = "Sales Channel"
    _order = "company_id, sequence, code"
    _check_company_auto = True
    _rec_names_search = ["name", "code"]

    name = fields.Char(required=True, help="Name of the store, e.g. 'Tmall flagship'.")
    code = fields.Char(
        string="Unit Code",
        required=True,
        size=32,
        index=True,
        help="Short code that marks every order, delivery, return and ledger "
        "line of this channel. Unique in the company; upper-case letters, "
        "digits, '-' and '_' (lower case is turned into upper case).",
    )
    platform = fields.Selection(PLATFORMS, required=True, default="other")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Shipping Warehouse",
        check_company=True,
        compute="_compute_warehouse_id",
        store=True,
        readonly=False,
        precompute=True,
        help="Warehouse this channel's orders ship from; usually the one "
        "e-commerce main warehouse shared by all online channels.",
    )
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    note = fields.Text(string="Notes")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(company_id, code)",
            "The unit code of a channel must be unique in its company.",
        ),
    ]

    @api.depends("company_id")
    def _compute_warehouse_id(self):
        # default: the company's first warehouse (kept when it already fits)
        companies = self.company_id
        warehouses = self.env["stock.warehouse"].search([("company_id", "in", companies.ids)])
        first_by_company = {}
        for warehouse in warehouses:
            first_by_company.setdefault(warehouse.company_id.id, warehouse)
        for channel in self:
            if channel.warehouse_id.company_id != channel.company_id:
                channel.warehouse_id = first_by_company.get(channel.company_id.id, False)

    @api.depends("name", "code")
    def _compute_display_name(self):
        for channel in self:
            channel.display_name = f"[{channel.code}] {channel.name}" if channel.code else channel.name

    @api.model
    def _normalize_code(self, code):
        return code.strip().upper() if isinstance(code, str) else code

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "code" in vals:
                vals["code"] = self._normalize_code(vals["code"])
        default_company = self.env.company.id
        self.browse().check_access("create")  # the rights first: the check below must not answer anybody else
        self._check_codes_free([(vals.get("company_id") or default_company, vals.get("code")) for vals in vals_list])
        return super().create(vals_list)

    def write(self, vals):
        if "code" in vals:
            vals = dict(vals, code=self._normalize_code(vals["code"]))
        if "code" in vals or "company_id" in vals:
            self.check_access("write")
            self._check_codes_free(
                [(vals.get("company_id") or c.company_id.id, vals.get("code") or c.code) for c in self],
                exclude=self,
            )
        return super().write(vals)

    @api.constrains("code")
    def _check_code_format(self):
        for channel in self:
            if not UNIT_CODE_PATTERN.match(channel.code or ""):
                raise ValidationError(
                    self.env._(
                        "Unit code '%(code)s' of channel '%(name)s' may only hold "
                        "upper-case letters, digits, '-' and '_'.",
                        code=channel.code,
                        name=channel.name,
                    )
                )

    @api.model
    def _check_codes_free(self, company_code_pairs, exclude=None):
        """Refuse unit codes already used in their company (archived channels
        included, and twice in one batch) with a message naming the code, the
        company and the channel holding it. Runs before the INSERT/UPDATE: the
        SQL constraint stays the guarantee under concurrency, this check gives
        the clear message.

        Nothing of a company the user may not work in is disclosed: a
        company outside the user's allowed companies is refused first
        (without looking at its channels), and the holder is searched with
        the user's own rights; a holder the user cannot read gives a message
        that names nothing."""
        pairs = [(company_id, code) for company_id, code in company_code_pairs if code]
        if not pairs:
            return
        company_ids = {company_id for company_id, _code in pairs}
        if not self.env.su and company_ids - set(self.env.companies.ids):
            raise AccessError(self.env._("You may only make or move channels in your allowed companies."))
        companies = self.env["res.company"].browse(company_ids)
        seen = set()
        for company_id, code in pairs:
            if (company_id, code) in seen:
                raise ValidationError(
                    self.env._(
                        "Unit code '%(code)s' is given twice for company '%(company)s'.",
                        code=code,
                        company=companies.browse(company_id).name,
                    )
                )
            seen.add((company_id, code))
        domain = [
            ("code", "in", list({code for _company, code in pairs})),
            ("company_id", "in", companies.ids),
        ]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        holders = self.with_context(active_test=False).search(domain)
        holder_by_key = {(h.company_id.id, h.code): h for h in holders}
        for key in pairs:
            holder = holder_by_key.get(key)
            if holder:
                raise ValidationError(
                    self.env._(
                        "Unit code '%(code)s' is already used by channel '%(other)s' in company '%(company)s'.",
                        code=holder.code,
                        other=holder.name,
                        company=holder.company_id.name,
                    )
                )
        # a holder hidden from this user (e.g. by another addon's rule): the SQL constraint refuses it
        # with its generic message, which names no channel

    @api.model
    def _get_by_code(self, code, company=None):
        """Channel of the given unit code in ``company`` (default: the current
        one); raises a ValidationError naming the code when there is none."""
        company = company or self.env.company
        channel = self.search([("code", "=", self._normalize_code(code)), ("company_id", "=", company.id)], limit=1)
        if not channel:
            raise ValidationError(
                self.env._(
                    "No channel with unit code '%(code)s' in company '%(company)s'.",
                    code=code,
                    company=company.name,
                )
            )
        return channel
