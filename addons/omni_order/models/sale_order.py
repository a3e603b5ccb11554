# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_channel_id = fields.Many2one(
        "omni.channel", string="Channel", index=True, check_company=True, readonly=True, copy=False
    )
    omni_unit_code = fields.Char(related="omni_channel_id.code", store=True, string="Unit Code")
    omni_payment_method = fields.Selection(
        [("prepaid", "Prepaid"), ("cod", "Cash on Delivery")], string="Payment Method", copy=False
    )
    omni_order_ids = fields.One2many(
        "omni.order", "sale_order_id", string="Platform Orders", groups="omni_channel.group_omni_channel_user"
    )

    @api.model
    def _omni_name_in_batch(self, vals_list):
        """Name new sale orders as Odoo's create does (the "sale.order"
        sequence of each order's company, dated by its order date), with the
        sequence looked up once per company instead of once per order."""
        self.env["ir.sequence"].browse().check_access("read")
        sequences = {}
        for vals in vals_list:
            if vals.get("name"):
                continue
            company_id = vals.get("company_id") or self.env.company.id
            if company_id not in sequences:
                sequences[company_id] = self.env["ir.sequence"].search(
                    [("code", "=", "sale.order"), ("company_id", "in", [company_id, False])],
                    order="company_id",
                    limit=1,
                )
            sequence = sequences[company_id]
            if not sequence:
                continue  # Odoo's create says what is missing
            seq_date = (
                fields.Datetime.context_timestamp(self, fields.Datetime.to_datetime(vals["date_order"]))
                if "date_order" in vals
                else None
            )
            vals["name"] = sequence.with_company(company_id)._next(sequence_date=seq_date)
        return vals_list

    def _omni_create_procurement_groups(self):
        """The procurement groups of these new channel sale orders, created
        by one call with the values Odoo's _action_launch_stock_rule gives
        the group it creates for each order on its first line with goods;
        Odoo then finds each order's group. Orders without goods get none,
        as in Odoo."""
        first_goods = {
            so: so.order_line.filtered(lambda line: line.product_id.type == "consu")[:1]
            for so in self.filtered(lambda so: so.omni_channel_id and not so.procurement_group_id)
        }
        first_goods = {so: line for so, line in first_goods.items() if line}
        if not first_goods:
            return
        groups = self.env["procurement.group"].create(
            [line._prepare_procurement_group_vals() for line in first_goods.values()]
        )
        for sale_order, group in zip(first_goods, groups, strict=True):
            sale_order.procurement_group_id = group

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        partner_ids = self.env["res.partner"]._omni_without_platform_buyers(self, partner_ids)
        if not partner_ids and not subtype_ids:
            return True
        return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    omni_order_line_id = fields.Many2one("omni.order.line", string="Platform Order Line", index=True, copy=False)

    def _compute_analytic_distribution(self):
        """Odoo searches the analytic distribution models once per line: with
        no model at all (none in any company), the search finds nothing and
        the line keeps its distribution, so channel order lines skip it."""
        omni = self.filtered(lambda line: line.order_id.omni_channel_id)
        if omni and not self.env["account.analytic.distribution.model"].sudo().search_count([], limit=1):
            for line in omni.filtered(lambda line: not line.display_type):
                line.analytic_distribution = line.analytic_distribution
            self -= omni  # noqa: PLW0642
        return super()._compute_analytic_distribution()
