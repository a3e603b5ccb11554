# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.omni_base.tools import guard

from ..services import WaybillError

STATES = [
    ("requested", "Requested"),
    ("issued", "Issued"),
    ("printed", "Printed"),
    ("cancelled", "Cancelled"),
]
LIVE_STATES = ("issued", "printed")


class OmniWaybill(models.Model):
    """One electronic waybill (电子面单): the number a waybill service
    issued for one parcel of a delivery, and what prints its label.

    A parcel's request key is fixed before the service is asked (delivery,
    parcel, carrier, and how many of its numbers were cancelled): asking
    again for the same parcel finds the same record, and a request that
    timed out is first looked up at the service by that key, so one parcel
    never gets two live numbers. A cancelled number stays here, cancelled:
    it is never reused and courier reconciliation no longer expects it."""

    _name = "omni.waybill"
    _description = "E-Waybill"
    _order = "id desc"
    _check_company_auto = True
    _rec_name = "number"

    number = fields.Char(string="Waybill Number", readonly=True, index="btree_not_null", copy=False)
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    company_id = fields.Many2one(related="picking_id.company_id", store=True, index=True)
    carrier_id = fields.Many2one(
        "delivery.carrier", string="Courier", required=True, readonly=True, ondelete="restrict", check_company=True
    )
    service = fields.Selection(related="carrier_id.delivery_type", store=True, string="Waybill Service")
    courier_code = fields.Char(related="carrier_id.omni_courier_code", store=True)
    account_id = fields.Many2one("omni.waybill.account", string="Service Account", readonly=True)
    parcel_index = fields.Integer(string="Parcel", readonly=True, default=1)
    parcel_count = fields.Integer(string="Parcels", readonly=True, default=1)
    state = fields.Selection(STATES, required=True, readonly=True, default="requested", copy=False, index=True)
    request_key = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        help="What the service knows this request by (Cainiao's object_id...): asking again with it returns the "
        "same number.",
    )
    attempt_count = fields.Integer(string="Requests Sent", readonly=True)
    print_data = fields.Text(readonly=True, help="The service's print data of this label (JSON).")
    error = fields.Text(string="Service's Answer", readonly=True)
    issue_date = fields.Datetime(string="Issued on", readonly=True)
    print_date = fields.Datetime(string="Printed on", readonly=True)
    cancel_date = fields.Datetime(string="Cancelled on", readonly=True)

    _sql_constraints = [
        ("request_key_unique", "UNIQUE(request_key)", "A request key names one waybill."),
    ]

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Waybills are never deleted: cancel them, their numbers are never reused."))

    @api.depends("number", "picking_id", "parcel_index", "parcel_count")
    def _compute_display_name(self):
        for waybill in self:
            name = waybill.number or self.env._("(no number yet)")
            if waybill.parcel_count > 1:
                name = f"{name} ({waybill.parcel_index}/{waybill.parcel_count})"
            waybill.display_name = name

    def _print_data(self):
        self.ensure_one()
        try:
            return json.loads(self.print_data or "{}")
        except ValueError:
            return {}

    # -- actions
    def action_cancel(self):
        """Give the numbers back to their services and mark them
        cancelled. All or nothing: the first refusal of a service is shown
        with its reason and nothing is marked."""
        self.picking_id.check_access("write")
        live = self.filtered(lambda w: w.state in LIVE_STATES)
        pending = self.filtered(lambda w: w.state == "requested")
        # grouped by the carrier and account that issued them; the account is
        # read as superuser (the credentials) after the delivery's rights
        for (carrier, account), waybills in live.sudo().grouped(lambda w: (w.carrier_id, w.account_id)).items():
            try:
                carrier.with_company(waybills.company_id[:1])._omni_waybill_call("cancel", account, waybills)
            except WaybillError as err:
                raise UserError(
                    self.env._(
                        "%(service)s refused to cancel %(numbers)s: %(reason)s",
                        service=carrier._omni_waybill_service_name(),
                        numbers=", ".join(waybills.mapped("number")),
                        reason=err.reason,
                    )
                ) from err
        now = fields.Datetime.now()
        guard.internal(live | pending).write({"state": "cancelled", "cancel_date": now})
        for picking in live.picking_id:
            numbers = set(live.filtered(lambda w, p=picking: w.picking_id == p).mapped("number"))
            if picking.carrier_tracking_ref and picking.carrier_tracking_ref in numbers:
                # reconciliation expects what a delivery's tracking number says: a
                # cancelled number leaves it (another live parcel's number takes its place)
                picking.carrier_tracking_ref = picking._omni_waybill_live()[:1].number or False
            # a log note (no e-mail: a packer often has no address)
            picking._message_log(
                body=self.env._("Waybill numbers cancelled at the service: %(numbers)s", numbers=", ".join(numbers))
            )
        return True

    def action_mark_printed(self):
        """The print component accepted these labels (sent from the browser)."""
        self.picking_id.check_access("write")
        issued = self.filtered(lambda w: w.state == "issued")
        guard.internal(issued).write({"state": "printed", "print_date": fields.Datetime.now()})
        return True

    def _print_tasks(self):
        """What the browser sends to each service's print component: one task
        per carrier, ``{"service", "waybill_ids", "url", "payload"}`` (see
        readme/PROVIDERS.md)."""
        tasks = []
        for carrier, waybills in self.filtered(lambda w: w.state in LIVE_STATES).grouped("carrier_id").items():
            waybills = waybills.sorted(lambda w: (w.picking_id.id, w.parcel_index))
            task = carrier._omni_waybill_call("print_task", waybills)
            if task:
                tasks.append(dict(task, service=carrier.delivery_type, waybill_ids=waybills.ids))
        return tasks
