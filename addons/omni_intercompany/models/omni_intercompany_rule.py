# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class OmniIntercompanyRule(models.Model):
    """How one company (wholesale) supplies another (retail): a purchase order
    of the customer company to the supplier company's partner is a goods
    request (请货) that becomes a sale order in the supplier company."""

    _name = "omni.intercompany.rule"
    _description = "Inter-company supply rule"
    _order = "supplier_company_id, customer_company_id"

    active = fields.Boolean(default=True)
    supplier_company_id = fields.Many2one(
        "res.company",
        string="Supplier company",
        required=True,
        ondelete="cascade",
        help="The wholesale company: it sells and delivers the requested goods.",
    )
    customer_company_id = fields.Many2one(
        "res.company",
        string="Customer company",
        required=True,
        ondelete="cascade",
        help="The retail company: its purchase orders to the supplier company are goods requests.",
    )
    supplier_partner_id = fields.Many2one(
        related="supplier_company_id.partner_id",
        store=True,
        string="Supplier partner",
        help="The vendor on the customer company's goods requests.",
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Transfer pricelist",
        required=True,
        help="The supplier company's pricelist giving the transfer price of every product it supplies; "
        "a product without a price in it cannot be requested.",
    )
    supplier_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Shipping warehouse",
        required=True,
        help="The supplier company's warehouse that delivers the goods.",
    )
    customer_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Receiving warehouse",
        required=True,
        help="The customer company's warehouse that receives the goods (e.g. the e-commerce main warehouse).",
    )
    auto_confirm = fields.Boolean(
        string="Confirm sale orders automatically",
        default=True,
        help="Confirm the supplier company's sale order as soon as the goods request is confirmed; "
        "otherwise it waits as a quotation for the supplier company to confirm.",
    )

    invoice_direction = fields.Selection(
        [
            ("supplier_invoice", "Supplier's invoice makes the vendor bill"),
            ("customer_bill", "Customer's vendor bill makes the invoice"),
        ],
        string="Inter-company invoicing",
        required=True,
        default="supplier_invoice",
        help="Which side books first. Supplier's invoice: the supplier company's customer invoice (credit "
        "note) of a goods request makes the customer company's vendor bill (credit note). Customer's vendor "
        "bill: the customer company's vendor bill (credit note) makes the supplier company's invoice (credit "
        "note). The other side's documents of the requests are made that way only, never by hand.",
    )
    bill_auto_post = fields.Boolean(
        string="Post mirrored documents automatically",
        default=True,
        help="When one company posts its document of a goods request (the invoice, or the vendor bill in the "
        "reverse direction), the other company's document made from it is posted too; otherwise it waits as a "
        "draft for the other company's accountant.",
    )
    purchase_fiscal_position_id = fields.Many2one(
        "account.fiscal.position",
        string="Bill fiscal position",
        help="The customer company's fiscal position applied to its inter-company vendor bills: it maps the "
        "purchase taxes (matched on the supplier's tax rates) and the accounts.",
    )

    _sql_constraints = [
        (
            "company_pair_unique",
            "unique(supplier_company_id, customer_company_id)",
            "There is already a rule for these two companies.",
        ),
    ]

    @api.depends("supplier_company_id", "customer_company_id")
    def _compute_display_name(self):
        for rule in self:
            rule.display_name = f"{rule.supplier_company_id.name or ''} → {rule.customer_company_id.name or ''}"

    @api.constrains(
        "supplier_company_id",
        "customer_company_id",
        "pricelist_id",
        "supplier_warehouse_id",
        "customer_warehouse_id",
        "purchase_fiscal_position_id",
    )
    def _check_companies(self):
        for rule in self:
            if rule.supplier_company_id == rule.customer_company_id:
                raise ValidationError(self.env._("%(rule)s: a company cannot supply itself.", rule=rule.display_name))
            if rule.pricelist_id.company_id not in (rule.supplier_company_id, self.env["res.company"]):
                raise ValidationError(
                    self.env._(
                        "%(rule)s: the transfer pricelist must belong to the supplier company.",
                        rule=rule.display_name,
                    )
                )
            if rule.supplier_warehouse_id.company_id != rule.supplier_company_id:
                raise ValidationError(
                    self.env._(
                        "%(rule)s: the shipping warehouse must belong to the supplier company.",
                        rule=rule.display_name,
                    )
                )
            if rule.customer_warehouse_id.company_id != rule.customer_company_id:
                raise ValidationError(
                    self.env._(
                        "%(rule)s: the receiving warehouse must belong to the customer company.",
                        rule=rule.display_name,
                    )
                )
        self._check_fiscal_position()

    def _check_fiscal_position(self):
        for rule in self.filtered("purchase_fiscal_position_id"):
            if rule.purchase_fiscal_position_id.company_id != rule.customer_company_id:
                raise ValidationError(
                    self.env._(
                        "%(rule)s: the bill fiscal position must belong to the customer company.",
                        rule=rule.display_name,
                    )
                )

    @api.model
    def _find_for_purchase(self, order):
        """The active rule under which ``order`` is a goods request, or an
        empty recordset (the buyer reads the rules of their own company)."""
        return self._find_for(order.company_id, order.partner_id)

    @api.model
    def _find_for(self, company, partner):
        """The active rule under which ``company`` buys from ``partner``."""
        if not company or not partner:
            return self.browse()
        return self.search(
            [
                ("customer_company_id", "=", company.id),
                ("supplier_partner_id", "=", partner.commercial_partner_id.id),
            ],
            limit=1,
        )

    def action_check(self, date=None):
        """Check the balances between the two companies as of ``date`` (today
        by default): the supplier's receivable equals the customer's payable
        to the cent, the goods in transit at cost, the mismatched documents.
        Stores the findings (menu *Inter-company check*) and returns them as
        plain values (XML-RPC: ``execute_kw(db, uid, pw,
        "omni.intercompany.rule", "action_check", [[rule_id]], {"date": "2026-11-30"})``)."""
        self.ensure_one()
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        Lines = self.env["omni.intercompany.check.line"]
        lines = Lines._generate(self, date)
        return Lines._summary(lines, self, date)

    def action_open_check(self):
        self.ensure_one()
        self.action_check()
        action = self.env["ir.actions.act_window"]._for_xml_id("omni_intercompany.omni_intercompany_check_line_action")
        action["domain"] = [("rule_id", "=", self.id)]
        return action
