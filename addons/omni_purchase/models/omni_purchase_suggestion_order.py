# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Ordering suggestions: the selected lines become one purchase request or
request for quotation per company, warehouse and vendor, all or nothing,
never twice."""

from collections import defaultdict

from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_round

from odoo.addons.omni_base.tools import guard


class OmniPurchaseSuggestion(models.Model):
    _inherit = "omni.purchase.suggestion"

    def action_create_requests(self):
        """Selected suggestions → one purchase request per vendor."""
        return self._open_documents(self._create_documents("request"))

    def action_create_rfqs(self):
        """Selected suggestions → one request for quotation per vendor."""
        return self._open_documents(self._create_documents("rfq"))

    def _create_documents(self, kind):
        self.check_access("write")
        lines = self.exists()
        if not lines or len(lines) < len(self):
            raise UserError(
                self.env._("The suggestions were recomputed since this list was loaded: reload it and select again.")
            )
        # Lock the lines: a second user ordering the same lines waits here,
        # then gets a serialization failure (the lines changed) and Odoo
        # replays the request, which then finds them ordered.
        self.env.flush_all()
        self.env.cr.execute(
            SQL("SELECT id FROM omni_purchase_suggestion WHERE id = ANY(%s) ORDER BY id FOR UPDATE", lines.ids)
        )
        lines.invalidate_recordset()
        lines._check_can_order()
        groups = defaultdict(lambda: self.browse())
        for line in lines:
            groups[(line.company_id, line.warehouse_id, line.partner_id)] |= line
        documents = []
        for (company, warehouse, partner), group in groups.items():
            if kind == "request":
                document = (
                    self.env["purchase.request"]
                    .with_company(company)
                    .create(group._prepare_request_vals(company, warehouse, partner))
                )
                guard.internal(group).write({"state": "requested", "request_id": document.id})
            else:
                document = (
                    self.env["purchase.order"]
                    .with_company(company)
                    .create(group._prepare_purchase_vals(company, warehouse, partner))
                )
                guard.internal(group).write({"state": "ordered", "purchase_id": document.id})
            documents.append(document)
        return documents

    def _purchase_unit_qty(self):
        """The quantity to order in the product's purchase unit (what the
        vendor sells and prices, as Odoo's own procurement orders). A
        quantity that lands within the product unit's rounding of a whole
        number of purchase units (1.84 Dozens = 22.08 Units) is that number."""
        self.ensure_one()
        product = self.product_id
        purchase_uom = product.uom_po_id
        if purchase_uom == self.uom_id:
            return self.order_qty
        qty = self.uom_id._compute_quantity(self.order_qty, purchase_uom, round=False)
        tolerance = self.uom_id._compute_quantity(self.uom_id.rounding, purchase_uom, round=False)
        nearest = round(qty)
        if nearest and abs(qty - nearest) <= tolerance:
            return float(nearest)
        return float_round(qty, precision_rounding=purchase_uom.rounding, rounding_method="UP")

    def _check_can_order(self):
        done = self.filtered(lambda line: line.state != "new")
        if done:
            line = done[0]
            raise UserError(
                self.env._(
                    "%(product)s was already ordered from these suggestions (%(document)s): nothing was created. "
                    "Reload the list.",
                    product=line.product_id.display_name,
                    document=(line.request_id or line.purchase_id).display_name,
                )
            )
        no_vendor = self.filtered(lambda line: not line.partner_id)
        if no_vendor:
            raise UserError(
                self.env._(
                    "Cannot order %(products)s: no vendor. Add a vendor on the product's Purchase tab, "
                    "then refresh the suggestions. Nothing was created.",
                    products=", ".join(no_vendor.product_id.mapped("display_name")),
                )
            )
        nothing = self.filtered(lambda line: line.order_qty <= 0)
        if nothing:
            raise UserError(
                self.env._(
                    "Nothing to order for %(products)s (quantity 0): unselect them or set a quantity. "
                    "Nothing was created.",
                    products=", ".join(nothing.product_id.mapped("display_name")),
                )
            )
        archived = self.filtered(lambda line: not line.product_id.active)
        if archived:
            raise UserError(
                self.env._(
                    "%(products)s is archived and cannot be ordered. Nothing was created.",
                    products=", ".join(archived.product_id.mapped("display_name")),
                )
            )

    def _suggestion_origin(self):
        return self.env._("Purchase suggestions")

    def _prepare_request_vals(self, company, warehouse, partner):
        today = company._omni_today()
        return {
            "company_id": company.id,
            "picking_type_id": warehouse.in_type_id.id,
            "origin": self._suggestion_origin(),
            "description": self.env._("Vendor: %(vendor)s", vendor=partner.display_name),
            "line_ids": [
                Command.create(
                    {
                        "product_id": line.product_id.id,
                        "product_qty": line.order_qty,
                        "product_uom_id": line.uom_id.id,
                        "name": line.product_id.display_name,
                        "date_required": fields.Date.add(today, days=line.lead_days),
                    }
                )
                for line in self
            ],
        }

    def _prepare_purchase_vals(self, company, warehouse, partner):
        return {
            "partner_id": partner.id,
            "company_id": company.id,
            "picking_type_id": warehouse.in_type_id.id,
            "origin": self._suggestion_origin(),
            "order_line": [
                Command.create(
                    {
                        "product_id": line.product_id.id,
                        "product_qty": line._purchase_unit_qty(),
                        "product_uom": line.product_id.uom_po_id.id,
                    }
                )
                for line in self
            ],
        }

    def _open_documents(self, documents):
        model = documents[0]._name
        ids = [d.id for d in documents]
        action = {
            "type": "ir.actions.act_window",
            "res_model": model,
            "name": self.env._("Purchase Requests")
            if model == "purchase.request"
            else self.env._("Requests for Quotation"),
            "domain": [("id", "in", ids)],
            "views": [(False, "list"), (False, "form")],
        }
        if len(ids) == 1:
            action.update(res_id=ids[0], views=[(False, "form")])
        return action
