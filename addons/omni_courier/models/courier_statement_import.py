# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Import of a courier's statement file: reading, parsing and checking its
rows, in the caller's transaction or as a job."""

import json
import logging
from collections import Counter

from odoo import api, models
from odoo.exceptions import UserError

from odoo.addons.omni_base.tools import guard, statement_file, tabular

from .courier_statement import (
    IMPORT_LOCK_KEY,
    MAX_ERRORS_SHOWN,
    REQUIRED_COLUMNS,
    TEMPLATE_EMPTY_FEE,
    TEMPLATE_EMPTY_TRACKING,
)

_logger = logging.getLogger(__name__)
# json.dumps(..., ensure_ascii=False) builds a new encoder at every call: one for the 100,000 rows
_RAW_ENCODER = json.JSONEncoder(ensure_ascii=False)


class CourierStatement(models.Model):
    _inherit = "courier.statement"

    # ------------------------------------------------------------------
    # Import

    @api.model
    def import_file(self, carrier_code, filename, content_base64, date_from=None, date_to=None):
        """Import a courier's statement file (.xls, .xlsx or .csv, base64) for
        the courier with ``carrier_code`` of the current company, reconcile
        every line and return the statement id (synchronous, whatever the
        size; the wizard queues large files instead).

        The same file imported again for the same courier returns the
        statement of the first import (nothing is doubled). A file with
        errors is refused as a whole, every bad row named.
        """
        # a refused file leaves nothing behind, even for a caller that goes on in the same transaction
        with self.env.cr.savepoint():
            statement, content = self._start_import(carrier_code, filename, content_base64, date_from, date_to)
            if statement.state == "draft":
                statement._load_file(content)
        return statement.id

    @api.model
    def _start_import(self, carrier_code, filename, content_base64, date_from=None, date_to=None):
        """(statement, file bytes): the statement already made of this file,
        or a new draft one holding the file as attachment."""
        self.check_access("create")
        company = self.env.company
        carrier = self.env["delivery.carrier"]._omni_get_by_code(carrier_code, company=company)
        content, sha = statement_file.decode(self.env, filename, content_base64)
        # two imports of the same file wait for each other here
        self.env.cr.execute(
            "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [IMPORT_LOCK_KEY, f"{company.id}-{carrier.id}-{sha}"]
        )
        existing = self.search(
            [("company_id", "=", company.id), ("carrier_id", "=", carrier.id), ("file_sha256", "=", sha)], limit=1
        )
        if existing.state == "failed":
            existing.sudo().unlink()  # a failed queued import of this file (no line): start again
        elif existing:
            statement_file.note_imported_again(existing, filename)
            return existing, content
        # the import (its rights checked by the caller of this method) makes the statement of the file
        statement = guard.internal(self).create(
            {
                "carrier_id": carrier.id,
                "company_id": company.id,
                "date_from": date_from,
                "date_to": date_to,
                "file_name": filename,
                "file_sha256": sha,
            }
        )
        statement_file.attach(statement, filename, content)
        return statement.with_env(self.env), content

    def _load_file(self, content):
        """Parse the file, check it is this courier's, insert the reconciled
        lines and the missing parcels. Raises UserError on any problem of the
        file, having changed nothing but what the caller rolls back."""
        self.ensure_one()
        carrier, company, filename = self.carrier_id, self.company_id, self.file_name
        rows = self._parse_file(carrier, filename, content)
        parcels = self._fetch_parcels(company, [row["tracking_no"] for row in rows])
        self._check_courier_of_numbers(carrier, company, filename, rows, parcels)
        dates = [row["ship_date"] for row in rows if row["ship_date"]]
        today = self.company_id._omni_today()
        guard.internal(self).write(
            {
                "date_from": self.date_from or (min(dates) if dates else today),
                "date_to": self.date_to or (max(dates) if dates else today),
            }
        )
        self._insert_lines(rows, parcels)
        guard.internal(self).write({"state": "reconciled", "import_error": False})
        self._update_resolution_state()
        # the parcels this statement bills are no longer missing from the courier's other statements
        self._drop_missing_billed_here()

    @api.model
    def _enqueue_import(self, carrier_code, filename, content_base64, date_from=None, date_to=None):
        """The wizard's path for large files: the statement is made at once
        (state 'queued', file attached) and read and reconciled by a job."""
        statement, _content = self._start_import(carrier_code, filename, content_base64, date_from, date_to)
        if statement.state == "draft":
            guard.internal(statement).state = "queued"
            statement.with_delay(
                identity_key=f"courier_statement_import_{statement.id}",
                description=self.env._("Import and reconcile courier statement %(name)s", name=statement.name),
            )._run_queued_import()
        return statement

    def _run_queued_import(self):
        """Job: a bad file leaves the statement 'failed' with the message
        (no line recorded); importing the file again starts over."""
        self.ensure_one()
        if self.state != "queued":
            return False
        try:
            with self.env.cr.savepoint():
                self._load_file(self.attachment_id.raw)
        except UserError as err:
            guard.internal(self).write({"state": "failed", "import_error": str(err)})
        return True

    @api.model
    def _parse_file(self, carrier, filename, content):
        """Rows of the statement as dicts of parsed values; every problem of
        the file refuses it as a whole (UserError listing the rows)."""
        aliases = carrier._omni_statement_aliases()
        try:
            table = tabular.read_table(filename, content, aliases, REQUIRED_COLUMNS)
        except tabular.TableError as err:
            raise UserError(self._table_message(err)) from err
        rows, errors = [], []
        dates = {}  # a statement has a few distinct dates over thousands of rows: parse each once
        for record in table.rows:
            try:
                rows.append(self._parse_row(table, record, dates))
            except tabular.TableError as err:
                errors.append(self._table_message(err))
        if errors:
            shown = errors[:MAX_ERRORS_SHOWN]
            if len(errors) > MAX_ERRORS_SHOWN:
                shown.append(self.env._("... and %(count)s more rows.", count=len(errors) - MAX_ERRORS_SHOWN))
            raise UserError(
                self.env._(
                    "File '%(filename)s' was not imported, nothing was recorded. Correct these rows and import "
                    "it again:\n%(errors)s",
                    filename=filename,
                    errors="\n".join(shown),
                )
            )
        if not rows:
            raise UserError(self.env._("File '%(filename)s' holds no statement line.", filename=filename))
        return rows

    def _table_message(self, err):
        """The user's-language message of a TableError: tabular's templates
        are translated in omni_base, this addon's own ones here."""
        if err.template in (TEMPLATE_EMPTY_TRACKING, TEMPLATE_EMPTY_FEE):
            return self.env._(err.template) % err.params  # pylint: disable=translation-required
        return tabular.error_message(self.env, err)

    @api.model
    def _parse_row(self, table, record, dates):
        row = record["_row"]
        tracking = tabular.to_text(record["tracking_no"]).replace(" ", "").upper()
        if not tracking:
            raise tabular.TableError(
                TEMPLATE_EMPTY_TRACKING,
                {"row": row, "column": table.label("tracking_no")},
                row=row,
            )
        fee = tabular.to_decimal(record["fee"], row, table.label("fee"), digits=2)
        if fee is None:
            raise tabular.TableError(TEMPLATE_EMPTY_FEE, {"row": row, "column": table.label("fee")}, row=row)
        cod_fee = tabular.to_decimal(record["cod_fee"], row, table.label("cod_fee"), digits=2) or 0
        weight = tabular.to_decimal(record["weight"], row, table.label("weight"), digits=3)
        cod = tabular.to_decimal(record["cod"], row, table.label("cod"), digits=2) or 0
        raw = {table.label(key): tabular.to_text(record[key]) for key in table.columns}
        return {
            "row_no": row,
            "tracking_no": tracking,
            "raw_values": _RAW_ENCODER.encode(raw),
            "ship_date": self._parse_date(table, record, dates),
            "destination": tabular.to_text(record["destination"]) or None,
            "billed_weight": float(weight) if weight is not None else None,
            "billed_fee": fee + cod_fee,
            "billed_cod": cod,
        }

    @api.model
    def _parse_date(self, table, record, dates):
        value = record["ship_date"]
        if not isinstance(value, str):
            return tabular.to_date(value, record["_row"], table.label("ship_date"))
        if value not in dates:
            dates[value] = tabular.to_date(value, record["_row"], table.label("ship_date"))
        return dates[value]

    def _check_courier_of_numbers(self, carrier, company, filename, rows, parcels):
        """Refuse a statement whose numbers are not this courier's parcels."""
        code = carrier.omni_courier_code
        couriers = Counter(parcels[row["tracking_no"]]["courier"] for row in rows if row["tracking_no"] in parcels)
        ours = couriers.pop(code, 0)
        other, other_count = couriers.most_common(1)[0] if couriers else ("", 0)
        if other_count > ours:
            raise UserError(
                self.env._(
                    "File '%(filename)s' looks like a statement of courier %(other)s, not %(code)s: "
                    "%(other_count)s of its %(count)s tracking numbers are parcels shipped with %(other)s, "
                    "%(ours)s with %(code)s. Import it for courier %(other)s.",
                    filename=filename,
                    other=other,
                    code=code,
                    other_count=other_count,
                    count=len(rows),
                    ours=ours,
                )
            )
        if not ours:
            raise UserError(
                self.env._(
                    "File '%(filename)s': none of its %(count)s tracking numbers is a parcel shipped by "
                    "%(company)s with courier %(code)s. Is it a statement of another courier or company?",
                    filename=filename,
                    count=len(rows),
                    company=company.name,
                    code=code,
                )
            )
