# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResUsers(models.Model):
    _inherit = "res.users"

    omni_extension = fields.Char(
        string="Phone Extension",
        index=True,
        copy=False,
        help="The agent's extension on the telephone system: its screen pops open in this user's browser.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["omni_extension"]

    @api.constrains("omni_extension", "company_ids")
    def _check_omni_extension(self):
        for user in self.filtered("omni_extension"):
            clash = self.sudo().search(
                [
                    ("omni_extension", "=", user.omni_extension),
                    ("id", "!=", user.id),
                    ("company_ids", "in", user.company_ids.ids),
                ],
                limit=1,
            )
            if clash:
                # the clashing user's name is not shown: it may belong to another company's staff
                raise ValidationError(
                    self.env._(
                        "Extension %(extension)s is already given to another user of these companies.",
                        extension=user.omni_extension,
                    )  # fmt: skip
                )
