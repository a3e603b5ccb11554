# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.omni_base.tools import guard

from .omni_purchase_engine import SUGGESTION_COLUMNS

# Everything but the quantity to order is computed (or set by the ordering
# actions): clients can only write order_qty, on a line still to order.
GUARDED_FIELDS = (*SUGGESTION_COLUMNS, "state", "request_id", "purchase_id", "computed_at", "qty_edited")
QTY = "Product Unit of Measure"
FIGURE = (16, 4)


class OmniPurchaseSuggestion(models.Model):
    """采购建议: what to buy of one product for one warehouse, with every
    figure that led to the quantity. Lines are computed by the engine
    (omni.purchase.engine) and replaced at each refresh until they are turned
    into a purchase request or an RFQ; then they stay as the record of why."""

    _name = "omni.purchase.suggestion"
    _description = "Purchase Suggestion"
    _order = "partner_id, product_id, id desc"
    _check_company_auto = True
    _rec_name = "product_id"

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", required=True, index=True, readonly=True, check_company=True)
    product_id = fields.Many2one(
        "product.product", required=True, index=True, readonly=True, ondelete="cascade", check_company=True
    )
    default_code = fields.Char(related="product_id.default_code", string="Internal Reference")
    uom_id = fields.Many2one("uom.uom", string="Unit", readonly=True)
    seller_id = fields.Many2one(
        "product.supplierinfo", string="Vendor Line", readonly=True, ondelete="set null", check_company=True
    )
    partner_id = fields.Many2one("res.partner", string="Vendor", index=True, readonly=True, check_company=True)
    state = fields.Selection(
        [("new", "Not Ordered"), ("requested", "Requested"), ("ordered", "RFQ Created")],
        default="new", required=True, readonly=True, index=True,
    )  # fmt: skip
    status = fields.Selection(
        [("nothing", "Nothing to Order"), ("to_order", "To Order"), ("requested", "Requested"),
         ("ordered", "RFQ Created")],
        compute="_compute_status",
        help="What the line asks for: a line not ordered yet is to order when its quantity to order is above 0, "
        "else nothing is to order (enough stock and orders for the target, or an archived product).",
    )  # fmt: skip
    request_id = fields.Many2one("purchase.request", string="Purchase Request", readonly=True, copy=False)
    purchase_id = fields.Many2one("purchase.order", string="RFQ", readonly=True, copy=False)
    computed_at = fields.Datetime(readonly=True)
    # sales (shipped, product unit), days out of stock, averages over in-stock days
    sales_7 = fields.Float(
        "Sold (7 d)",
        digits=QTY,
        readonly=True,
        help="Shipped less returned, on in-stock days of the 7 full days before today (today is not counted).",
    )
    sales_30 = fields.Float(
        "Sold (30 d)",
        digits=QTY,
        readonly=True,
        help="Shipped less returned, on in-stock days of the 30 full days before today (today is not counted).",
    )
    sales_90 = fields.Float(
        "Sold (90 d)",
        digits=QTY,
        readonly=True,
        help="Shipped less returned, on in-stock days of the 90 full days before today (today is not counted).",
    )
    stockout_7 = fields.Integer("Out of Stock (7 d)", readonly=True, help="Days left out of the 7-day average.")
    stockout_30 = fields.Integer("Out of Stock (30 d)", readonly=True)
    stockout_90 = fields.Integer("Out of Stock (90 d)", readonly=True)
    avg_7 = fields.Float("Daily (7 d)", digits=FIGURE, readonly=True)
    avg_30 = fields.Float("Daily (30 d)", digits=FIGURE, readonly=True)
    avg_90 = fields.Float("Daily (90 d)", digits=FIGURE, readonly=True)
    daily_sales = fields.Float(
        digits=FIGURE,
        readonly=True,
        help="Weighted average of the 7, 30 and 90 day daily sales (company weights), over full days before today: "
        "what shipped today is counted from tomorrow (see Shipped Today).",
    )
    today_qty = fields.Float(
        "Shipped Today",
        digits=QTY,
        readonly=True,
        help="Shipped less returned today (company time) until the last refresh. Not in the daily sales, which "
        "are over full days (a day under way would lower them every morning); counted from tomorrow.",
    )
    sigma = fields.Float(
        "Std. Deviation", digits=FIGURE, readonly=True, help="Of the daily sales over the in-stock days of 90."
    )
    lead_days = fields.Integer("Lead Time (days)", readonly=True)
    lead_default = fields.Boolean(
        "Default Lead Time", readonly=True, help="The vendor line gives no lead time: the company's default is used."
    )
    review_days = fields.Integer("Review Cycle (days)", readonly=True)
    cover_days = fields.Integer(readonly=True)
    safety_days = fields.Integer(readonly=True)
    service_z = fields.Float("z", digits=FIGURE, readonly=True, help="z of the company's service level.")
    safety_stock = fields.Float(
        digits=FIGURE, readonly=True, help="max(z × σ × √lead time, safety days × daily sales)."
    )
    target_qty = fields.Float(
        "Target Stock",
        digits=FIGURE,
        readonly=True,
        help="Daily sales × (lead time + review cycle + cover days) + safety stock.",
    )
    on_hand_qty = fields.Float("On Hand", digits=QTY, readonly=True)
    free_qty = fields.Float("Free Stock", digits=QTY, readonly=True, help="On hand less reserved; may be negative.")
    open_po_qty = fields.Float("Open Purchases", digits=QTY, readonly=True, help="Ordered or quoted, not received.")
    requested_qty = fields.Float("Requested", digits=QTY, readonly=True, help="In open purchase requests.")
    transit_qty = fields.Float("In Transit", digits=QTY, readonly=True, help="Incoming from other locations.")
    net_qty = fields.Float(
        "Net Need", digits=FIGURE, readonly=True, help="Target − free − open purchases − requested − in transit."
    )
    min_qty = fields.Float("Vendor Minimum", digits=QTY, readonly=True)
    multiple = fields.Float("Vendor Multiple", digits=QTY, readonly=True)
    round_step = fields.Float(
        "Rounded Up To",
        digits=QTY,
        readonly=True,
        help="Whole purchase units (expressed in the product's unit) for a product counted in units, "
        "else the unit's rounding.",
    )
    suggested_qty = fields.Float(
        digits=QTY,
        readonly=True,
        help="Net need rounded up to the vendor's minimum and multiple, then to whole purchase units; "
        "never negative.",
    )
    order_qty = fields.Float(
        "Quantity to Order",
        digits=QTY,
        help="The suggested quantity; change it before ordering if needed (a refresh keeps what you set).",
    )
    qty_edited = fields.Boolean(
        "Quantity Edited",
        readonly=True,
        help="A buyer changed the quantity to order: refreshes keep it and update the suggested quantity only.",
    )
    archived = fields.Boolean(
        "Archived Product",
        readonly=True,
        help="The product is archived but still shipped in the last 90 days (e.g. as a bundle's component): "
        "shown so that its sales are seen; it cannot be ordered.",
    )
    turnover_days = fields.Float(digits=(16, 1), readonly=True, help="On hand ÷ daily sales.")
    slow_mover = fields.Boolean(
        readonly=True,
        help="Stock on hand that lasts longer than the company's slow mover threshold at the daily sales, or stock "
        "without sales in the 90 full days before today nor today.",
    )
    last_sale_date = fields.Date("Last Shipped", readonly=True)
    explanation = fields.Text(compute="_compute_explanation", string="Why This Quantity")
    warning = fields.Char(compute="_compute_explanation")

    _sql_constraints = [
        ("order_qty_positive", "CHECK(order_qty >= 0)", "The quantity to order cannot be negative."),
    ]

    @api.depends("state", "order_qty")
    def _compute_status(self):
        for line in self:
            if line.state != "new":
                line.status = line.state
            else:
                line.status = "to_order" if line.order_qty > 0 else "nothing"

    def init(self):
        # one line to order per product and warehouse, whoever refreshes
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS omni_purchase_suggestion_new_uniq "
            "ON omni_purchase_suggestion (warehouse_id, product_id) WHERE state = 'new'"
        )
        # the engine reads the done moves of the last 90 days from this index
        # alone (index-only scan), not from the whole stock_move table
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS omni_purchase_stock_move_done_date_idx ON stock_move (date) "
            "INCLUDE (product_id, product_uom, quantity, location_id, location_dest_id, company_id) "
            "WHERE state = 'done'"
        )

    @api.depends(
        "daily_sales", "today_qty", "suggested_qty", "partner_id", "lead_default", "free_qty", "round_step",
        "qty_edited", "order_qty", "archived",
    )  # fmt: skip
    def _compute_explanation(self):
        for line in self:
            explanation = self.env._(
                "Daily sales %(daily).4g = weighted 7/30/90 full days before today (%(a7).4g, %(a30).4g, %(a90).4g), "
                "out-of-stock days left out (%(o7)s, %(o30)s, %(o90)s); shipped today %(today).4g, not counted "
                "until tomorrow.\n"
                "Safety stock %(safety).4g = max(z %(z).4g × σ %(sigma).4g × √%(lead)s, %(sdays)s days × daily).\n"
                "Target %(target).4g = daily × (lead %(lead)s + review %(review)s + cover %(cover)s days) + safety.\n"
                "Net need %(net).4g = target − free %(free).4g − open purchases %(po).4g − requested %(req).4g "
                "− in transit %(transit).4g.\n"
                "Suggested %(qty).4g: net need rounded up to the vendor minimum %(min).4g and multiple %(mult).4g "
                "(0 when nothing is needed).",
                daily=line.daily_sales, today=line.today_qty, a7=line.avg_7, a30=line.avg_30, a90=line.avg_90,
                o7=line.stockout_7, o30=line.stockout_30, o90=line.stockout_90,
                safety=line.safety_stock, z=line.service_z, sigma=line.sigma, lead=line.lead_days,
                sdays=line.safety_days, target=line.target_qty, review=line.review_days, cover=line.cover_days,
                net=line.net_qty, free=line.free_qty, po=line.open_po_qty, req=line.requested_qty,
                transit=line.transit_qty, qty=line.suggested_qty, min=line.min_qty, mult=line.multiple,
            )  # fmt: skip
            explanation += "\n" + line._explain_rounding()
            if line.qty_edited:
                explanation += "\n" + self.env._(
                    "Quantity to order %(qty).4g was set by a buyer: refreshes keep it.", qty=line.order_qty
                )
            line.explanation = explanation
            warnings = []
            if line.archived:
                warnings.append(self.env._("Archived: still sold, cannot be ordered."))
            if not line.partner_id:
                warnings.append(self.env._("No vendor: add one on the product's Purchase tab to order it."))
            elif line.lead_default:
                warnings.append(self.env._("The vendor line has no lead time: the company's default is used."))
            if line.free_qty < 0:
                warnings.append(self.env._("Negative free stock: check the stock of this product."))
            line.warning = " ".join(warnings)

    def _explain_rounding(self):
        self.ensure_one()
        product = self.product_id
        unit_categ = self.env.ref("uom.product_uom_categ_unit", raise_if_not_found=False)
        if product.uom_id.category_id == unit_categ:
            return self.env._(
                "Rounded up to whole purchase units: 1 %(po_uom)s = %(step).4g %(uom)s.",
                po_uom=product.uom_po_id.name,
                step=self.round_step,
                uom=self.uom_id.name or product.uom_id.name,
            )
        return self.env._(
            "Rounded up to the unit's rounding %(step).4g %(uom)s.",
            step=self.round_step,
            uom=self.uom_id.name or product.uom_id.name,
        )

    # --- guards ------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self.check_access("create")
        if not guard.is_internal(self):
            raise UserError(self.env._("Purchase suggestions are computed, not created: use Refresh."))
        return super().create(vals_list)

    def write(self, vals):
        guard.check_write(self, vals, GUARDED_FIELDS)
        if "order_qty" in vals and not guard.is_internal(self):
            self._omni_check_readonly_write(vals)
            ordered = self.filtered(lambda line: line.state != "new")
            if ordered:
                raise UserError(
                    self.env._(
                        "The suggestion for %(product)s was already ordered; its quantity cannot change.",
                        product=ordered[0].product_id.display_name,
                    )
                )
            self._check_order_qty(vals["order_qty"])
            # the buyer's quantity (checked above): refreshes keep it from now on
            return super(OmniPurchaseSuggestion, guard.internal(self)).write(dict(vals, qty_edited=True))
        return super().write(vals)

    def _check_order_qty(self, qty):
        """A buyer's quantity: nothing for an archived product, and whole steps
        of what the vendor sells (whole purchase units for products counted in
        units, e.g. 12 Units for a product bought by the dozen)."""
        for line in self:
            if line.archived and qty:
                raise UserError(
                    self.env._("%(product)s is archived and cannot be ordered.", product=line.product_id.display_name)
                )
            step = line.round_step
            if qty and step > 0:
                steps = qty / step
                if abs(steps - round(steps)) * step > line.uom_id.rounding:
                    raise UserError(
                        self.env._(
                            "%(product)s is ordered in steps of %(step)s %(uom)s: %(qty)s is not one.",
                            product=line.product_id.display_name,
                            step=round(step, 4),
                            uom=line.uom_id.name,
                            qty=qty,
                        )
                    )

    # --- computing -----------------------------------------------------------
    def action_refresh(self):
        """Recompute suggestions (a list button). With lines selected, only
        their products, in their warehouses (a product that just sold, in well
        under a second); with none, every warehouse of the selected companies.
        A line already ordered is kept as it is: a new line is computed for
        its product. Says how many lines were recomputed and how many of them
        have something to order, then reloads the list."""
        fresh = self.browse()
        if self:
            by_warehouse = self.grouped("warehouse_id")
            for warehouse, lines in by_warehouse.items():
                fresh |= self._refresh(warehouse, lines.product_id.ids)
        else:
            for warehouse in self.env["stock.warehouse"].search([("company_id", "in", self.env.companies.ids)]):
                fresh |= self._refresh(warehouse)
        to_order = fresh.filtered(lambda line: line.status == "to_order")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Purchase suggestions recomputed"),
                "message": self.env._(
                    "Lines recomputed: %(count)s; to order: %(to_order)s; nothing to order: %(nothing)s.",
                    count=len(fresh),
                    to_order=len(to_order),
                    nothing=len(fresh) - len(to_order),
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_refresh_line(self):
        """Recompute this line's product (form button) and show the line."""
        self.ensure_one()
        # read before the refresh: a product no longer to buy loses this line
        warehouse, product = self.warehouse_id, self.product_id
        product_name = product.display_name
        fresh = self._refresh(warehouse, product.ids)
        if not fresh:
            # the product is no longer bought (archived, not storable or not
            # purchasable): its line is gone (an error would roll that back);
            # say so, close the form and reload the list
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "message": self.env._("%(product)s is no longer a product to buy.", product=product_name),
                    "next": {"type": "ir.actions.client", "tag": "soft_reload"},
                },
            }
        return fresh[:1].action_open_form()

    def action_use_suggested(self):
        """Give the selected lines back the suggested quantity: refreshes
        update their quantity to order again."""
        self.check_access("write")
        lines = self.filtered(lambda line: line.state == "new")
        for line in lines:
            guard.internal(line).write({"order_qty": line.suggested_qty, "qty_edited": False})
        return True

    @api.model
    def _cron_refresh(self):
        for warehouse in self.env["stock.warehouse"].search([("company_id", "!=", False)]):
            self.with_company(warehouse.company_id)._refresh(warehouse)

    def action_open_form(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "views": [(False, "form")],
            "target": "new",
        }

    @api.model
    def _refresh(self, warehouse, product_ids=None):
        """Recompute the lines still to order of ``warehouse`` (of
        ``product_ids`` only, when given); returns them.

        Lines are updated in place (same id, so a bookmarked or selected line
        stays valid); a quantity to order a buyer edited is kept, only the
        figures and the suggested quantity change. Products computed for the
        first time get a new line; the lines still to order of products no
        longer computed (no longer to buy) are deleted. Two refreshes of one
        warehouse at once: the second waits, then is retried (the warehouse
        row is updated by both), so no line is doubled."""
        self.check_access("write")
        warehouse.check_access("read")
        if warehouse.company_id not in self.env.companies:
            raise UserError(self.env._("Warehouse %(name)s is not of a selected company.", name=warehouse.name))
        self.env.flush_all()
        cr = self.env.cr
        # the computation reads stock, moves and purchases of this warehouse
        # only; rights on the suggestions were checked above
        cr.execute(
            SQL(
                "UPDATE stock_warehouse SET omni_suggestion_date = now() AT TIME ZONE 'UTC' WHERE id = %s",
                warehouse.id,
            )
        )
        only = SQL("AND product_id = ANY(%s)", list(product_ids)) if product_ids is not None else SQL("")
        engine = self.env["omni.purchase.engine"]
        query = engine._suggestion_query(engine._engine_params(warehouse, product_ids))
        # the statement's cost estimate is large, so PostgreSQL would compile
        # it (JIT): measured 13 s of compiling for 8 s of work on 50,000 products
        cr.execute("SET LOCAL jit = off")
        if product_ids is None:
            # for this transaction only: a few million moves are grouped by
            # product and day in memory; and PostgreSQL cannot estimate how
            # many products the grouped sales hold (it guesses 200), so it
            # would join them to the 50,000 products in a nested loop
            cr.execute("SET LOCAL work_mem = '256MB'")
            cr.execute("SET LOCAL enable_nestloop = off")
        columns = SQL(", ").join(SQL.identifier(c) for c in SUGGESTION_COLUMNS)
        # the existing line of a product (unique index on warehouse and
        # product of the lines to order) is updated; warehouse, product and
        # company are its key, so they never change
        updates = SQL(", ").join(
            SQL("%s = EXCLUDED.%s", SQL.identifier(c), SQL.identifier(c))
            for c in SUGGESTION_COLUMNS
            if c not in ("company_id", "warehouse_id", "product_id")
        )
        cr.execute(
            SQL(
                """
                INSERT INTO omni_purchase_suggestion AS line (%(columns)s, state, order_qty, qty_edited, computed_at,
                                                              create_uid, create_date, write_uid, write_date)
                SELECT %(columns)s, 'new', suggested_qty, FALSE, now() AT TIME ZONE 'UTC',
                       %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                  FROM (%(query)s) AS computed
                ON CONFLICT (warehouse_id, product_id) WHERE state = 'new' DO UPDATE
                   SET %(updates)s,
                       order_qty = CASE WHEN line.qty_edited AND NOT EXCLUDED.archived THEN line.order_qty
                                        ELSE EXCLUDED.suggested_qty END,
                       qty_edited = line.qty_edited AND NOT EXCLUDED.archived,
                       computed_at = EXCLUDED.computed_at, write_uid = EXCLUDED.write_uid,
                       write_date = EXCLUDED.write_date
                RETURNING id
                """,
                columns=columns,
                query=query,
                uid=self.env.uid,
                updates=updates,
            )
        )
        ids = [row[0] for row in cr.fetchall()]
        # products no longer to buy (archived without sales, no longer
        # storable or purchasable): their lines to order go
        cr.execute(
            SQL(
                "DELETE FROM omni_purchase_suggestion WHERE warehouse_id = %s AND state = 'new' "
                "AND id <> ALL(%s) %s",
                warehouse.id,
                ids,
                only,
            )
        )
        self.invalidate_model()
        warehouse.invalidate_recordset(["omni_suggestion_date"])
        return self.browse(ids)
