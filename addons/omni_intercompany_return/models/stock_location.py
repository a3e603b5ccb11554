# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StockLocation(models.Model):
    _inherit = "stock.location"

    omni_ic_return_locked = fields.Boolean(
        string="Returned to Wholesale (Locked)",
        help="Goods applied back to the wholesale company (申请退货) wait here until it accepts or refuses "
        "them: never offered on a channel nor reserved for a delivery.",
    )

    @api.constrains("omni_ic_return_locked", "omni_inspection", "omni_defective", "usage", "location_id")
    def _check_omni_ic_return_locked(self):
        """Like the other stock states (omni_order): an internal location
        outside its warehouse's stock location, one state at a time."""
        for location in self.filtered("omni_ic_return_locked"):
            if location.omni_inspection or location.omni_defective:
                raise ValidationError(
                    self.env._(
                        "%(location)s cannot both hold goods returned to wholesale and another stock state: "
                        "choose one.",
                        location=location.display_name,
                    )
                )
            if location.usage != "internal":
                raise ValidationError(
                    self.env._(
                        "%(location)s is no internal location: only an internal location holds goods returned "
                        "to wholesale.",
                        location=location.display_name,
                    )
                )
            stock = location.warehouse_id.lot_stock_id
            if stock and location._child_of(stock):
                raise ValidationError(
                    self.env._(
                        "%(location)s is inside %(stock)s, whose goods are offered on the channels and reserved "
                        "for deliveries: put goods returned to wholesale beside it (under %(warehouse)s), not "
                        "inside it.",
                        location=location.display_name,
                        stock=stock.display_name,
                        warehouse=location.warehouse_id.view_location_id.display_name,
                    )
                )
