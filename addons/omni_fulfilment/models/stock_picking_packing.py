# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, float_round

# Odoo's own command barcode for "validate" (printed on stock's barcode
# command sheet): a packer finishes a parcel without touching the screen
VALIDATE_COMMAND = "O-BTN.validate"


class StockPicking(models.Model):
    """The packing station (client action ``omni_packing_station``): one
    barcode field that takes every scan. A delivery's barcode opens it, a
    product's barcode packs it, a code that is neither on a fully packed
    delivery is its tracking number, Odoo's command barcode O-BTN.validate
    ships it."""

    _inherit = "stock.picking"

    @api.model
    def omni_packing_scan(self, code, picking_id=False, quantity=None):
        """One scan at the packing station; returns {picking, message,
        ask_quantity}: picking is the open delivery's screen data."""
        code = (code or "").strip()
        if not code:
            raise UserError(self.env._("Scan a delivery or a product barcode."))
        picking = self.browse(picking_id).exists() if picking_id else self.browse()
        delivery = self.search([("name", "=", code), ("picking_type_code", "=", "outgoing")], limit=1)
        if delivery:
            delivery._omni_check_open()
            return {
                "picking": delivery._omni_packing_station_data(),
                "message": self.env._("Delivery %(picking)s opened: scan its items.", picking=delivery.name),
                "ask_quantity": False,
            }
        if not picking:
            raise UserError(self.env._("%(code)s is not an open delivery: scan the delivery first.", code=code))
        if code == VALIDATE_COMMAND:
            return picking.action_omni_pack_validate()
        is_product = self.env["product.product"].search_count(
            ["|", ("barcode", "=", code), ("default_code", "=", code)], limit=1
        )
        if not is_product and picking.omni_packing_complete and not picking.omni_tracking_no:
            picking._omni_check_open()
            picking.omni_tracking_no = code
            return {
                "picking": picking._omni_packing_station_data(),
                "message": self.env._("Tracking number %(number)s recorded.", number=code),
                "ask_quantity": False,
            }
        result = picking.omni_scan(code, quantity=quantity)
        if result["ask_quantity"]:
            message = self.env._(
                "%(product)s: %(left)s left, less than one unit: enter the quantity packed.",
                product=result["product"],
                left=format(result["ask_quantity"], "g"),
            )
        elif result["complete"]:
            message = self.env._(
                "%(picking)s is fully packed: weigh it and scan its tracking label.", picking=picking.name
            )
        else:
            message = self.env._(
                "%(product)s: %(packed)s/%(ordered)s packed",
                product=result["product"],
                packed=format(result["packed"], "g"),
                ordered=format(result["ordered"], "g"),
            )
        return {
            "picking": picking._omni_packing_station_data(),
            "message": message,
            "ask_quantity": result["ask_quantity"] and {"barcode": code, "left": result["ask_quantity"]},
        }

    def omni_packing_load(self):
        """Screen data of this delivery for the packing station."""
        self.ensure_one()
        return self._omni_packing_station_data()

    def omni_packing_set_parcel(self, weight=None, tracking_no=None, courier_code=None):
        """Weight, tracking number and courier typed on the packing station."""
        self.ensure_one()
        self._omni_check_open()
        vals = {}
        if weight is not None:
            if weight < 0:
                raise UserError(self.env._("The weight of %(picking)s cannot be negative.", picking=self.name))
            vals["omni_parcel_weight"] = weight
        if tracking_no is not None:
            vals["omni_tracking_no"] = (tracking_no or "").strip() or False
        if courier_code is not None:
            vals["omni_courier_code"] = (courier_code or "").strip().upper() or False
        self.write(vals)
        return self._omni_packing_station_data()

    def action_omni_pack_validate(self):
        """Ship this delivery from the packing station: every line packed,
        then Odoo's validation of exactly what was packed (no SMS question:
        the packer is not the one who decides to text the customer)."""
        self.ensure_one()
        self._omni_check_open()
        if not self.omni_packing_complete:
            raise UserError(
                self.env._(
                    "%(picking)s is not fully packed: %(missing)s.",
                    picking=self.name,
                    missing=", ".join(self._omni_missing_lines()),
                )
            )
        for move in self.move_ids.filtered(lambda m: m.state != "cancel"):
            move.quantity = move.omni_packed_qty
            move.picked = True
        result = self.with_context(skip_sms=True).button_validate()
        if isinstance(result, dict):
            # a question Odoo still asks (e.g. a product tracked by lot): the
            # packer answers it on the delivery itself
            raise UserError(
                self.env._(
                    "%(picking)s needs an answer before it ships: open it and validate it there.", picking=self.name
                )
            )
        return {
            "picking": self._omni_packing_station_data(),
            "message": self.env._("%(picking)s shipped. Scan the next delivery.", picking=self.name),
            "ask_quantity": False,
        }

    def _omni_check_open(self):
        for picking in self:
            if picking.state in ("done", "cancel") or picking.picking_type_code != "outgoing":
                raise UserError(self.env._("%(picking)s is not an open delivery.", picking=picking.name))

    def _omni_missing_lines(self):
        self.ensure_one()
        return [
            f"{m.product_id.display_name} ({m.omni_packed_qty:g}/{m.product_uom_qty:g})"
            for m in self.move_ids
            if m.state != "cancel"
            and float_compare(m.omni_packed_qty, m.product_uom_qty, precision_rounding=m.product_uom.rounding) < 0
        ]

    def _omni_packing_station_data(self):
        self.ensure_one()
        lines = []
        for move in self.move_ids.filtered(lambda m: m.state != "cancel"):
            rounding = move.product_uom.rounding
            left = float_round(max(move.product_uom_qty - move.omni_packed_qty, 0.0), precision_rounding=rounding)
            lines.append(
                {
                    "id": move.id,
                    "product": move.product_id.display_name,
                    "barcode": move.product_id.barcode or move.product_id.default_code or "",
                    "ordered": move.product_uom_qty,
                    "packed": move.omni_packed_qty,
                    "left": left,
                    "uom": move.product_uom.name,
                    "done": float_is_zero(left, precision_rounding=rounding),
                    "fraction": not float_is_zero(left - int(left), precision_rounding=rounding),
                }
            )
        lines.sort(key=lambda line: line["done"])
        waybill = self._omni_waybill_data()
        return {
            "id": self.id,
            "name": self.name,
            "state": self.state,
            "state_label": dict(self._fields["state"]._description_selection(self.env)).get(self.state),
            "receiver": waybill["receiver"],
            "address": waybill["address"],
            "unit_code": waybill["unit_code"],
            "order_numbers": waybill["order_numbers"],
            "courier_code": self.omni_courier_code or "",
            "tracking_no": self.omni_tracking_no or "",
            "weight": self.omni_parcel_weight,
            "complete": self.omni_packing_complete,
            "lines": lines,
            "lines_left": sum(1 for line in lines if not line["done"]),
            "done": self.state == "done",
        }
