# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .procurement_group import rules_found_once
from .speed_switch import speed_ups_on


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.model
    def _omni_name_in_batch(self, vals_list):
        """Name new sale orders as Odoo's create does (the "sale.order"
        sequence of each order's company, dated by its order date), with the
        sequence looked up once per company instead of once per order.

        Shadows the naming in ``sale.order.create`` of Odoo 18.0
        (addons/sale/models/sale_order.py) and the look-up of
        ``ir.sequence.next_by_code`` (odoo/addons/base/models/ir_sequence.py);
        proven equal by tests/test_differential.py."""
        if not speed_ups_on(self.env):
            return super()._omni_name_in_batch(vals_list)
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

    def _omni_confirm_in_batch(self):
        """Confirm a wave's new channel sale orders with their procurement
        groups made by one call, and each pull rule found once per product
        (procurement_group.py)."""
        if not speed_ups_on(self.env):
            return super()._omni_confirm_in_batch()
        self._omni_create_procurement_groups()
        with rules_found_once(self.env):
            return super()._omni_confirm_in_batch()

    def _omni_create_procurement_groups(self):
        """The procurement groups of these new channel sale orders, created
        by one call with the values Odoo's _action_launch_stock_rule gives
        the group it creates for each order on its first line with goods;
        Odoo then finds each order's group. Orders without goods get none,
        as in Odoo.

        Shadows the group creation in
        ``sale.order.line._action_launch_stock_rule`` of Odoo 18.0
        (addons/sale_stock/models/sale_order_line.py)."""
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
