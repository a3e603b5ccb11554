# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Waybills of many deliveries at once, from the deliveries list: the
numbers asked in the services' batches, the labels printed in picking
order."""

from odoo import models
from odoo.exceptions import UserError

from .omni_waybill import LIVE_STATES

#: the order in which the warehouse picks and packs deliveries: urgent first,
#: then the oldest scheduled, then by number (stable for equal dates)
PICKING_ORDER = ("priority desc", "scheduled_date asc", "name asc", "id asc")


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _omni_picking_order(self):
        """These deliveries in picking order (:data:`PICKING_ORDER`)."""
        if not self:
            return self
        return self.search([("id", "in", self.ids)], order=", ".join(PICKING_ORDER))

    def action_omni_waybill_print_batch(self):
        """Deliveries list ▸ Print E-Waybills: the numbers of the selected
        deliveries that are ready to ship, asked from their services in
        picking order (one request per service batch: 10 parcels for
        Pinduoduo...), and one print task per service with the labels in
        picking order. Deliveries that are not ready or get no number are
        listed with the reason; the others print."""
        self.check_access("write")
        ordered = self._omni_picking_order()
        ready = ordered.filtered(lambda p: p.picking_type_code == "outgoing" and p.state == "assigned")
        skipped = {
            picking: self.env._("%(picking)s is not a delivery ready to ship.", picking=picking.name)
            for picking in ordered - ready
        }
        if not ready:
            raise UserError("\n".join(skipped.values()) or self.env._("Select deliveries ready to ship."))
        errors = ready._omni_waybill_request()
        printed = ready - ready.browse([p.id for p in errors])
        tasks = printed._omni_waybill_print_tasks_in_order()
        reasons = list(skipped.values()) + list(errors.values())
        return {
            "type": "ir.actions.client",
            "tag": "omni_waybill_print_batch",
            "params": {
                "tasks": tasks,
                "printed": len(printed),
                "errors": reasons,
                "title": self.env._(
                    "%(printed)s of %(count)s deliveries sent to print", printed=len(printed), count=len(ordered)
                ),
            },
        }

    def _omni_waybill_print_tasks_in_order(self):
        """One print task per service (in the order the services first
        appear), each with the live waybills of these deliveries in the
        order of ``self`` (then by parcel)."""
        position = {picking.id: index for index, picking in enumerate(self)}
        waybills = self.omni_waybill_ids.filtered(lambda w: w.state in LIVE_STATES).sorted(
            lambda w: (position[w.picking_id.id], w.parcel_index)
        )
        tasks = []
        for carrier, group in waybills.grouped("carrier_id").items():
            task = carrier._omni_waybill_call("print_task", group)
            if task:
                tasks.append(dict(task, service=carrier.delivery_type, waybill_ids=group.ids))
        return tasks
