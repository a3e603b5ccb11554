# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# the columns of a statement, as courier_statement.STATEMENT_ALIASES names them
STATEMENT_COLUMN_KEYS = [
    ("tracking_no", "Tracking No."),
    ("ship_date", "Ship Date"),
    ("destination", "Destination"),
    ("weight", "Weight"),
    ("fee", "Fee"),
    ("cod", "COD"),
    ("cod_fee", "COD Fee"),
]


class OmniCourierStatementColumn(models.Model):
    """A header text of this courier's statement files and the column it is
    (tracking number, fee...), read before the headers every courier uses."""

    _name = "omni.courier.statement.column"
    _description = "Courier Statement Column"
    _order = "carrier_id, sequence, id"

    carrier_id = fields.Many2one("delivery.carrier", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    key = fields.Selection(STATEMENT_COLUMN_KEYS, string="Column", required=True)
    header = fields.Char(required=True, help="The header text in the courier's statement file, e.g. 京东单号.")

    _sql_constraints = [
        (
            "carrier_header_unique",
            "unique(carrier_id, header)",
            "A header text of a courier's statements is one column: remove its second line.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._clean_vals(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(self._clean_vals(vals))

    @api.model
    def _clean_vals(self, vals):
        if isinstance(vals.get("header"), str):
            vals = dict(vals, header=vals["header"].strip())
        return vals

    @api.constrains("header")
    def _check_header(self):
        for column in self:
            if not column.header:
                raise ValidationError(
                    self.env._(
                        "Statement columns of '%(courier)s': a line needs the header text of its column.",
                        courier=column.carrier_id.name,
                    )
                )

    @api.model
    def _omni_migrate_text(self, cr):
        """Migration 18.0.1.1.0: the text field ``omni_statement_columns`` of
        the carriers, written 'key = header, header' a line, becomes lines
        (in the text's order); a line that does not read is left out and
        logged. The column is kept (its text stays readable by SQL)."""
        cr.execute(
            "SELECT 1 FROM information_schema.columns"
            " WHERE table_name = 'delivery_carrier' AND column_name = 'omni_statement_columns'"
        )
        if not cr.fetchone():
            return self.browse()
        cr.execute(SQL("SELECT id, omni_statement_columns FROM delivery_carrier WHERE omni_statement_columns <> ''"))
        keys = dict(STATEMENT_COLUMN_KEYS)
        vals_list = []
        for carrier_id, text in cr.fetchall():
            have = set(self.search([("carrier_id", "=", carrier_id)]).mapped("header"))
            for number, line in enumerate(text.splitlines(), start=1):
                if not line.strip():
                    continue
                key, sep, names = line.partition("=")
                key = key.strip()
                if not sep or key not in keys:
                    _logger.warning("Carrier %s, statement columns line %s left out: %r", carrier_id, number, line)
                    continue
                for name in re.split(r"[,，;；]", names):
                    name = name.strip()
                    if name and name not in have:
                        have.add(name)
                        vals_list.append(
                            {"carrier_id": carrier_id, "key": key, "header": name, "sequence": len(vals_list) + 1}
                        )
        return self.create(vals_list)
