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

    @api.constrains("omni_inspection", "omni_defective", "usage", "location_id")
    def _check_omni_stock_state(self):
        """A stock state is an internal location outside its warehouse's
        stock location: goods inside it would be offered on the channels and
        reserved for deliveries, whatever the flag says."""
        for location in self.filtered(lambda loc: loc.omni_inspection or loc.omni_defective):
            if location.omni_inspection and location.omni_defective:
                raise ValidationError(
                    self.env._(
                        "%(location)s cannot both await inspection and hold defective goods: choose one.",
                        location=location.display_name,
                    )
                )
            if location.usage != "internal":
                raise ValidationError(
                    self.env._(
                        "%(location)s is no internal location: only an internal location holds returns awaiting "
                        "inspection or defective goods.",
                        location=location.display_name,
                    )
                )
            stock = location.warehouse_id.lot_stock_id
            if stock and location._child_of(stock):
                raise ValidationError(
                    self.env._(
                        "%(location)s is inside %(stock)s, whose goods are offered on the channels and reserved "
                        "for deliveries: put returns awaiting inspection and defective goods beside it (under "
                        "%(warehouse)s), not inside it.",
                        location=location.display_name,
                        stock=stock.display_name,
                        warehouse=location.warehouse_id.view_location_id.display_name,
                    )
                )
