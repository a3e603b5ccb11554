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
            rule.display_name = f"{rule.supplier_company_id.name} → {rule.customer_company_id.name}"

    @api.constrains(
        "supplier_company_id", "customer_company_id", "pricelist_id", "supplier_warehouse_id", "customer_warehouse_id"
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

    @api.model
    def _find_for_purchase(self, order):
        """The active rule under which ``order`` is a goods request, or an
        empty recordset (the buyer reads the rules of their own company)."""
        partner = order.partner_id.commercial_partner_id
        return self.search(
            [
                ("customer_company_id", "=", order.company_id.id),
                ("supplier_partner_id", "=", partner.id),
            ],
            limit=1,
        )
