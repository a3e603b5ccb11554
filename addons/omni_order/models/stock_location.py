# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StockLocation(models.Model):
    _inherit = "stock.location"

    omni_inspection = fields.Boolean(
        string="Returns Awaiting Inspection",
        help="Returned goods wait here until inspected: not sellable, not defective yet.",
    )
    omni_defective = fields.Boolean(
        string="Defective Goods",
        help="Goods that cannot be sold again (次品) are kept here: never offered on a channel.",
    )

    @api.model
    def _omni_stock_state_fields(self):
        """The boolean fields that make a location a stock state (goods kept
        beside the stock, never sellable). An addon with a state of its own
        adds its field here and to the constraint's fields."""
        return ["omni_inspection", "omni_defective"]

    @api.constrains("omni_inspection", "omni_defective", "usage", "location_id")
    def _check_omni_stock_state(self):
        """A stock state is an internal location outside its warehouse's
        stock location, one state at a time: goods inside the stock location
        would be offered on the channels and reserved for deliveries,
        whatever the flag says."""
        names = self._omni_stock_state_fields()
        for location in self.filtered(lambda loc: any(loc[name] for name in names)):
            states = [location._fields[name].get_description(self.env)["string"] for name in names if location[name]]
            if len(states) > 1:
                raise ValidationError(
                    self.env._(
                        "%(location)s holds one stock state at a time, not %(states)s: choose one.",
                        location=location.display_name,
                        states=", ".join(states),
                    )
                )
            if location.usage != "internal":
                raise ValidationError(
                    self.env._(
                        "%(location)s is no internal location: only an internal location holds a stock state "
                        "(%(state)s).",
                        location=location.display_name,
                        state=states[0],
                    )
                )
            stock = location.warehouse_id.lot_stock_id
            if stock and location._child_of(stock):
                raise ValidationError(
                    self.env._(
                        "%(location)s is inside %(stock)s, whose goods are offered on the channels and reserved "
                        "for deliveries: put a stock state (%(state)s) beside it (under %(warehouse)s), not "
                        "inside it.",
                        location=location.display_name,
                        stock=stock.display_name,
                        state=states[0],
                        warehouse=location.warehouse_id.view_location_id.display_name,
                    )
                )
