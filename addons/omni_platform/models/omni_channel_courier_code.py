# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class OmniChannelCourierCode(models.Model):
    """One courier as a channel's platform names it: our courier code and the
    platform's code or id for it, used when a shipment is written back. A
    platform addon shows its own lines on the channel (a one2many on
    ``channel_id`` with the domain of its ``platform``) and says whether its
    ids are numbers (``_omni_numeric_platforms``)."""

    _name = "omni.channel.courier.code"
    _description = "Courier Code of a Channel's Platform"
    _order = "channel_id, platform, courier_code, id"
    _check_company_auto = True

    channel_id = fields.Many2one("omni.channel", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="channel_id.company_id", store=True)
    platform = fields.Char(
        required=True,
        help="The platform API (adapter kind) whose courier list this line is of, e.g. jd.",
    )
    courier_code = fields.Char(required=True, help="Our courier code (as on the couriers), e.g. SF.")
    platform_code = fields.Char(
        string="Platform's Code or ID",
        required=True,
        help="The platform's code or id of this courier, e.g. JD's logistics company id 467 for SF.",
    )

    _sql_constraints = [
        (
            "channel_platform_courier_unique",
            "unique(channel_id, platform, courier_code)",
            "A channel maps each of our courier codes once per platform: remove the second line of the code.",
        ),
    ]

    @api.model
    def _omni_numeric_platforms(self):
        """The platforms whose courier ids are numbers (a platform addon adds its kind)."""
        return set()

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._omni_clean_vals(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(self._omni_clean_vals(vals))

    @api.model
    def _omni_clean_vals(self, vals):
        """Codes without surrounding spaces, ours in capitals."""
        vals = dict(vals)
        if isinstance(vals.get("courier_code"), str):
            vals["courier_code"] = vals["courier_code"].strip().upper()
        if isinstance(vals.get("platform_code"), str):
            vals["platform_code"] = vals["platform_code"].strip()
        return vals

    @api.constrains("channel_id", "platform", "courier_code", "platform_code")
    def _check_codes(self):
        numeric = self._omni_numeric_platforms()
        for line in self:
            if not line.courier_code or not line.platform_code:
                raise ValidationError(
                    self.env._(
                        "Channel %(channel)s: a courier line needs our courier code and the platform's code.",
                        channel=line.channel_id.display_name,
                    )
                )
            if line.platform in numeric and not line.platform_code.isdigit():
                raise ValidationError(
                    self.env._(
                        "Channel %(channel)s, courier %(courier)s: the platform's id is a number (got %(value)s).",
                        channel=line.channel_id.display_name,
                        courier=line.courier_code,
                        value=line.platform_code,
                    )
                )

    @api.model
    def _omni_migrate_text(self, cr, platform, column):
        """Migration of a platform addon whose courier mapping was a text
        field ``column`` of ``omni_channel`` written CODE=value a line: each
        channel gets a line per code (the last line of a code wins, as the
        text's reading did); a line that does not read is left out and
        logged. The column is kept (its text stays readable by SQL)."""
        cr.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = 'omni_channel' AND column_name = %s",
            [column],
        )
        if not cr.fetchone():
            return self.browse()
        cr.execute(
            SQL("SELECT id, %s FROM omni_channel WHERE %s IS NOT NULL", SQL.identifier(column), SQL.identifier(column))
        )
        numeric = platform in self._omni_numeric_platforms()
        vals_list = []
        for channel_id, text in cr.fetchall():
            codes = {}
            for number, line in enumerate(text.splitlines(), start=1):
                code, sep, value = line.partition("=")
                code, value = code.strip().upper(), value.strip()
                if not line.strip():
                    continue
                if not sep or not code or not value or (numeric and not value.isdigit()):
                    _logger.warning("Channel %s, %s line %s left out: %r", channel_id, column, number, line)
                    continue
                codes[code] = value
            have = set(
                self.search([("channel_id", "=", channel_id), ("platform", "=", platform)]).mapped("courier_code")
            )
            vals_list += [
                {"channel_id": channel_id, "platform": platform, "courier_code": code, "platform_code": value}
                for code, value in codes.items()
                if code not in have
            ]
        return self.create(vals_list)
