# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import csv
import io

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.omni_base.tools import guard


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    require_scan_packing = fields.Boolean(
        string="Verify Packing by Scanning",
        help="Deliveries of this channel are validated only when every unit was scanned.",
    )
    require_tracking = fields.Boolean(
        string="Tracking Number Required",
        help="Deliveries of this channel are validated only with a courier and a tracking number.",
    )
    ships_without_courier = fields.Boolean(
        string="Ships without Courier",
        help="Deliveries of this channel may be validated without a courier (e.g. the buyers pick their goods "
        "up). Otherwise a delivery is shipped only once its courier is known, so that courier reconciliation "
        "finds it.",
    )

    def action_export_shipments(self):
        """For platforms without an API: a CSV of the shipped orders' courier
        and tracking numbers not exported yet, to upload by hand; they are
        then marked exported (export again from the attachment if lost)."""
        self.ensure_one()
        pickings = self.env["stock.picking"].search(
            [("omni_channel_id", "=", self.id), ("omni_shipment_state", "=", "to_export")], order="date_done, id"
        )
        if not pickings:
            raise UserError(self.env._("No shipment of %(channel)s waits for export.", channel=self.display_name))
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["平台订单号", "快递公司", "运单号"])
        writer.writerows(self.env["stock.picking"]._omni_export_rows(pickings))
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"shipments_{self.code}_{fields.Datetime.now():%Y%m%d_%H%M%S}.csv",
                "raw": buffer.getvalue().encode("utf-8-sig"),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "text/csv",
            }
        )
        guard.internal(pickings).write({"omni_shipment_state": "exported"})  # the ones exported just now
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}
