# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields, models

from odoo.addons.omni_base.tools import guard

# a longer range of days is generated in a background job
SYNC_MAX_DAYS = 7


class OmniRetailGenerate(models.TransientModel):
    """Button 'Generate': retail records for a range of days and some or all
    channels of the current company, posted at once if asked."""

    _name = "omni.retail.generate"
    _description = "Generate Retail Records"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date_from = fields.Date(
        string="From", required=True, default=lambda self: fields.Date.context_today(self) - timedelta(days=1)
    )
    date_to = fields.Date(
        string="To", required=True, default=lambda self: fields.Date.context_today(self) - timedelta(days=1)
    )
    channel_ids = fields.Many2many(
        "omni.channel", string="Channels", check_company=True, help="Empty: every channel of the company."
    )
    post = fields.Boolean(string="Post at Once")
    result_message = fields.Text(readonly=True)
    queued = fields.Boolean(readonly=True)

    def action_generate(self):
        self.ensure_one()
        Record = self.env["omni.retail.record"].with_context(allowed_company_ids=self.company_id.ids)
        if self.date_to and self.date_from and (self.date_to - self.date_from).days + 1 > SYNC_MAX_DAYS:
            return self._generate_in_background(Record)
        result = Record.generate(self.date_from, self.date_to, self.channel_ids.mapped("code") or None)
        records = Record.browse(result["records"])
        if self.post:
            records.action_post()
        message = result["message"]
        if result["skipped"]:
            message += "\n" + "\n".join(f"{s['document']}: {s['reason']}" for s in result["skipped"][:50])
        guard.internal(self).result_message = message
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "context": {"omni_retail_record_ids": records.ids},
        }

    def _generate_in_background(self, Record):
        """More than SYNC_MAX_DAYS days: checked here (rights, days, lock
        date, unit codes), generated (and posted) by a job on the ledger's
        channel, as this user; the same request twice while the first waits
        adds no second job."""
        Record._check_generation(self.company_id, self.date_from, self.date_to)
        codes = sorted(self.channel_ids.mapped("code")) or None
        Record._delay_generation(
            self.company_id,
            self.date_from,
            self.date_to,
            f"omni_retail_generate_{self.company_id.id}_{self.date_from}_{self.date_to}_"
            f"{','.join(codes or [])}_{bool(self.post)}",
        )._generate_wizard_job(self.company_id, self.date_from, self.date_to, codes, self.post)
        guard.internal(self).write(
            {
                "queued": True,
                "result_message": self.env._(
                    "%(days)s days are generated in the background (a job of the retail ledger); the records "
                    "appear in Retail Records when it is done. If none appear, ask your administrator: the reason of a "
                    "failure is in Settings ▸ Technical ▸ Jobs.",
                    days=(self.date_to - self.date_from).days + 1,
                ),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_open_records(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Retail Records"),
            "res_model": "omni.retail.record",
            "view_mode": "list,form",
            "domain": [("id", "in", self.env.context.get("omni_retail_record_ids", []))],
        }
