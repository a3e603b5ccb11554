# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare

from odoo.addons.omni_base.tools import guard

# the supplier company's document -> the customer company's mirror
MIRROR_TYPES = {"out_invoice": "in_invoice", "out_refund": "in_refund"}
# the customer company's document -> the supplier company's mirror (reverse direction)
REVERSE_TYPES = {value: key for key, value in MIRROR_TYPES.items()}


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
        self._omni_ic_check_not_by_hand()
        posted = super()._post(soft=soft)
        invoices = posted.filtered(
            lambda m: m.move_type in MIRROR_TYPES and m._omni_ic_rule().invoice_direction == "supplier_invoice"
        )
        if invoices:
            invoices._omni_ic_mirror_bills()
        bills = posted.filtered(
            lambda m: m.move_type in REVERSE_TYPES and m._omni_ic_rule().invoice_direction == "customer_bill"
        )
        if bills:
            bills._omni_ic_mirror_invoices()
        return posted

    def _omni_ic_requests(self):
        """The goods requests this invoice (through its sale order lines) or
        vendor bill (through its purchase order lines) is about. sudo: the
        requests belong to the customer company; read are those of this
        document's lines only."""
        self.ensure_one()
        if self.move_type in MIRROR_TYPES:
            return self.invoice_line_ids.sale_line_ids.order_id.omni_ic_purchase_order_id.sudo()
        if self.move_type in REVERSE_TYPES:
            return self.invoice_line_ids.purchase_line_id.order_id.sudo().filtered("omni_ic_rule_id")
        return self.env["purchase.order"].sudo()

    def _omni_ic_rule(self):
        """The inter-company rule of this document's goods requests (empty if
        none); the rule is read as superuser, like the requests."""
        return self._omni_ic_requests().omni_ic_rule_id[:1]

    def _omni_ic_check_not_by_hand(self):
        """Where a rule mirrors one side's documents, the other side's are made
        from them only: a document posted by hand would book the goods twice."""
        for move in self.filtered(lambda m: m.move_type in MIRROR_TYPES or m.move_type in REVERSE_TYPES):
            rule = move._omni_ic_rule()
            if not rule:
                continue
            requests = move._omni_ic_requests()
            # sudo: the other company's name, for the message only
            if move.move_type in MIRROR_TYPES and rule.invoice_direction == "customer_bill":
                if not move._omni_ic_bills():
                    raise UserError(
                        self.env._(
                            "%(invoice)s invoices the goods request %(order)s of %(company)s, whose inter-company "
                            "rule makes the invoices from %(company)s's vendor bills: it is not invoiced by hand.",
                            invoice=move.name or move.display_name,
                            order=", ".join(requests.mapped("name")),
                            company=rule.sudo().customer_company_id.name,
                        )
                    )
            elif move.move_type in REVERSE_TYPES and rule.invoice_direction == "supplier_invoice":
                if not move.omni_ic_invoice_id:
                    raise UserError(
                        self.env._(
                            "%(bill)s bills the goods request %(order)s, whose vendor bills are made from "
                            "%(company)s's invoices (inter-company rule): it is not billed by hand.",
                            bill=move.name or move.display_name,
                            order=", ".join(requests.mapped("name")),
                            company=rule.sudo().supplier_company_id.name,
                        )
                    )

    def button_draft(self):
        mirrored = self._omni_ic_bills()
        if mirrored and mirrored[:1]._omni_ic_rule().invoice_direction == "customer_bill":
            invoice = mirrored[:1].omni_ic_invoice_id
            raise UserError(
                self.env._(
                    "%(invoice)s was made from %(company)s's vendor bill %(bill)s: it is not reset to draft alone. "
                    "%(company)s issues a credit note of its bill; it makes the credit note here.",
                    invoice=invoice.name,
                    company=mirrored[:1].company_id.name,
                    bill=mirrored[:1].name or mirrored[:1].display_name,
                )
            )
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
        sources = self.filtered(
            lambda m: m.move_type in REVERSE_TYPES
            and m.omni_ic_invoice_id
            and m._omni_ic_rule().invoice_direction == "customer_bill"
        )
        for bill in sources[:1]:
            # sudo: the supplier company's invoice number and name, for the message only
            invoice = bill.sudo().omni_ic_invoice_id
            raise UserError(
                self.env._(
                    "%(bill)s made %(company)s's invoice %(invoice)s: it is not reset to draft alone. "
                    "Issue a credit note instead; it makes %(company)s's credit note the same way.",
                    bill=bill.name,
                    company=invoice.company_id.name,
                    invoice=invoice.name or invoice.display_name,
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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_omni_ic_invoice(self):
        """An invoice made from a vendor bill (reverse direction) stays too."""
        for bill in self._omni_ic_bills()[:1]:
            invoice = bill.omni_ic_invoice_id
            raise UserError(
                self.env._(
                    "%(invoice)s is the inter-company counterpart of %(bill)s of %(company)s: it is not deleted. "
                    "Cancel it if it must not count.",
                    invoice=invoice.name or invoice.display_name,
                    bill=bill.name or bill.display_name,
                    company=bill.company_id.name,
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
            invoice._omni_ic_create_mirror(
                invoice._prepare_omni_ic_bill_vals(rule, requests),
                rule.customer_company_id,
                rule,
                lambda invoice, bill: (
                    self.env._(
                        "Made from %(company)s's %(invoice)s (inter-company).",
                        company=invoice.company_id.name,
                        invoice=invoice.name,
                    ),
                    self.env._(
                        "Billed to %(company)s as %(bill)s (inter-company).",
                        company=bill.company_id.name,
                        bill=bill.name or bill.display_name,
                    ),
                ),
            )

    def _omni_ic_create_mirror(self, vals, company, rule, messages, link_back=False):
        """Make ``company``'s mirror of this posted document from ``vals``
        (the other company's bill, invoice or credit note), post it when the
        inter-company ``rule`` says so, and say on each side what was made from
        what: ``messages(self, mirror)`` gives (the mirror's message, this
        document's message), built once the mirror has its number.

        ``link_back``: this document points at its mirror
        (``omni_ic_invoice_id``, the reverse direction), written before the
        mirror is posted since its posting checks that it was made from a bill.
        Returns the mirror."""
        self.ensure_one()
        # sudo: the poster of this document has no rights in the other
        # company; used on the mirror of this document only
        Move = self.env["account.move"].sudo().with_company(company).with_context(default_move_type=vals["move_type"])
        mirror = guard.internal(Move).create(vals)
        if link_back:
            guard.internal(self).write({"omni_ic_invoice_id": mirror.id})
        if rule.bill_auto_post:
            mirror.action_post()
        mirror_message, own_message = messages(self, mirror)
        mirror.message_post(body=mirror_message)
        self.message_post(body=own_message)
        return mirror

    def _omni_ic_map_taxes(self, taxes, rule, to_invoice=False, preferred=None):
        """The other company's taxes for this document's ``taxes``: the same
        kind and rate, the customer company's purchase taxes then the rule's
        fiscal position for a bill, the supplier company's sale taxes (those
        of the sale order line first) for an invoice made from a bill; a tax
        without counterpart refuses the document, naming it."""
        company = rule.supplier_company_id if to_invoice else rule.customer_company_id
        use = "sale" if to_invoice else "purchase"
        default = company.sudo().account_sale_tax_id if to_invoice else company.sudo().account_purchase_tax_id
        # sudo: the other company's taxes, read to build its mirrored document only
        candidates = (
            self.env["account.tax"]
            .sudo()
            .with_company(company)
            .search([("company_id", "=", company.id), ("type_tax_use", "=", use)])
        )
        candidates = (preferred or candidates.browse()).sudo() | default | candidates
        mapped = candidates.browse()
        for tax in taxes:
            match = candidates.filtered(
                lambda t, tax=tax: t.amount_type == tax.amount_type
                and not float_compare(t.amount, tax.amount, precision_digits=4)
                and t.price_include == tax.price_include
                and t.amount_type != "group"
            )[:1]
            if not match and to_invoice:
                raise UserError(
                    self.env._(
                        "%(bill)s: %(company)s has no sale tax like %(tax)s for its invoice; create one.",
                        bill=self.name,
                        company=company.sudo().name,
                        tax=tax.name,
                    )
                )
            if not match:
                raise UserError(
                    self.env._(
                        "%(invoice)s: %(company)s has no purchase tax like %(tax)s for its vendor bill; "
                        "create one, or map the tax with the inter-company rule's fiscal position.",
                        invoice=self.name,
                        company=company.sudo().name,
                        tax=tax.name,
                    )
                )
            mapped |= match
        fiscal_position = rule.sudo().purchase_fiscal_position_id
        return fiscal_position.map_tax(mapped) if fiscal_position and not to_invoice else mapped

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

    def _omni_ic_mirror_invoices(self):
        """The reverse direction: make the supplier company's customer invoice
        (credit note) of each posted inter-company vendor bill (credit note),
        once, linked to the sale order lines.

        The caller has posted these bills with their own rights in the
        customer company; they have none in the supplier company. The invoice
        is checked entirely first (the supplier's sale taxes for every line),
        so a refusal stops the bill's posting too: never one side alone."""
        # one bill makes one invoice: two postings at once wait here for each
        # other and the second sees the first's invoice (a unique index backs it)
        self.env.cr.execute(SQL("SELECT id FROM account_move WHERE id IN %s FOR UPDATE", tuple(self.ids)))
        self.invalidate_recordset(["omni_ic_invoice_id"])
        for bill in self.filtered(lambda m: not m.omni_ic_invoice_id):
            requests = bill._omni_ic_requests()
            rule = requests.omni_ic_rule_id
            if len(rule) > 1:
                raise UserError(
                    self.env._(
                        "%(bill)s bills goods requests of several companies; bill each company apart.",
                        bill=bill.name,
                    )
                )
            bill._omni_ic_create_mirror(
                bill._prepare_omni_ic_invoice_vals(rule, requests),
                rule.supplier_company_id,
                rule,
                lambda bill, invoice: (
                    self.env._(
                        "Made from %(company)s's %(bill)s (inter-company).",
                        company=bill.company_id.name,
                        bill=bill.name,
                    ),
                    self.env._(
                        "Invoiced by %(company)s as %(invoice)s (inter-company).",
                        company=invoice.company_id.name,
                        invoice=invoice.name or invoice.display_name,
                    ),
                ),
                link_back=True,
            )

    def _prepare_omni_ic_invoice_vals(self, rule, requests):
        """The supplier company's customer invoice (credit note) of this vendor
        bill: the same lines, quantities, prices and currency, linked to the
        sale order lines, with the supplier's own sale taxes and accounts."""
        self.ensure_one()
        # sudo: the supplier company's sale order lines of these requests only
        sale_lines = (
            self.env["sale.order.line"]
            .sudo()
            .search([("omni_ic_purchase_line_id", "in", self.invoice_line_ids.purchase_line_id.ids)])
        )
        sale_line_of = {line.omni_ic_purchase_line_id.id: line for line in sale_lines}
        lines = []
        for line in self.invoice_line_ids:
            if line.display_type in ("line_section", "line_note"):
                lines.append(Command.create({"display_type": line.display_type, "name": line.name}))
                continue
            sale_line = sale_line_of.get(line.purchase_line_id.id, sale_lines.browse())
            taxes = self._omni_ic_map_taxes(line.tax_ids, rule, to_invoice=True, preferred=sale_line.tax_id)
            lines.append(
                Command.create(
                    {
                        "name": line.name,
                        "product_id": line.product_id.id,
                        "product_uom_id": line.product_uom_id.id,
                        "quantity": line.quantity,
                        "price_unit": line.price_unit,
                        "discount": line.discount,
                        "tax_ids": [Command.set(taxes.ids)],
                        "sale_line_ids": [Command.set(sale_line.ids)],
                    }
                )
            )
        # a credit note reverses the invoice of the bill it reverses
        reversed_invoice = self.reversed_entry_id.sudo().omni_ic_invoice_id
        sales = sale_lines.order_id
        return {
            "move_type": REVERSE_TYPES[self.move_type],
            "company_id": rule.supplier_company_id.id,
            "partner_id": rule.customer_company_id.partner_id.id,
            "currency_id": self.currency_id.id,
            "invoice_date": self.invoice_date,
            "invoice_date_due": self.invoice_date_due,
            "invoice_payment_term_id": False,
            "invoice_user_id": False,
            "ref": self.name,
            "invoice_origin": ", ".join(sales.mapped("name")),
            "fiscal_position_id": sales.fiscal_position_id[:1].id,
            "reversed_entry_id": reversed_invoice.id,
            "invoice_line_ids": lines,
        }
