# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    """Each parcel shows what its courier should charge for it (rate card,
    chargeable weight) and the cash-on-delivery amount it should collect,
    computed exactly as the statement reconciliation computes them."""

    _inherit = "stock.picking"

    omni_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    omni_chargeable_weight = fields.Float(
        string="Chargeable Weight (kg)",
        compute="_compute_omni_expected_courier_amounts",
        digits="Stock Weight",
        help="max(actual weight, length × width × height ÷ the courier's volumetric divisor), rounded up by the "
        "courier's rule.",
    )
    omni_expected_fee = fields.Monetary(
        string="Expected Freight",
        compute="_compute_omni_expected_courier_amounts",
        currency_field="omni_currency_id",
        help="Freight by the courier's rate card for the destination province and the chargeable weight, plus "
        "its COD fee.",
    )
    omni_expected_cod = fields.Monetary(
        string="Expected COD",
        compute="_compute_omni_expected_courier_amounts",
        currency_field="omni_currency_id",
        help="Amount the courier collects from the buyer: the paid amount of cash-on-delivery orders.",
    )

    @api.depends(
        "carrier_id",
        "omni_parcel_weight",
        "omni_parcel_length",
        "omni_parcel_width",
        "omni_parcel_height",
        "partner_id.state_id",
        "sale_id",
        "company_id",
    )
    def _compute_omni_expected_courier_amounts(self):
        self.omni_chargeable_weight = self.omni_expected_fee = self.omni_expected_cod = 0.0
        coded = self.filtered(lambda p: p.carrier_id and p.picking_type_code == "outgoing")
        if not coded:
            return
        Statement = self.env["courier.statement"]
        parcels = {
            picking.id: {
                "id": picking.id,
                "weight": picking.omni_parcel_weight,
                "dims": (picking.omni_parcel_length, picking.omni_parcel_width, picking.omni_parcel_height),
                "sale_id": picking.sale_id.id,
                "province": picking.partner_id.state_id.name or "",
                "cod": Decimal(0),
            }
            for picking in coded
        }
        Statement._add_order_data(parcels)
        cards = {}
        for picking in coded:
            key = (picking.carrier_id, picking.company_id)
            if key not in cards:
                carrier = picking.carrier_id.with_company(picking.company_id)
                cards[key] = carrier._omni_rate_card() if carrier.omni_courier_code else None
            parcel = parcels[picking.id]
            picking.omni_expected_cod = float(parcel["cod"])
            if cards[key]:
                expected = Statement._expected_values(parcel, cards[key])
                picking.omni_chargeable_weight = float(expected["chargeable_weight"])
                picking.omni_expected_fee = float(expected["expected_fee"])

    def _action_done(self):
        res = super()._action_done()
        self._omni_refresh_missing_parcels()
        return res

    def write(self, vals):
        res = super().write(vals)
        if "carrier_tracking_ref" in vals or "carrier_id" in vals:
            self._omni_refresh_missing_parcels()
        return res

    def _omni_refresh_missing_parcels(self):
        """The open courier statements' missing parcels (漏账包裹) stay
        current when a parcel ships or its courier or tracking number
        changes, not only when someone reconciles again."""
        parcels = self.filtered(lambda p: p.state == "done" and p.picking_type_code == "outgoing")
        if parcels:
            # whoever ships (an Inventory user) holds no courier reconciliation
            # group: the statements of these parcels' companies are read and
            # their missing lines of exactly these parcels rewritten as superuser
            self.env["courier.statement"].sudo()._refresh_missing_parcels(parcels.sudo())

    omni_courier_missing = fields.Boolean(
        string="Shipped without Courier",
        compute="_compute_omni_courier_missing",
        search="_search_omni_courier_missing",
        help="A shipped delivery of a channel that ships with couriers, but without a courier: no courier "
        "statement can list it, so courier reconciliation lists it apart.",
    )

    @api.depends("state", "picking_type_code", "omni_channel_id", "carrier_id")
    def _compute_omni_courier_missing(self):
        pick_up = self._omni_pick_up_channel_ids()
        for picking in self:
            picking.omni_courier_missing = bool(
                picking.state == "done"
                and picking.picking_type_code == "outgoing"
                and picking.omni_channel_id
                and picking.omni_channel_id.id not in pick_up
                and not picking.carrier_id
            )

    def _search_omni_courier_missing(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Shipped without Courier."))
        domain = [
            ("state", "=", "done"),
            ("picking_type_code", "=", "outgoing"),
            ("omni_channel_id", "!=", False),
            ("omni_channel_id", "not in", self._omni_pick_up_channel_ids()),
            ("carrier_id", "=", False),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", "&", "&", "&", "&", *domain]

    @api.model
    def _omni_pick_up_channel_ids(self):
        # which channels ship without a courier, read as superuser: who
        # reconciles couriers reads deliveries, not necessarily channels; only
        # ids leave this method
        return (
            self.env["omni.channel"]
            .sudo()
            .with_context(active_test=False)
            .search([("ships_without_courier", "=", True)])
            .ids
        )

    def _add_delivery_cost_to_so(self):
        # a channel order's total is what the buyer paid on the platform: the
        # courier's real cost goes to the courier's bill, never onto the order
        if self.sale_id.omni_channel_id:
            return None
        return super()._add_delivery_cost_to_so()
