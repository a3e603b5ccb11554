# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, float_round

from .delivery_carrier import TRACKING_NUMBER_PATTERN

# Odoo's own command barcode for "validate" (printed on stock's barcode
# command sheet): a packer finishes a parcel at the packing station without
# touching the screen
VALIDATE_COMMAND = "O-BTN.validate"
# what a packer types as a weight or a quantity: digits, one decimal point or comma
NUMBER_PATTERN = re.compile(r"^\d{1,12}([.,]\d{1,6})?$")


class StockPicking(models.Model):
    """The packing station's server side: every entry of the screen."""

    _inherit = "stock.picking"

    # Packing station (client action omni_packing_station): a scanner types
    # into whatever field has the cursor, so every field of the station sends
    # what was typed here and the code decides what it is. A delivery's
    # barcode opens it, a product's barcode packs it, a courier's tracking
    # number pattern (or, on a fully packed delivery without one, any other
    # code) is its tracking number, the command barcode O-BTN.validate ships
    # it. Only a plausible number typed into the weight field or the quantity
    # prompt is a weight or a quantity.

    @api.model
    def omni_packing_scan(self, code, picking_id=False, quantity=None, field="barcode", ask_barcode=None):
        """One entry at the packing station; returns {picking, message,
        ask_quantity, level, entered}: picking is the open delivery's screen
        data, entered what the entry was taken as (delivery, command,
        product, tracking, weight, quantity). ``field`` is where it was typed
        (barcode, weight, quantity: then ``ask_barcode`` is the product whose
        quantity was asked)."""
        code = (code or "").strip()
        if not code:
            raise UserError(self.env._("Scan a delivery or a product barcode."))
        picking = self.browse(picking_id).exists() if picking_id else self.browse()
        kind, found = self._omni_classify_entry(code, picking, field)
        if kind == "delivery":
            found._omni_check_open()
            return found._omni_station_result(
                self.env._("Delivery %(picking)s opened: scan its items.", picking=found.name), "delivery"
            )
        if not picking:
            raise UserError(self.env._("%(code)s is not an open delivery: scan the delivery first.", code=code))
        if kind == "command":
            return picking.action_omni_pack_validate()
        if kind == "weight":
            picking.omni_packing_set_parcel(weight=found)
            message = (
                self.env._("Weight recorded. Scan O-BTN.validate or press Ship Parcel.")
                if picking.carrier_tracking_ref
                else self.env._("Weight recorded. Scan the tracking label.")
            )
            return picking._omni_station_result(message, "weight")
        if kind == "tracking":
            return picking._omni_record_tracking(code, found)
        if kind == "quantity":
            if not ask_barcode:
                raise UserError(self.env._("Scan the product first, then enter its quantity."))
            code, quantity = ask_barcode, found
        elif kind == "product":
            if field != "barcode":
                # a product scanned into the weight field or the quantity prompt: a unit scan of that product
                quantity = None
        elif field != "barcode":
            if field == "weight":
                raise UserError(
                    self.env._(
                        "%(code)s is neither a weight nor a code the station knows: type the weight of %(picking)s "
                        "in kg, e.g. 1.25.",
                        code=code,
                        picking=picking.name,
                    )
                )
            raise UserError(
                self.env._(
                    "%(code)s is neither a quantity nor a code the station knows: type the quantity packed, e.g. "
                    "0.5.",
                    code=code,
                )
            )
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
        return dict(
            picking._omni_station_result(message, "product"),
            ask_quantity=result["ask_quantity"] and {"barcode": code, "left": result["ask_quantity"]},
        )

    @api.model
    def _omni_classify_entry(self, code, picking, field="barcode"):
        """What ``code`` is, wherever it was typed: (kind, value) with kind
        among command, delivery, product (value: the product), weight,
        quantity (value: the number), tracking (value: the couriers whose
        pattern it matches, maybe none) or False. A plausible number typed into
        the weight field or the quantity prompt is a weight or a quantity;
        anything else that is a barcode is that scan."""
        if code == VALIDATE_COMMAND:
            return "command", None
        Product = self.env["product.product"]
        # a product's barcode is a scan even where a number is expected (an EAN is no plausible number anyway)
        product = Product.search([("barcode", "=", code)], limit=1)
        if product:
            return "product", product
        delivery = self.search([("name", "=", code), ("picking_type_code", "=", "outgoing")], limit=1)
        if delivery:
            return "delivery", delivery
        if field in ("weight", "quantity") and picking and NUMBER_PATTERN.match(code):
            number = float(code.replace(",", "."))
            if field == "weight":
                limit = picking.company_id.omni_max_parcel_weight
                if not limit or number <= limit:
                    return "weight", number
            else:
                limit = picking.company_id.omni_max_pack_quantity
                if not limit or number <= limit:
                    return "quantity", number
        product = Product.search([("default_code", "=", code)], limit=1)
        if product:
            return "product", product
        company = picking.company_id if picking else self.env.company
        couriers = self.env["delivery.carrier"]._omni_match_tracking(code, company=company)
        if couriers:
            return "tracking", couriers
        if (
            picking
            and picking.omni_packing_complete
            and not picking.carrier_tracking_ref
            and (field == "barcode" or (field == "weight" and TRACKING_NUMBER_PATTERN.match(code)))
        ):
            # the label of a courier without a pattern: the one code a packed parcel still waits for (in
            # the weight field: 10 to 30 letters and digits, which no weight typed by hand looks like)
            return "tracking", couriers
        if field == "weight" and picking and NUMBER_PATTERN.match(code):
            # a number, but no weight: refused with the limit, in the station's error style
            picking._omni_check_parcel_weight(float(code.replace(",", ".")))
        if field == "quantity" and picking and NUMBER_PATTERN.match(code):
            limit = picking.company_id.omni_max_pack_quantity
            raise UserError(
                self.env._(
                    "%(quantity)s is no plausible quantity for %(picking)s: at most %(limit)s at once "
                    "(Inventory settings).",
                    quantity=code,
                    picking=picking.name,
                    limit=format(limit, "g"),
                )
            )
        return False, None

    def _omni_record_tracking(self, number, couriers):
        """The tracking label of this parcel was scanned: its number, and its
        courier when exactly one courier's pattern matches (the label is
        what the parcel travels with). Otherwise the station asks which
        courier, unless the delivery already has one of the candidates."""
        self.ensure_one()
        self._omni_check_open()
        if self.carrier_tracking_ref and self.carrier_tracking_ref != number:
            raise UserError(
                self.env._(
                    "%(picking)s already has tracking number %(number)s: if its label was replaced, correct the "
                    "Tracking No. field.",
                    picking=self.name,
                    number=self.carrier_tracking_ref,
                )
            )
        vals = {"carrier_tracking_ref": number}
        if len(couriers) == 1:
            vals["carrier_id"] = couriers.id
        self.write(vals)
        if self.carrier_id:
            message = self.env._(
                "Tracking number %(number)s recorded, courier %(courier)s.",
                number=number,
                courier=self.carrier_id.omni_courier_code or self.carrier_id.name,
            )
            level = "info"
        else:
            message = self.env._(
                "Tracking number %(number)s recorded: which courier takes %(picking)s?",
                number=number,
                picking=self.name,
            )
            level = "warning"
        return self._omni_station_result(message, "tracking", level=level, courier_choices=couriers)

    def _omni_station_result(self, message, entered, level="info", courier_choices=None):
        self.ensure_one()
        data = self._omni_packing_station_data()
        if courier_choices:
            data["couriers"] = [choice for choice in data["couriers"] if choice["id"] in courier_choices.ids] or data[
                "couriers"
            ]
        return {
            "picking": data,
            "message": message,
            "ask_quantity": False,
            "level": "success" if data["done"] else level,
            "entered": entered,
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
            self._omni_check_parcel_weight(weight)
            vals["omni_parcel_weight"] = weight
        if tracking_no is not None:
            vals["carrier_tracking_ref"] = (tracking_no or "").strip() or False
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
        return self._omni_station_result(
            self.env._("%(picking)s shipped. Scan the next delivery.", picking=self.name), "command"
        )

    def _omni_check_open(self):
        for picking in self:
            if picking.state in ("done", "cancel") or picking.picking_type_code != "outgoing":
                raise UserError(self.env._("%(picking)s is not an open delivery.", picking=picking.name))
        # 退款拦截: the station refuses a held order's delivery with the reason
        self._omni_check_not_held()

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
        # the packer (an Inventory user) reads the channel's one setting on its own delivery
        needs_courier = bool(self.sudo().omni_channel_id) and not self.sudo().omni_channel_id.ships_without_courier
        couriers = self.env["delivery.carrier"].search(
            [("omni_courier_code", "!=", False), ("company_id", "in", [self.company_id.id, False])],
            order="omni_courier_code",
        )
        return {
            "id": self.id,
            "name": self.name,
            "state": self.state,
            "state_label": dict(self._fields["state"]._description_selection(self.env)).get(self.state),
            "receiver": waybill["receiver"],
            "address": waybill["address"],
            "unit_code": waybill["unit_code"],
            "order_numbers": waybill["order_numbers"],
            "courier_code": self.carrier_id.omni_courier_code or "",
            "courier_missing": needs_courier and not self.carrier_id,
            "couriers": [
                {"id": courier.id, "code": courier.omni_courier_code, "name": courier.name} for courier in couriers
            ],
            "tracking_no": self.carrier_tracking_ref or "",
            "weight": self.omni_parcel_weight,
            "complete": self.omni_packing_complete,
            "lines": lines,
            "lines_left": sum(1 for line in lines if not line["done"]),
            "done": self.state == "done",
        }
