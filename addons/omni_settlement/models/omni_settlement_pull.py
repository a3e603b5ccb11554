# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Settlement lines pulled through the channel's platform adapter
(``pull_settlements``), imported as a statement like a file: they are kept
as a JSON file (readers_api.py) and go through the same import, matching and
checks. The same period pulled again gives the same lines, hence the same
file and the same statement: nothing is duplicated."""

import base64
import datetime

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.omni_base.tools import guard
from odoo.addons.omni_platform.platforms import PlatformError, PlatformNotSupportedError
from odoo.addons.omni_platform.platforms.base import SHANGHAI

from .. import readers_api


class OmniSettlement(models.Model):
    _inherit = "omni.settlement"

    file_format = fields.Selection(selection_add=[("api", "Pulled from the platform API")])

    @api.model
    def pull_settlements(self, channel_code, date_from, date_to):
        """Pull the settlement lines of the channel (unit code of the
        current company) booked from ``date_from`` to ``date_to`` (dates,
        both included, China time) through its platform adapter and import
        them as one statement; return its id (the same id when the same
        lines were pulled before). Settlement Manager only."""
        if not self.env.user.has_group("omni_settlement.group_settlement_manager"):
            raise AccessError(self.env._("Pulling settlements from a platform needs Settlement Manager rights."))
        self.check_access("create")
        channel = self.env["omni.channel"]._get_by_code(channel_code, company=self.env.company)
        statement_id = self._pull_channel_settlements(channel, date_from, date_to)
        if not statement_id:
            raise UserError(
                self.env._(
                    "The platform has no settlement line for channel %(channel)s from %(date_from)s to %(date_to)s.",
                    channel=channel.display_name,
                    date_from=date_from,
                    date_to=date_to,
                )
            )
        return statement_id

    @api.model
    def _pull_channel_settlements(self, channel, date_from, date_to):
        """Pull and import the settlement lines of ``channel`` from
        ``date_from`` to ``date_to`` (China dates, both included); return
        the statement id, or False when the platform has no line for the
        period. The callers checked the rights: a Settlement Manager
        (:meth:`pull_settlements`) or the daily pull a manager switched on
        (``omni.channel._pull_settlements_job``)."""
        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        if not date_from or not date_to or date_from > date_to:
            raise UserError(self.env._("Pull settlements: the period %(date_from)s to %(date_to)s is not a period.",
                                       date_from=date_from, date_to=date_to))  # fmt: skip
        local_from = datetime.datetime.combine(date_from, datetime.time())
        local_to = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time())

        def utc(local):
            return local.replace(tzinfo=SHANGHAI).astimezone(datetime.UTC).replace(tzinfo=None)

        adapter = channel._get_adapter()
        try:
            with adapter:
                lines = list(adapter.pull_settlements(utc(local_from), utc(local_to)))
        except PlatformNotSupportedError as exc:
            raise UserError(
                self.env._(
                    "Channel %(channel)s: its platform API gives no settlements here; import the platform's "
                    "statement file instead.",
                    channel=channel.display_name,
                )
            ) from exc
        except PlatformError as exc:
            raise UserError(
                self.env._(
                    "Pulling the settlements of channel %(channel)s failed: %(error)s",
                    channel=channel.display_name,
                    error=exc.message,
                )  # fmt: skip
            ) from exc
        if not lines:
            return False
        content = readers_api.api_content(lines, channel.code, channel.adapter_kind, local_from, local_to)
        filename = f"{channel.code}_settlements_{date_from}_{date_to}.json"
        return self.import_file(channel.code, filename, base64.b64encode(content).decode())

    @api.model
    def _start_import(self, channel_code, filename, content_base64):
        statement, content = super()._start_import(channel_code, filename, content_base64)
        # lines pulled from the platform (or such a file imported again) are read as such, not as its export
        if statement.state == "draft" and readers_api.is_api_content(content):
            guard.internal(statement).file_format = "api"
        return statement, content

    def _table_message(self, err):
        if err.template == readers_api.TEMPLATE_BAD_API_FILE:
            return self.env._(err.template) % err.params  # pylint: disable=translation-required
        return super()._table_message(err)


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    def action_pull_settlements(self):
        """Pull last month's settlements of the channel through its platform
        API (Settlement Manager) and open the statement."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        first = today.replace(day=1) - relativedelta(months=1)
        last = today.replace(day=1) - datetime.timedelta(days=1)
        statement_id = (
            self.env["omni.settlement"].with_company(self.company_id).pull_settlements(self.code, first, last)
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "omni.settlement",
            "res_id": statement_id,
            "view_mode": "form",
        }
