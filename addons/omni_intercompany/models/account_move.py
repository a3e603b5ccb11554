# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare

from odoo.addons.omni_base.tools import guard

# the supplier company's document -> the customer company's mirror
MIRROR_TYPES = {"out_invoice": "in_invoice", "out_refund": "in_refund"}


class AccountMove(models.Model):
    _inherit = "account.move"

    omni_ic_invoice_id = fields.Many2one(
        "account.move",
        string="Supplier's invoice",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The supplier company's customer invoice or credit note this vendor bill mirrors (inter-company).",
    )
    omni_ic_counterpart_ref = fields.Char(
        string="Inter-company counterpart",
        compute="_compute_omni_ic_counterpart_ref",
        help="The other company's document of this inter-company invoice: the vendor bill it made, "
        "or the invoice it was made from.",
    )

    _sql_constraints = [
        (
            "omni_ic_invoice_unique",
            "unique(omni_ic_invoice_id)",
            "An inter-company invoice makes one vendor bill.",
        ),
    ]

    def _compute_omni_ic_counterpart_ref(self):
        # sudo: the counterpart belongs to the other company; only its number is
        # shown, and only for the inter-company documents linked to these moves
        Move = self.sudo()
        bills = Move.search([("omni_ic_invoice_id", "in", self.ids)]) if self.ids else Move
        bill_of = {bill.omni_ic_invoice_id.id: bill for bill in bills}
        for move in self:
            counterpart = bill_of.get(move._origin.id) or move.sudo().omni_ic_invoice_id
            move.omni_ic_counterpart_ref = counterpart and (counterpart.name or counterpart.display_name)

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        invoices = posted.filtered(
            lambda m: m.move_type in MIRROR_TYPES
            and m.invoice_line_ids.sale_line_ids.order_id.omni_ic_purchase_order_id
        )
        if invoices:
            invoices._omni_ic_mirror_bills()
        return posted

    def button_draft(self):
        mirrored = self._omni_ic_bills()
        if mirrored:
            invoice = mirrored[:1].omni_ic_invoice_id
            raise UserError(
                self.env._(
                    "%(invoice)s was billed to %(company)s as %(bill)s: it is not reset to draft alone. "
                    "Issue a credit note instead; it is billed to %(company)s the same way.",
                    invoice=invoice.name,
                    company=mirrored[:1].company_id.name,
                    bill=mirrored[:1].name or mirrored[:1].display_name,
                )
            )
        return super().button_draft()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_omni_ic_bill(self):
        """A mirrored bill stays, even as a draft: deleted, the supplier's
        invoice would have no counterpart and could not be billed again; a
        cancelled bill keeps the trace and the check lists it."""
        for bill in self.filtered("omni_ic_invoice_id"):
            raise UserError(
                self.env._(
                    "%(bill)s was made from %(invoice)s of %(company)s (inter-company): it is not deleted. "
                    "Cancel it if it must not count.",
                    bill=bill.name or bill.display_name,
                    invoice=bill.sudo().omni_ic_invoice_id.name,
                    company=bill.sudo().omni_ic_invoice_id.company_id.name,
                )
            )

    def _omni_ic_bills(self):
        """The vendor bills that mirror these invoices. sudo: they belong to the
        customer company; the caller gets these inter-company bills only."""
        if not self.ids:
            return self.sudo().browse()
        return self.sudo().search([("omni_ic_invoice_id", "in", self.ids)])

    def _omni_ic_mirror_bills(self):
        """Make the customer company's vendor bill (credit note) of each posted
        inter-company invoice (credit note), once.

        The caller has posted these invoices with their own rights in the
        supplier company; they have none in the customer company. The bill is
        checked entirely first (taxes of the customer company for every line),
        so a refusal stops the invoice's posting too: never one side alone."""
        # one invoice makes one bill: two postings at once wait here for each
        # other and the second sees the first's bill (a unique index backs it)
        self.env.cr.execute(SQL("SELECT id FROM account_move WHERE id IN %s FOR UPDATE", tuple(self.ids)))
        done = set(self._omni_ic_bills().omni_ic_invoice_id.ids)
        for invoice in self.filtered(lambda m: m.id not in done):
            # sudo: the goods requests and the rule belong to the customer
            # company; read here are those of this invoice's sale orders only
            requests = invoice.invoice_line_ids.sale_line_ids.order_id.omni_ic_purchase_order_id.sudo()
            rule = requests.omni_ic_rule_id[:1]
            if len(requests.company_id) > 1 or not rule:
                raise UserError(
                    self.env._(
                        "%(invoice)s invoices goods requests of several companies; invoice each company apart.",
                        invoice=invoice.name,
                    )
                )
            vals = invoice._prepare_omni_ic_bill_vals(rule, requests)
            buyer = rule.customer_company_id
            # sudo: the supplier's accountant has no rights in the customer
            # company; used on the mirrored bill of this invoice only
            Bill = self.env["account.move"].sudo().with_company(buyer).with_context(default_move_type=vals["move_type"])
            bill = guard.internal(Bill).create(vals)
            if rule.bill_auto_post:
                bill.action_post()
            bill.message_post(
                body=self.env._(
                    "Made from %(company)s's %(invoice)s (inter-company).",
                    company=invoice.company_id.name,
                    invoice=invoice.name,
                )
            )
            invoice.message_post(
                body=self.env._(
                    "Billed to %(company)s as %(bill)s (inter-company).",
                    company=buyer.name,
                    bill=bill.name or bill.display_name,
                )
            )

    def _omni_ic_map_taxes(self, taxes, rule):
        """The customer company's purchase taxes for the supplier's ``taxes``:
        the same kind and rate, then the rule's fiscal position; a tax without
        counterpart refuses the invoice, naming it."""
        buyer = rule.customer_company_id
        # sudo: the customer company's taxes, read to build its mirrored bill only
        candidates = (
            self.env["account.tax"]
            .sudo()
            .with_company(buyer)
            .search([("company_id", "=", buyer.id), ("type_tax_use", "=", "purchase")])
        )
        candidates = buyer.sudo().account_purchase_tax_id | candidates
        mapped = candidates.browse()
        for tax in taxes:
            match = candidates.filtered(
                lambda t, tax=tax: t.amount_type == tax.amount_type
                and not float_compare(t.amount, tax.amount, precision_digits=4)
                and t.price_include == tax.price_include
                and t.amount_type != "group"
            )[:1]
            if not match:
                raise UserError(
                    self.env._(
                        "%(invoice)s: %(company)s has no purchase tax like %(tax)s for its vendor bill; "
                        "create one, or map the tax with the inter-company rule's fiscal position.",
                        invoice=self.name,
                        company=buyer.name,
                        tax=tax.name,
                    )
                )
            mapped |= match
        fiscal_position = rule.sudo().purchase_fiscal_position_id
        return fiscal_position.map_tax(mapped) if fiscal_position else mapped

    def _prepare_omni_ic_bill_vals(self, rule, requests):
        """The customer company's vendor bill (credit note) of this invoice: the
        same lines, quantities, prices and currency, its own taxes and accounts."""
        self.ensure_one()
        lines = []
        for line in self.invoice_line_ids:
            if line.display_type in ("line_section", "line_note"):
                lines.append(Command.create({"display_type": line.display_type, "name": line.name}))
                continue
            po_line = line.sale_line_ids.omni_ic_purchase_line_id.sudo()[:1]
            lines.append(
                Command.create(
                    {
                        "name": line.name,
                        "product_id": line.product_id.id,
                        "product_uom_id": line.product_uom_id.id,
                        "quantity": line.quantity,
                        "price_unit": line.price_unit,
                        "discount": line.discount,
                        "tax_ids": [Command.set(self._omni_ic_map_taxes(line.tax_ids, rule).ids)],
                        "purchase_line_id": po_line.id,
                    }
                )
            )
        # a credit note reverses the bill of the invoice it reverses
        reversed_bill = self.reversed_entry_id._omni_ic_bills()[:1]
        vals = {
            "move_type": MIRROR_TYPES[self.move_type],
            "company_id": rule.customer_company_id.id,
            "partner_id": rule.supplier_partner_id.id,
            "currency_id": self.currency_id.id,
            "invoice_date": self.invoice_date,
            "invoice_date_due": self.invoice_date_due,
            "invoice_payment_term_id": False,
            "ref": self.name,
            "payment_reference": self.payment_reference or self.name,
            "invoice_origin": ", ".join(requests.mapped("name")),
            "reversed_entry_id": reversed_bill.id,
            "omni_ic_invoice_id": self.id,
            "invoice_line_ids": lines,
        }
        if rule.purchase_fiscal_position_id:
            vals["fiscal_position_id"] = rule.purchase_fiscal_position_id.id
        return vals
