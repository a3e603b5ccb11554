# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    """The packing station with waybill services: once a delivery is packed
    and weighed, its number is asked from its courier's service and the
    label's print task goes to the browser (the service's print component);
    a failure shows the service's reason and the delivery waits (retry, or
    another courier). A courier without a service keeps the scanned label."""

    _inherit = "stock.picking"

    @api.model
    def omni_packing_scan(self, code, picking_id=False, quantity=None, field="barcode", ask_barcode=None):
        before = self.browse(picking_id).exists()._omni_waybill_live() if picking_id else self.env["omni.waybill"]
        result = super().omni_packing_scan(
            code, picking_id=picking_id, quantity=quantity, field=field, ask_barcode=ask_barcode
        )
        picking = self.browse(result["picking"]["id"])
        if result.get("entered") not in ("product", "weight", "quantity") or picking.state in ("done", "cancel"):
            return result
        if result.get("entered") == "weight":
            # recording the weight already asked the service (omni_packing_set_parcel): say what it answered
            if picking._omni_waybill_live() - before:
                return picking._omni_waybill_station_result()
            if picking.omni_waybill_error and picking._omni_waybill_ready():
                return picking._omni_station_result(picking.omni_waybill_error, "waybill", level="danger")
            return result
        if picking._omni_waybill_ready():
            return picking._omni_waybill_station_request()
        return result

    def omni_packing_set_parcel(self, weight=None, tracking_no=None, courier_code=None):
        data = super().omni_packing_set_parcel(weight=weight, tracking_no=tracking_no, courier_code=courier_code)
        if self._omni_waybill_ready():
            return self._omni_waybill_station_request()["picking"]
        return data

    def omni_packing_request_waybill(self):
        """The station's Retry button: ask the service again."""
        self.ensure_one()
        self._omni_check_open()
        return self._omni_waybill_station_request()

    def omni_packing_printed(self, waybill_ids):
        """The print component took these labels."""
        self.ensure_one()
        waybills = self.omni_waybill_ids.filtered(lambda w: w.id in waybill_ids)
        waybills.action_mark_printed()
        return self._omni_packing_station_data()

    def _omni_record_tracking(self, number, couriers):
        self.ensure_one()
        if self.carrier_id._omni_waybill_is_service():
            raise UserError(
                self.env._(
                    "%(picking)s ships through %(service)s: its number comes from the service, no label is "
                    "scanned. Weigh it, then ship it.",
                    picking=self.name,
                    service=self.carrier_id._omni_waybill_service_name(),
                )
            )
        return super()._omni_record_tracking(number, couriers)

    def action_omni_pack_validate(self):
        self.ensure_one()
        self._omni_check_open()
        if self.omni_packing_complete and self._omni_waybill_needs_number():
            result = self._omni_waybill_station_request()
            if result["level"] == "danger":
                # not shipped: the service's reason stays shown (and stored)
                return result
        return super().action_omni_pack_validate()

    def _omni_waybill_needs_number(self):
        self.ensure_one()
        if not self.carrier_id:
            # a channel's routing rules give it a courier first
            rules = (
                self.env["omni.waybill.rule"].sudo().search_count([("channel_id", "=", self.sudo().omni_channel_id.id)])
            )
            return bool(rules) and self.picking_type_code == "outgoing"
        return self.carrier_id._omni_waybill_is_service() and len(self._omni_waybill_live()) < max(
            self.omni_parcel_count, 1
        )

    def _omni_waybill_ready(self):
        """Packed, weighed, open, and still waiting for a service's number."""
        self.ensure_one()
        return bool(
            self.state not in ("done", "cancel")
            and self.picking_type_code == "outgoing"
            and self.omni_packing_complete
            and self.omni_parcel_weight > 0
            and self._omni_waybill_needs_number()
        )

    def _omni_waybill_station_request(self):
        self.ensure_one()
        errors = self._omni_waybill_request()
        if errors:
            return self._omni_station_result(errors.get(self) or next(iter(errors.values())), "waybill", level="danger")
        return self._omni_waybill_station_result()

    def _omni_waybill_station_result(self):
        numbers = ", ".join(self._omni_waybill_live().mapped("number"))
        return self._omni_station_result(
            self.env._(
                "Waybill %(numbers)s from %(service)s: label sent to the printer. Scan O-BTN.validate or press "
                "Ship Parcel.",
                numbers=numbers,
                service=self.carrier_id._omni_waybill_service_name(),
            ),
            "waybill",
        )

    def _omni_packing_station_data(self):
        data = super()._omni_packing_station_data()
        live = self._omni_waybill_live()
        data.update(
            waybill_service=self.carrier_id._omni_waybill_service_name() if self.omni_waybill_service else "",
            waybill_error=self.omni_waybill_error or "",
            waybills=[{"id": w.id, "number": w.number, "state": w.state, "parcel": w.parcel_index} for w in live],
            print_tasks=live.filtered(lambda w: w.state == "issued")._print_tasks(),
        )
        if self.omni_waybill_service and data["couriers"]:
            data["courier_missing"] = False
        return data

    def omni_packing_print_tasks(self):
        """Print tasks of every live label of this delivery (printed again)."""
        self.ensure_one()
        self.check_access("write")
        return self._omni_waybill_live()._print_tasks()
