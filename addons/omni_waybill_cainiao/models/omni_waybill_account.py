# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.omni_waybill.services import WaybillError

from ..services.cainiao import CainiaoClient

DEFAULT_ROUTER = "https://eco.taobao.com/router/rest"


class OmniWaybillAccount(models.Model):
    """A Cainiao account is a TOP app and the seller's session (the shop
    that subscribed to Cainiao's waybill service of each courier)."""

    _inherit = "omni.waybill.account"

    cainiao_template_ids = fields.One2many("omni.waybill.template", "account_id", string="Standard Templates")

    def _cainiao_client(self):
        self.ensure_one()
        # the packer's request reads the account's secret here, as superuser
        # (checked by the caller: the delivery's write access)
        account = self.sudo()
        if not (account.app_key and account.app_secret and account.access_token):
            raise WaybillError(
                self.env._(
                    "account %(account)s is not configured: app key, app secret and session are required",
                    account=account.name,
                )
            )
        return CainiaoClient(
            base_url=account.endpoint_url or DEFAULT_ROUTER,
            app_key=account.app_key,
            app_secret=account.app_secret,
            access_token=account.access_token,
            timeout=(5, account.timeout or 15),
        )

    def action_cainiao_fetch_templates(self):
        """cainiao.cloudprint.stdtemplates.get: Cainiao's standard label
        templates of every courier, kept on the account."""
        self.ensure_one()
        self.check_access("write")
        try:
            with self._cainiao_client() as client:
                templates = client.standard_templates()
        except WaybillError as err:
            raise UserError(self.env._("Cainiao: %(reason)s", reason=err.reason)) from err
        vals_list = [
            {
                "account_id": self.id,
                "cp_code": cp_code,
                "name": template.get("standard_template_name") or "",
                "url": template.get("standard_template_url") or "",
                "template_id": str(template.get("standard_template_id") or ""),
                "waybill_type": int(template.get("standard_waybill_type") or 0),
            }
            for cp_code, items in templates.items()
            for template in items
        ]
        self.cainiao_template_ids.unlink()
        self.env["omni.waybill.template"].create(vals_list)
        return True
