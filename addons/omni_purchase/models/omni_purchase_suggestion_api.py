# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""XML-RPC of the purchase suggestions: compute a warehouse's suggestions
with every figure, and order them as purchase requests or RFQs."""

from odoo import api, fields, models
from odoo.exceptions import UserError

API_FIELDS = (
    "sales_7", "sales_30", "sales_90", "stockout_7", "stockout_30", "stockout_90", "avg_7", "avg_30", "avg_90",
    "daily_sales", "today_qty", "sigma", "lead_days", "lead_default", "review_days", "cover_days", "safety_days",
    "service_z", "safety_stock", "target_qty", "on_hand_qty", "free_qty", "open_po_qty", "requested_qty",
    "transit_qty", "net_qty", "min_qty", "multiple", "suggested_qty", "order_qty", "turnover_days", "slow_mover",
)  # fmt: skip


class OmniPurchaseSuggestion(models.Model):
    _inherit = "omni.purchase.suggestion"

    @api.model
    def get_purchase_suggestions(self, warehouse, product_refs=None):
        """XML-RPC: compute and return the suggestions of a warehouse (its
        code or id). ``product_refs`` (internal references or ids): those
        products, whatever their quantity; None: every product with something
        to order. Each item carries every figure and the suggestion's id."""
        warehouse = self._api_warehouse(warehouse)
        products = None if product_refs is None else self._api_products(product_refs)
        lines = self._refresh(warehouse, products.ids if products is not None else None)
        if products is None:
            lines = lines.filtered(lambda line: line.suggested_qty > 0 or line.order_qty > 0)
        return [line._api_values() for line in lines]

    @api.model
    def create_purchase_requests(self, suggestion_ids):
        """XML-RPC: turn suggestions (ids from get_purchase_suggestions) into
        one purchase request per vendor; returns [{id, name, vendor}]."""
        documents = self.browse(suggestion_ids)._create_documents("request")
        return [{"id": d.id, "name": d.name, "vendor": d.description} for d in documents]

    @api.model
    def create_rfqs(self, suggestion_ids):
        """XML-RPC: turn suggestions into one RFQ per vendor; returns [{id, name, vendor}]."""
        documents = self.browse(suggestion_ids)._create_documents("rfq")
        return [{"id": d.id, "name": d.name, "vendor": d.partner_id.display_name} for d in documents]

    @api.model
    def _api_warehouse(self, ref):
        domain = [("company_id", "in", self.env.companies.ids)]
        if isinstance(ref, int) and not isinstance(ref, bool):
            domain.append(("id", "=", ref))
        else:
            domain.append(("code", "in", list({str(ref or ""), str(ref or "").strip()})))
        warehouse = self.env["stock.warehouse"].search(domain, limit=1)
        if not warehouse:
            # the same answer whether the warehouse exists in another company or not at all
            raise UserError(self.env._("Unknown warehouse %(ref)s.", ref=ref))
        return warehouse

    @api.model
    def _api_products(self, refs):
        if not isinstance(refs, list | tuple):
            raise UserError(self.env._("product_refs is a list of internal references or ids."))
        ids = [r for r in refs if isinstance(r, int) and not isinstance(r, bool)]
        codes = [str(r).strip() for r in refs if not isinstance(r, int) or isinstance(r, bool)]
        Product = self.env["product.product"]
        products = Product.search(["|", ("id", "in", ids), ("default_code", "in", codes)]) if refs else Product
        found = set(products.ids) | set(products.mapped("default_code"))
        unknown = [str(r) for r in refs if (r if isinstance(r, int) else str(r).strip()) not in found]
        if unknown:
            raise UserError(
                self.env._("Unknown or archived products: %(refs)s. Nothing was computed.", refs=", ".join(unknown))
            )
        return products

    def _api_values(self):
        self.ensure_one()
        values = {name: self[name] for name in API_FIELDS}
        values.update(
            id=self.id,
            state=self.state,
            status=self.status,
            product_id=self.product_id.id,
            default_code=self.product_id.default_code or "",
            product=self.product_id.display_name,
            uom=self.uom_id.name,
            vendor_id=self.partner_id.id or False,
            vendor=self.partner_id.display_name or "",
            warehouse=self.warehouse_id.code,
            last_sale_date=fields.Date.to_string(self.last_sale_date) if self.last_sale_date else False,
            turnover_days=self.turnover_days if self.daily_sales and self.on_hand_qty > 0 else False,
            warning=self.warning or "",
        )
        return values
