# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""SF Express open platform (顺丰丰桥) as a delivery provider
(``delivery_type`` ``sf_express``): the ``_sf_express_waybill_*`` primitives
of ``omni_waybill`` through :class:`~..services.sf_express.SfExpressClient`.

SF prints no encrypted receiver and has no local print component: its
labels come as PDF (cloud print, fetched when printed, 20 numbers per call),
kept as attachments of the delivery and printed from the browser, several
deliveries' labels merged into one file."""

import base64
import json

from odoo import fields, models
from odoo.tools.pdf import merge_pdf

from odoo.addons.omni_base.tools import guard
from odoo.addons.omni_waybill.services import WaybillError
from odoo.addons.omni_waybill.services.parcel import client_parcel, platform_errors

from ..services.sf_express import BATCH_LIMIT, SfExpressClient

DEFAULT_URL = "https://bspgw.sf-express.com/std/service"


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(
        selection_add=[("sf_express", "SF Express Open Platform")],
        ondelete={"sf_express": lambda carriers: carriers.write({"delivery_type": "fixed", "fixed_price": 0})},
    )

    def sf_express_rate_shipment(self, order):
        return self._omni_waybill_rate_shipment(order)

    def sf_express_get_tracking_link(self, picking):
        return f"https://www.sf-express.com/chn/sc/waybill/waybill-detail/{picking.carrier_tracking_ref or ''}"

    # -- waybill provider primitives (omni_waybill)
    def _sf_express_waybill_batch_size(self):
        return BATCH_LIMIT

    def _sf_express_waybill_encrypted_platforms(self):
        return ()

    def _sf_express_client(self, account, sender=None):
        if not (account.app_key and account.app_secret):
            raise WaybillError(
                self.env._(
                    "The SF Express account %(account)s has no customer code (App Key) or check word (App Secret).",
                    account=account.name,
                )
            )
        return SfExpressClient(
            base_url=account.endpoint_url or DEFAULT_URL,
            partner_id=account.app_key,
            check_word=account.app_secret,
            sender=sender or {},
            monthly_card=account.sf_monthly_card or "",
            express_type=int(self.omni_waybill_product_type or 2)
            if (self.omni_waybill_product_type or "2").isdigit()
            else 2,
            template_code=self.omni_waybill_template_url or "",
            timeout=account.timeout or 15,
            retries=1,
        )

    @staticmethod
    def _sf_express_results(results):
        """The framework's results of the client's: the number, the routing
        label data and the child numbers (the PDF label is fetched when
        printed, 20 numbers per cloud print call)."""
        return [
            {"request_key": r["key"], "number": r["tracking_number"], "error": r["error"],
             "print_data": {"routing": r["routing"], "children": r.get("child_tracking_numbers") or []}
             if r["tracking_number"] else {}}
            for r in results
        ]  # fmt: skip

    def _sf_express_waybill_issue(self, account, parcels):
        results = self._omni_waybill_client_issue(self._sf_express_client, account, parcels, with_labels=False)
        return self._sf_express_results(results)

    def _sf_express_waybill_query(self, account, parcels):
        """The numbers SF issued for these request keys before (a timeout):
        SF keeps the order under our key (``EXP_RECE_SEARCH_ORDER_RESP``)."""
        self.ensure_one()
        found = []
        with platform_errors(), self._sf_express_client(account) as client:
            for parcel in parcels:
                msg = client.search(parcel["request_key"])
                if msg:
                    found.append(client._result(client_parcel(parcel), msg))
        return self._sf_express_results([r for r in found if r["tracking_number"]])

    def _sf_express_waybill_cancel(self, account, waybills):
        self.ensure_one()
        with platform_errors(), self._sf_express_client(account) as client:
            for waybill in waybills:
                client.cancel(waybill.number, waybill.request_key)
        return True

    def _sf_express_labels(self, waybills):
        """Fetch the PDF labels these waybills do not have yet (cloud print,
        20 numbers per call, per account) and keep each as an attachment of
        its delivery (named after the number)."""
        missing = waybills.filtered(lambda w: w.number and not w._print_data().get("label_attachment_id"))
        # the account's credentials are read as superuser: the caller checked
        # its rights on these deliveries (their print task)
        for account, group in missing.grouped(lambda w: w.sudo().account_id).items():
            with platform_errors(), self._sf_express_client(account) as client:
                pdfs = client.labels(group.mapped("number"))
            for waybill in group.filtered(lambda w, found=pdfs: w.number in found):
                attachment = self.env["ir.attachment"].create(
                    {
                        "name": f"{waybill.number}.pdf",
                        "raw": pdfs[waybill.number],
                        "mimetype": "application/pdf",
                        "res_model": "stock.picking",
                        "res_id": waybill.picking_id.id,
                    }
                )
                data = dict(waybill._print_data(), label_attachment_id=attachment.id)
                guard.internal(waybill).write({"print_data": json.dumps(data)})

    def _sf_express_waybill_print_task(self, waybills):
        """The labels of ``waybills`` merged in their order into one PDF
        that the browser prints."""
        self._sf_express_labels(waybills)
        ids = [w._print_data().get("label_attachment_id") for w in waybills if w.number]
        attachments = self.env["ir.attachment"].browse([i for i in ids if i]).exists()
        by_id = {a.id: a for a in attachments}
        pdfs = [base64.b64decode(by_id[i].datas) for i in ids if i in by_id]
        if not pdfs:
            return None
        merged = pdfs[0] if len(pdfs) == 1 else merge_pdf(pdfs)
        return {"pdf": base64.b64encode(merged).decode()}
