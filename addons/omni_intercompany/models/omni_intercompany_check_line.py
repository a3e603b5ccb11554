# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import float_is_zero

from odoo.addons.omni_base.tools import guard

KINDS = [
    ("balance", "Balance"),
    ("transit", "Goods in transit"),
    ("mismatch", "Mismatch"),
]
PROBLEMS = [
    ("balance", "Receivable and payable differ"),
    ("no_bill", "Invoice without vendor bill"),
    ("bill_draft", "Vendor bill not posted"),
    ("amount", "Invoice and vendor bill amounts differ"),
    ("received_more", "Received more than delivered"),
    ("no_invoice", "Vendor bill without invoice"),
    ("invoice_draft", "Invoice not posted"),
]


class OmniIntercompanyCheckLine(models.Model):
    """One finding of the inter-company check of a pair of companies: the
    balance between them per currency, the goods in transit, or a mismatch
    naming the two documents. Stored as facts (problem code, documents,
    amounts) and shown in the reader's language; each check replaces the
    rule's previous lines."""

    _name = "omni.intercompany.check.line"
    _description = "Inter-company check line"
    _order = "rule_id, kind, problem, id"

    rule_id = fields.Many2one(
        "omni.intercompany.rule", string="Inter-company rule", required=True, readonly=True, ondelete="cascade"
    )
    supplier_company_id = fields.Many2one(related="rule_id.supplier_company_id", store=True)
    customer_company_id = fields.Many2one(related="rule_id.customer_company_id", store=True)
    check_date = fields.Date(string="Balance date", readonly=True)
    kind = fields.Selection(KINDS, required=True, readonly=True)
    problem = fields.Selection(PROBLEMS, readonly=True)
    supplier_document = fields.Char(
        string="Supplier's document",
        readonly=True,
        help="The supplier company's document (invoice, sale order) or account.",
    )
    customer_document = fields.Char(
        string="Customer's document",
        readonly=True,
        help="The customer company's document (vendor bill, goods request) or account.",
    )
    product_id = fields.Many2one("product.product", readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    currency_id = fields.Many2one("res.currency", readonly=True)
    supplier_amount = fields.Monetary(
        string="Supplier's amount",
        readonly=True,
        help="Receivable, invoice total, or cost of the goods in transit (supplier company).",
    )
    customer_amount = fields.Monetary(
        string="Customer's amount", readonly=True, help="Payable or vendor bill total (customer company)."
    )
    difference = fields.Monetary(readonly=True)

    @api.model
    def _check_rights(self, rule):
        """Who checks the pair reads both companies' books with their own
        rights: an accountant (billing or read-only) of both companies."""
        user = self.env.user
        companies = rule.supplier_company_id | rule.customer_company_id
        if not (user.has_group("account.group_account_invoice") or user.has_group("account.group_account_readonly")):
            raise AccessError(self.env._("Only accountants check the inter-company balances."))
        if companies - user.company_ids:
            raise AccessError(
                self.env._(
                    "%(rule)s: checking the inter-company balances needs access to both companies.",
                    rule=rule.display_name,
                )
            )

    @api.model
    def _generate(self, rule, date):
        """Check ``rule``'s pair of companies as of ``date`` and store the
        findings (replacing the previous ones); returns the new lines."""
        self._check_rights(rule)
        seller, buyer = rule.supplier_company_id, rule.customer_company_id
        # the caller reads both companies' books with their own rights
        env = self.with_context(allowed_company_ids=(seller | buyer).ids).env
        vals_list = (
            self._balance_vals(env, rule, date)
            + self._transit_vals(env, rule, seller, buyer)
            + self._document_vals(env, rule, seller, buyer)
        )
        for vals in vals_list:
            vals.update(rule_id=rule.id, check_date=date)
        # sudo: the check's own lines of this rule, after the caller's rights
        # were checked above; users read them and never write them
        Lines = self.sudo()
        Lines.search([("rule_id", "=", rule.id)]).unlink()
        return guard.internal(Lines).create(vals_list).with_env(self.env)

    @api.model
    def _balance_vals(self, env, rule, date):
        """Per currency: the supplier's receivable from the customer company
        and the customer's payable to the supplier company (posted, to date)."""
        seller, buyer = rule.supplier_company_id, rule.customer_company_id
        Aml = env["account.move.line"]
        sides = {}
        for company, partner, account_type, sign in (
            (seller, buyer.partner_id, "asset_receivable", 1),
            (buyer, seller.partner_id, "liability_payable", -1),
        ):
            groups = Aml._read_group(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "child_of", partner.id),
                    ("account_id.account_type", "=", account_type),
                    ("parent_state", "=", "posted"),
                    ("date", "<=", date),
                ],
                ["currency_id"],
                ["amount_currency:sum"],
            )
            for currency, amount in groups:
                sides.setdefault(currency, [0.0, 0.0])[0 if sign > 0 else 1] = sign * amount
        vals_list = []
        for currency, (receivable, payable) in sides.items():
            receivable, payable = currency.round(receivable), currency.round(payable)
            differs = currency.compare_amounts(receivable, payable)
            vals_list.append(
                {
                    "kind": "balance",
                    "problem": "balance" if differs else False,
                    "supplier_document": seller.name,
                    "customer_document": buyer.name,
                    "currency_id": currency.id,
                    "supplier_amount": receivable,
                    "customer_amount": payable,
                    "difference": currency.round(receivable - payable),
                }
            )
        return vals_list

    @api.model
    def _transit_vals(self, env, rule, seller, buyer):
        """Goods delivered by the supplier and not yet received by the
        customer, at the supplier's cost; received more than delivered is a
        mismatch."""
        sale_lines = env["sale.order.line"].search(
            [
                ("company_id", "=", seller.id),
                ("omni_ic_purchase_line_id", "!=", False),
                ("omni_ic_purchase_line_id.company_id", "=", buyer.id),
                ("state", "=", "sale"),
            ]
        )
        vals_list = []
        for line in sale_lines:
            po_line = line.omni_ic_purchase_line_id
            received = po_line.product_uom._compute_quantity(po_line.qty_received, line.product_uom)
            in_transit = line.qty_delivered - received
            if float_is_zero(in_transit, precision_rounding=line.product_uom.rounding):
                continue
            qty = line.product_uom._compute_quantity(in_transit, line.product_id.uom_id)
            cost = line.product_id.with_company(seller).standard_price
            vals_list.append(
                {
                    "kind": "transit" if in_transit > 0 else "mismatch",
                    "problem": False if in_transit > 0 else "received_more",
                    "supplier_document": line.order_id.name,
                    "customer_document": po_line.order_id.name,
                    "product_id": line.product_id.id,
                    "quantity": qty,
                    "currency_id": seller.currency_id.id,
                    "supplier_amount": seller.currency_id.round(qty * cost),
                }
            )
        return vals_list

    @api.model
    def _document_vals(self, env, rule, seller, buyer):
        """Every posted inter-company invoice (credit note) has its posted
        vendor bill (credit note) of the same total."""
        invoices = env["account.move"].search(
            [
                ("company_id", "=", seller.id),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
                ("invoice_line_ids.sale_line_ids.omni_ic_purchase_line_id.company_id", "=", buyer.id),
            ],
            order="id",
        )
        bills = env["account.move"].search([("omni_ic_invoice_id", "in", invoices.ids)])
        bill_of = {bill.omni_ic_invoice_id: bill for bill in bills}
        # and every posted vendor bill (credit note) of the requests its posted invoice
        # (the reverse direction, or a bill made by hand)
        unpaired_bills = env["account.move"].search(
            [
                ("company_id", "=", buyer.id),
                ("move_type", "in", ("in_invoice", "in_refund")),
                ("state", "=", "posted"),
                ("invoice_line_ids.purchase_line_id.order_id.omni_ic_rule_id", "=", rule.id),
                "|",
                ("omni_ic_invoice_id", "=", False),
                ("omni_ic_invoice_id", "not in", invoices.ids),
            ],
            order="id",
        )
        vals_list = []
        for invoice in invoices:
            bill = bill_of.get(invoice, bills.browse())
            currency = invoice.currency_id
            vals = {
                "kind": "mismatch",
                "supplier_document": invoice.name,
                "customer_document": bill.name or bill.display_name if bill else False,
                "currency_id": currency.id,
                "supplier_amount": invoice.amount_total,
                "customer_amount": bill.amount_total if bill.state == "posted" else 0.0,
            }
            vals["difference"] = currency.round(vals["supplier_amount"] - vals["customer_amount"])
            if not bill or bill.state == "cancel":
                vals["problem"] = "no_bill"
            elif bill.state == "draft":
                vals["problem"] = "bill_draft"
            elif currency.compare_amounts(invoice.amount_total, bill.amount_total) or bill.currency_id != currency:
                vals["problem"] = "amount"
            else:
                continue
            vals_list.append(vals)
        for bill in unpaired_bills:
            invoice = bill.omni_ic_invoice_id
            currency = bill.currency_id
            vals_list.append(
                {
                    "kind": "mismatch",
                    "problem": "invoice_draft" if invoice.state == "draft" else "no_invoice",
                    "supplier_document": invoice.name or invoice.display_name if invoice else False,
                    "customer_document": bill.name,
                    "currency_id": currency.id,
                    "supplier_amount": 0.0,
                    "customer_amount": bill.amount_total,
                    "difference": currency.round(-bill.amount_total),
                }
            )
        return vals_list

    @api.model
    def _summary(self, lines, rule, date):
        """What the XML-RPC method returns: plain values, no record."""

        def amount(value):
            return float(value or 0.0)

        problems = dict(self._fields["problem"]._description_selection(self.env))
        return {
            "rule": rule.display_name,
            "supplier_company": rule.supplier_company_id.name,
            "customer_company": rule.customer_company_id.name,
            "date": fields.Date.to_string(date),
            "agree": not any(line.problem for line in lines),
            "balances": [
                {
                    "currency": line.currency_id.name,
                    "receivable": amount(line.supplier_amount),
                    "payable": amount(line.customer_amount),
                    "difference": amount(line.difference),
                }
                for line in lines.filtered(lambda ln: ln.kind == "balance")
            ],
            "transit": [
                {
                    "sale_order": line.supplier_document,
                    "purchase_order": line.customer_document,
                    "product": line.product_id.default_code or line.product_id.name,
                    "quantity": line.quantity,
                    "cost": amount(line.supplier_amount),
                    "currency": line.currency_id.name,
                }
                for line in lines.filtered(lambda ln: ln.kind == "transit")
            ],
            "transit_cost": amount(sum(lines.filtered(lambda ln: ln.kind == "transit").mapped("supplier_amount"))),
            "mismatches": [
                {
                    "problem": line.problem,
                    "label": problems[line.problem],
                    "supplier_document": line.supplier_document or "",
                    "customer_document": line.customer_document or "",
                    "product": line.product_id.default_code or line.product_id.name or "",
                    "currency": line.currency_id.name or "",
                    "supplier_amount": amount(line.supplier_amount),
                    "customer_amount": amount(line.customer_amount),
                    "difference": amount(line.difference),
                }
                for line in lines.filtered("problem")
            ],
        }
