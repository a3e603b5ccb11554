# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import binascii
import hashlib
import json
import logging
from collections import Counter
from decimal import Decimal

from psycopg2.extras import execute_values

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.omni_channel.tools import guard, tabular
from odoo.addons.omni_channel.tools.sql import bulk_insert

from .courier_rate import CENT

_logger = logging.getLogger(__name__)


def _lt(source):
    """Mark a message template for the translation export (translated when shown)."""
    return source


# pylint: disable=prefer-env-translation
TEMPLATE_EMPTY_TRACKING = _lt("Row %(row)s: the tracking number (%(column)s) is empty.")
TEMPLATE_EMPTY_FEE = _lt("Row %(row)s, column %(column)s: the fee is empty.")
# pylint: enable=prefer-env-translation

# changed only by the import, the reconciliation and the settlement (guard.internal)
GUARDED_FIELDS = (
    "state", "bill_id", "cod_move_id", "settled_at", "settled_by_id", "file_sha256", "attachment_id",
    "import_error", "carrier_id", "company_id", "date_from", "date_to",
)  # fmt: skip
CREATE_DEFAULTS = {
    "state": "draft", "bill_id": False, "cod_move_id": False, "settled_at": False, "settled_by_id": False,
    "import_error": False, "attachment_id": False,
}  # fmt: skip
# first key of the advisory lock taken while a statement file is imported
IMPORT_LOCK_KEY = 7_146_005
# at most this many row errors are listed in the message refusing a file
MAX_ERRORS_SHOWN = 20

STATEMENT_ALIASES = {
    "tracking_no": ["运单号", "快递单号", "运单编号", "单号", "tracking no", "tracking number", "waybill no"],
    "ship_date": ["寄件日期", "发货日期", "揽收日期", "寄件时间", "日期", "ship date", "date"],
    "destination": ["目的地", "收件省份", "目的省份", "destination"],
    "weight": ["重量", "计费重量", "weight"],
    "fee": ["运费", "快递费", "运费金额", "freight", "fee"],
    "cod": ["代收货款", "代收金额", "cod", "cod amount"],
    "cod_fee": ["代收手续费", "代收货款手续费", "cod fee"],
}
REQUIRED_COLUMNS = ("tracking_no", "fee")

LINE_STATES = [
    ("matched", "Matched"),
    ("fee_diff", "Fee Difference"),
    ("cod_diff", "COD Difference"),
    ("weight_diff", "Weight Difference"),
    ("unknown", "Unknown Tracking No."),
    ("duplicate", "Duplicate"),
    ("missing", "Missing from Statement"),
]
# columns written when a line is (re)reconciled
RECONCILED_COLUMNS = (
    "state",
    "picking_id",
    "province",
    "chargeable_weight",
    "expected_fee",
    "expected_cod",
    "fee_diff",
    "cod_diff",
    "weight_diff",
    "note",
)
INSERTED_COLUMNS = (
    "row_no",
    "tracking_no",
    "raw_values",
    "ship_date",
    "destination",
    "billed_weight",
    "billed_fee",
    "billed_cod",
    *RECONCILED_COLUMNS,
)
# the columns of a parcel the statement misses that its expected values do not give
MISSING_LINE = {
    "row_no": None,
    "raw_values": None,
    "ship_date": None,
    "destination": None,
    "billed_weight": None,
    "billed_fee": 0,
    "billed_cod": 0,
    "state": "missing",
    "fee_diff": 0,
    "cod_diff": 0,
    "weight_diff": None,
}
TOTAL_FIELDS = (
    "line_count",
    "matched_count",
    "difference_count",
    "unresolved_count",
    "missing_count",
    "billed_fee_total",
    "expected_fee_total",
    "fee_diff_total",
    "billed_cod_total",
    "expected_cod_total",
    "cod_diff_total",
    "missing_fee_total",
    "agreed_fee_total",
    "agreed_cod_total",
)


# split of the agreed fees kept beside TOTAL_FIELDS for the vendor bill's two lines
AGREED_SPLIT = ("accepted", "accepted_count", "disputed", "disputed_count")


def _dec(value):
    return Decimal(str(value or 0))


def _agreed_side(state, resolution):
    """Which amounts of a line count once agreed: the courier's ('billed':
    matched or accepted), ours ('expected': disputed) or none (missing or
    not resolved yet)."""
    if state == "missing":
        return None
    if state == "matched" or resolution == "accepted":
        return "billed"
    if resolution == "disputed":
        return "expected"
    return None


class CourierStatement(models.Model):
    """A courier's statement (快递对账单) for a period: its lines, reconciled
    parcel by parcel against our shipments, and, once agreed, settled to a
    vendor bill and a COD remittance entry."""

    _name = "courier.statement"
    _description = "Courier Statement"
    _inherit = ["mail.thread"]
    _order = "date_to desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    carrier_id = fields.Many2one(
        "delivery.carrier",
        string="Courier",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
        domain="[('omni_courier_code', '!=', False)]",
    )
    courier_code = fields.Char(related="carrier_id.omni_courier_code")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="Period From", readonly=True)
    date_to = fields.Date(string="Period To", readonly=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("queued", "Importing"),
            ("failed", "Import Failed"),
            ("reconciled", "Reconciled"),
            ("settled", "Settled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    file_name = fields.Char(readonly=True)
    file_sha256 = fields.Char(string="File Fingerprint", readonly=True, copy=False)
    attachment_id = fields.Many2one("ir.attachment", string="Statement File", readonly=True, copy=False)
    line_ids = fields.One2many("courier.statement.line", "statement_id", string="Lines")
    bill_id = fields.Many2one("account.move", string="Vendor Bill", readonly=True, copy=False, check_company=True)
    cod_move_id = fields.Many2one(
        "account.move", string="COD Remittance Entry", readonly=True, copy=False, check_company=True
    )
    import_error = fields.Text(readonly=True, copy=False)
    settled_at = fields.Datetime(readonly=True, copy=False)
    settled_by_id = fields.Many2one("res.users", readonly=True, copy=False)

    line_count = fields.Integer(compute="_compute_totals", string="Statement Lines")
    matched_count = fields.Integer(compute="_compute_totals", string="Matched")
    difference_count = fields.Integer(compute="_compute_totals", string="Differences")
    unresolved_count = fields.Integer(compute="_compute_totals", string="To Resolve")
    missing_count = fields.Integer(compute="_compute_totals", string="Missing Parcels")
    billed_fee_total = fields.Monetary(compute="_compute_totals", string="Billed Fees")
    expected_fee_total = fields.Monetary(compute="_compute_totals", string="Expected Fees")
    fee_diff_total = fields.Monetary(compute="_compute_totals", string="Fee Difference")
    billed_cod_total = fields.Monetary(compute="_compute_totals", string="COD Collected")
    expected_cod_total = fields.Monetary(compute="_compute_totals", string="COD Expected")
    cod_diff_total = fields.Monetary(compute="_compute_totals", string="COD Difference")
    missing_fee_total = fields.Monetary(compute="_compute_totals", string="Expected Fees of Missing Parcels")
    agreed_fee_total = fields.Monetary(compute="_compute_totals", string="Agreed Fees")
    agreed_cod_total = fields.Monetary(compute="_compute_totals", string="Agreed COD")

    _sql_constraints = [
        (
            "file_unique",
            "UNIQUE(company_id, carrier_id, file_sha256)",
            "This statement file was already imported for this courier.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        guard.check_create(self, vals_list, CREATE_DEFAULTS)
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code("courier.statement") or "/"
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Totals

    def _invalidate_totals(self):
        self.env["courier.statement"].invalidate_model(TOTAL_FIELDS)

    def _compute_totals(self):
        totals = self._line_totals()
        for statement in self:
            statement.update({field: totals[statement.id][field] for field in TOTAL_FIELDS})

    def _line_totals(self):
        """statement id -> TOTAL_FIELDS and AGREED_SPLIT, summed from the lines
        grouped by state and resolution (one query)."""
        zero = dict.fromkeys(TOTAL_FIELDS + AGREED_SPLIT, 0)
        totals = {statement.id: dict(zero) for statement in self}
        ids = [sid for sid in self.ids if isinstance(sid, int)]
        if ids:
            self.env["courier.statement.line"].flush_model()
            self.env.cr.execute(
                """
                SELECT statement_id, state, resolution, count(*), sum(billed_fee), sum(expected_fee),
                       sum(billed_cod), sum(expected_cod)
                  FROM courier_statement_line
                 WHERE statement_id = ANY(%s)
                 GROUP BY statement_id, state, resolution
                """,
                [ids],
            )
            for sid, state, resolution, count, billed, expected, billed_cod, expected_cod in self.env.cr.fetchall():
                self._add_totals(totals[sid], state, resolution, count, billed, expected, billed_cod, expected_cod)
        return totals

    @staticmethod
    def _add_totals(total, state, resolution, count, billed, expected, billed_cod, expected_cod):
        billed, expected, billed_cod, expected_cod = (v or 0.0 for v in (billed, expected, billed_cod, expected_cod))
        if state == "missing":
            total["missing_count"] += count
            total["missing_fee_total"] += expected
            return
        total["line_count"] += count
        total["billed_fee_total"] += billed
        total["expected_fee_total"] += expected
        total["fee_diff_total"] += billed - expected
        total["billed_cod_total"] += billed_cod
        total["expected_cod_total"] += expected_cod
        total["cod_diff_total"] += billed_cod - expected_cod
        if state == "matched":
            total["matched_count"] += count
        else:
            total["difference_count"] += count
            if not resolution:
                total["unresolved_count"] += count
        side = _agreed_side(state, resolution)
        if side:
            fee, cod, split = (
                (billed, billed_cod, "accepted") if side == "billed" else (expected, expected_cod, "disputed")
            )
            total["agreed_fee_total"] += fee
            total["agreed_cod_total"] += cod
            total[split] += fee
            total[f"{split}_count"] += count

    # ------------------------------------------------------------------
    # Protection of settled statements

    def write(self, vals):
        # no caller, whatever its context, changes a settled statement; the
        # settlement itself writes while the statement is still reconciled
        if any(s.state == "settled" for s in self):
            raise UserError(self.env._("A settled courier statement cannot be changed."))
        guard.check_write(self, vals, GUARDED_FIELDS)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_settled(self):
        if any(s.state == "settled" for s in self):
            raise UserError(self.env._("A settled courier statement cannot be deleted."))

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
        try:
            content = base64.b64decode(content_base64 or b"", validate=True)
        except (binascii.Error, ValueError, TypeError) as exc:
            raise UserError(
                self.env._("File '%(filename)s' is not base64-encoded content.", filename=filename)
            ) from exc
        sha = hashlib.sha256(content).hexdigest()
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
            existing._message_log(
                body=self.env._(
                    "File %(filename)s imported again: it is the file of this statement, nothing was added.",
                    filename=filename,
                )
            )
            return existing, content
        statement = self.create(
            {
                "carrier_id": carrier.id,
                "company_id": company.id,
                "date_from": date_from,
                "date_to": date_to,
                "file_name": filename,
                "file_sha256": sha,
            }
        )
        guard.internal(statement).attachment_id = self.env["ir.attachment"].create(
            {
                "name": filename or "statement",
                "raw": content,
                "res_model": self._name,
                "res_id": statement.id,
                "company_id": company.id,
            }
        )
        return statement, content

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

    @api.model
    def _enqueue_import(self, carrier_code, filename, content_base64, date_from=None, date_to=None):
        """The wizard's path for large files: the statement is made at once
        (state 'queued', file attached) and read and reconciled by a job."""
        statement, _content = self._start_import(carrier_code, filename, content_base64, date_from, date_to)
        if statement.state == "draft":
            guard.internal(statement).state = "queued"
            statement.with_delay(
                channel="root.omni_import",
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
        are translated in omni_channel, this addon's own ones here."""
        if err.template in (TEMPLATE_EMPTY_TRACKING, TEMPLATE_EMPTY_FEE):
            return self.env._(err.template) % err.params  # pylint: disable=translation-required
        return self.env["omni.channel"]._table_error_message(err)

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
            "raw_values": json.dumps(raw, ensure_ascii=False),
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

    # ------------------------------------------------------------------
    # Parcels

    @api.model
    def _fetch_parcels(self, company, tracking_nos=None, carrier=None, date_from=None, date_to=None):
        """Shipped parcels (done outgoing deliveries with a tracking number)
        of ``company`` as dicts keyed by tracking number: by the numbers
        given, or those of ``carrier`` shipped in the period. One query for the deliveries, one for their
        orders. SQL: the ORM would read 100,000 deliveries record by record
        into its cache (see scripts/bench_courier_reconciliation.py)."""
        self.env["stock.picking"].flush_model()
        where = [
            SQL("p.company_id = %s AND p.state = 'done' AND t.code = 'outgoing'", company.id),
            SQL("p.omni_tracking_no IS NOT NULL AND p.omni_tracking_no != ''"),
        ]
        if tracking_nos is not None:
            # the index on omni_tracking_no serves this: numbers are compared as couriers print them
            where.append(SQL("p.omni_tracking_no = ANY(%s)", list(set(tracking_nos))))
        if carrier is not None:
            # the period's days are the company's, whoever imports
            tz = company._omni_tz().zone
            where += [
                SQL("upper(trim(p.omni_courier_code)) = %s", carrier.omni_courier_code),
                SQL("(p.date_done AT TIME ZONE 'UTC' AT TIME ZONE %s)::date BETWEEN %s AND %s", tz, date_from, date_to),
            ]
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, p.name, upper(p.omni_tracking_no), upper(trim(coalesce(p.omni_courier_code, ''))),
                       p.omni_parcel_weight, p.omni_parcel_length, p.omni_parcel_width, p.omni_parcel_height,
                       p.sale_id, st.name
                  FROM stock_picking p
                  JOIN stock_picking_type t ON t.id = p.picking_type_id
                  LEFT JOIN res_partner rp ON rp.id = p.partner_id
                  LEFT JOIN res_country_state st ON st.id = rp.state_id
                 WHERE %s
                 ORDER BY p.id
                """,
                SQL(" AND ").join(where),
            )
        )
        parcels = {}
        for pid, name, tracking, courier, weight, length, width, height, sale_id, state in self.env.cr.fetchall():
            parcels.setdefault(
                tracking,
                {
                    "id": pid,
                    "name": name,
                    "courier": courier,
                    "weight": weight,
                    "dims": (length, width, height),
                    "sale_id": sale_id,
                    "province": state or "",
                    "cod": Decimal(0),
                },
            )
        self._add_order_data(parcels)
        return parcels

    @api.model
    def _add_order_data(self, parcels):
        """Province and expected COD amount from the platform orders of the
        parcels' sale orders (COD: the paid amount of cash-on-delivery orders)."""
        by_sale = {}
        for parcel in parcels.values():
            if parcel["sale_id"]:
                by_sale.setdefault(parcel["sale_id"], []).append(parcel)
        if not by_sale:
            return
        self.env["omni.order"].flush_model(["sale_order_id", "province", "payment_method", "paid_amount"])
        self.env.cr.execute(
            """
            SELECT sale_order_id, max(province),
                   sum(CASE WHEN payment_method = 'cod' THEN paid_amount ELSE 0 END)
              FROM omni_order
             WHERE sale_order_id = ANY(%s)
             GROUP BY sale_order_id
            """,
            [list(by_sale)],
        )
        for sale_id, province, cod in self.env.cr.fetchall():
            for parcel in by_sale[sale_id]:
                if province:
                    parcel["province"] = province
                parcel["cod"] = _dec(cod).quantize(CENT)

    def _previously_billed(self, tracking_nos):
        """tracking number -> name of an earlier statement of this courier
        that already billed it (a later one billing it again is the
        duplicate: reconciling this statement again leaves its lines as
        they are)."""
        self.ensure_one()
        self.env["courier.statement.line"].flush_model()
        self.env.cr.execute(
            """
            SELECT DISTINCT ON (l.tracking_no) l.tracking_no, s.name
              FROM courier_statement_line l
              JOIN courier_statement s ON s.id = l.statement_id
             WHERE l.tracking_no = ANY(%s) AND l.state != 'missing' AND s.id < %s
               AND s.carrier_id = %s AND s.company_id = %s
             ORDER BY l.tracking_no, s.id
            """,
            [list(set(tracking_nos)), self.id, self.carrier_id.id, self.company_id.id],
        )
        return dict(self.env.cr.fetchall())

    # ------------------------------------------------------------------
    # Reconciliation

    def _reconcile_values(self, rows, parcels):
        """Computed columns (RECONCILED_COLUMNS) of every row, in order."""
        self.ensure_one()
        carrier = self.carrier_id.with_company(self.company_id)
        card = carrier._omni_rate_card()
        tolerances = (
            _dec(carrier.omni_fee_tolerance),
            _dec(carrier.omni_weight_tolerance),
            _dec(carrier.omni_cod_tolerance),
        )
        previous = self._previously_billed([row["tracking_no"] for row in rows])
        first_row = {}
        code = carrier.omni_courier_code
        result = []
        for row in rows:
            tracking = row["tracking_no"]
            parcel = parcels.get(tracking)
            if parcel and parcel["courier"] != code:
                other = parcel
                parcel = None
            else:
                other = None
            values = self._reconcile_row(row, parcel, card, tolerances)
            if tracking in first_row:
                duplicate_note = self.env._("Also on row %(row)s of this statement.", row=first_row[tracking])
            elif tracking in previous:
                duplicate_note = self.env._("Already billed in statement %(statement)s.", statement=previous[tracking])
            else:
                duplicate_note = None
            if duplicate_note:
                values.update(state="duplicate", expected_fee=0, expected_cod=0, note=duplicate_note)
            elif other:
                values["note"] = self.env._(
                    "Parcel %(picking)s was shipped with courier %(courier)s.",
                    picking=other["name"],
                    courier=other["courier"] or "-",
                )
            first_row.setdefault(tracking, row["row_no"])
            values["fee_diff"] = _dec(row["billed_fee"]) - _dec(values["expected_fee"])
            values["cod_diff"] = _dec(row["billed_cod"]) - _dec(values["expected_cod"])
            result.append(values)
        return result

    def _reconcile_row(self, row, parcel, card, tolerances):
        """State and expected values of one line against its parcel (None:
        unknown). State priority: COD difference (money we are owed), then
        weight difference (it explains the fee difference), then fee
        difference."""
        if parcel is None:
            return {
                "state": "unknown",
                "picking_id": None,
                "province": None,
                "chargeable_weight": None,
                "expected_fee": Decimal(0),
                "expected_cod": Decimal(0),
                "weight_diff": None,
                "note": None,
            }
        fee_tolerance, weight_tolerance, cod_tolerance = tolerances
        values = self._expected_values(parcel, card)
        note = values.pop("note")
        weight_diff = None
        if row["billed_weight"] is not None:
            # the courier's weight rounded by the same rule: 3.82 kg billed and 3.9 kg chargeable agree
            weight_diff = card.chargeable_weight(row["billed_weight"]) - values["chargeable_weight"]
        if abs(_dec(row["billed_cod"]) - values["expected_cod"]) > cod_tolerance:
            state = "cod_diff"
        elif abs(_dec(row["billed_fee"]) - values["expected_fee"]) > fee_tolerance:
            state = "weight_diff" if weight_diff is not None and abs(weight_diff) > weight_tolerance else "fee_diff"
        else:
            state = "matched"
        values.update(state=state, weight_diff=weight_diff, note=note)
        return values

    def _expected_values(self, parcel, card):
        length, width, height = parcel["dims"]
        chargeable = card.chargeable_weight(parcel["weight"], length, width, height)
        freight = card.freight(parcel["province"], chargeable)
        note = None
        if freight is None:
            note = self.env._(
                "No rate card line for province '%(province)s'.", province=parcel["province"] or self.env._("unknown")
            )
            freight = Decimal(0)
        return {
            "picking_id": parcel["id"],
            "province": parcel["province"] or None,
            "chargeable_weight": chargeable,
            "expected_fee": freight + card.cod_fee(parcel["cod"]),
            "expected_cod": parcel["cod"],
            "note": note,
        }

    def _insert_lines(self, rows, parcels):
        """Insert the reconciled lines and the missing parcels."""
        self.ensure_one()
        computed = self._reconcile_values(rows, parcels)
        self._bulk_insert([{**row, **values} for row, values in zip(rows, computed, strict=True)])
        self._insert_missing()

    def _insert_missing(self):
        """Lines for this courier's parcels shipped in the period that no
        statement lists."""
        parcels = self._fetch_parcels(
            self.company_id, carrier=self.carrier_id, date_from=self.date_from, date_to=self.date_to
        )
        if not parcels:
            return
        # two plain queries rather than NOT EXISTS: right after inserting 100,000 lines the planner's
        # statistics still say the table is empty and a nested anti-join would take minutes
        self.env["courier.statement.line"].flush_model()
        self.env.cr.execute(
            """
            SELECT DISTINCT l.tracking_no
              FROM courier_statement_line l
              JOIN courier_statement s ON s.id = l.statement_id
             WHERE l.tracking_no = ANY(%s) AND l.state != 'missing' AND s.carrier_id = %s AND s.company_id = %s
            """,
            [list(parcels), self.carrier_id.id, self.company_id.id],
        )
        for (billed,) in self.env.cr.fetchall():
            parcels.pop(billed, None)
        if not parcels:
            return
        card = self.carrier_id.with_company(self.company_id)._omni_rate_card()
        self._bulk_insert(
            [
                {**MISSING_LINE, **self._expected_values(parcel, card), "tracking_no": tracking}
                for tracking, parcel in parcels.items()
            ]
        )

    def _bulk_insert(self, lines):
        """Insert lines of this statement, dicts of INSERTED_COLUMNS (one
        multi-row INSERT in pages: the ORM would build 100,000 records in its
        cache one by one)."""
        company_id = self.company_id.id
        bulk_insert(
            self.env,
            "courier_statement_line",
            ("statement_id", "company_id", *INSERTED_COLUMNS),
            [(self.id, company_id, *(line[column] for column in INSERTED_COLUMNS)) for line in lines],
        )
        self.env["courier.statement.line"].invalidate_model()
        self.invalidate_recordset(["line_ids"])
        self._invalidate_totals()

    def action_reconcile(self):
        """Reconcile the lines again (e.g. after a rate card correction):
        states and expected values are recomputed, the missing parcels
        listed again; resolutions of lines whose state changed are cleared."""
        for statement in self:
            if statement.state == "settled":
                raise UserError(self.env._("A settled courier statement cannot be changed."))
            statement._rereconcile()
        return True

    def _rereconcile(self):
        self.ensure_one()
        Line = self.env["courier.statement.line"]
        Line.flush_model()
        self.env.cr.execute("SELECT id FROM courier_statement WHERE id = %s FOR UPDATE", [self.id])
        self.env.cr.execute(
            """
            SELECT id, row_no, tracking_no, billed_weight, billed_fee, billed_cod
              FROM courier_statement_line
             WHERE statement_id = %s AND state != 'missing'
             ORDER BY row_no, id
            """,
            [self.id],
        )
        keys = ("id", "row_no", "tracking_no", "billed_weight", "billed_fee", "billed_cod")
        rows = [dict(zip(keys, values, strict=True)) for values in self.env.cr.fetchall()]
        self.env.cr.execute(
            "DELETE FROM courier_statement_line WHERE statement_id = %s AND state = 'missing'", [self.id]
        )
        parcels = self._fetch_parcels(self.company_id, [row["tracking_no"] for row in rows])
        computed = self._reconcile_values(rows, parcels)
        query = SQL(
            """
            UPDATE courier_statement_line l SET %s,
                   resolution = CASE WHEN l.state = v.state THEN l.resolution END
              FROM (VALUES %%s) AS v(id, %s)
             WHERE l.id = v.id
            """,
            SQL(", ").join(SQL("%s = v.%s", SQL.identifier(c), SQL.identifier(c)) for c in RECONCILED_COLUMNS),
            SQL(", ").join(SQL.identifier(c) for c in RECONCILED_COLUMNS),
        )
        template = "(%s, %s::varchar, %s::int, %s::varchar, " + ", ".join(["%s::numeric"] * 6) + ", %s::varchar)"
        execute_values(
            self.env.cr._obj,
            query.code,
            [(row["id"], *(v[c] for c in RECONCILED_COLUMNS)) for row, v in zip(rows, computed, strict=True)],
            template=template,
            page_size=5000,
        )
        self._insert_missing()
        Line.invalidate_model()
        self._invalidate_totals()
        guard.internal(self).write({"state": "reconciled"})

    # ------------------------------------------------------------------
    # Resolution and settlement

    def action_accept_open(self):
        """Accept the courier's amount on every difference still open."""
        self.env["courier.statement.line"].search(
            [("statement_id", "in", self.ids), ("state", "not in", ("matched", "missing")), ("resolution", "=", False)]
        ).write({"resolution": "accepted"})
        return True

    def action_open_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("omni_courier.action_courier_statement_line")
        action["domain"] = [("statement_id", "=", self.id)]
        action["context"] = {"default_statement_id": self.id, "search_default_unresolved": 1}
        return action

    def action_settle(self):
        """Create the courier's vendor bill for the agreed fees and the entry
        of the COD money it remits, reconciled against the open COD
        receivables. Twice is once: a settled statement is left as it is."""
        if not (
            self.env.user.has_group("omni_courier.group_courier_manager")
            and (
                self.env.user.has_group("account.group_account_invoice")
                or self.env.user.has_group("account.group_account_manager")
            )
        ):
            raise AccessError(
                self.env._("Settling a courier statement needs the Courier Reconciliation Manager and Billing rights.")
            )
        for statement in self:
            statement._settle()
        return True

    def _settle(self):
        self.ensure_one()
        self.env.cr.execute("SELECT state FROM courier_statement WHERE id = %s FOR UPDATE", [self.id])
        self.invalidate_recordset(["state"])
        if self.state == "settled":
            return
        if self.state != "reconciled":
            raise UserError(self.env._("Statement %(name)s is not reconciled yet.", name=self.name))
        if self.unresolved_count:
            raise UserError(
                self.env._(
                    "Statement %(name)s: %(count)s lines with a difference are not resolved yet. Accept the "
                    "courier's amount or dispute each of them first.",
                    name=self.name,
                    count=self.unresolved_count,
                )
            )
        carrier = self.carrier_id.with_company(self.company_id)
        if not carrier.omni_partner_id:
            raise UserError(
                self.env._(
                    "Courier %(courier)s has no partner: set the Courier Partner before settling.",
                    courier=carrier.name,
                )
            )
        amounts = self._agreed_amounts()
        # every account is checked before anything is created
        expense = self._expense_account(carrier) if amounts["accepted"] or amounts["disputed"] else None
        cod_accounts = self._cod_accounts(carrier) if amounts["cod"] else None
        vals = {"state": "settled", "settled_at": fields.Datetime.now(), "settled_by_id": self.env.uid}
        if expense:
            vals["bill_id"] = self._create_bill(carrier, amounts, expense).id
        if cod_accounts:
            vals["cod_move_id"] = self._create_cod_entry(carrier, amounts["cod"], *cod_accounts).id
        guard.internal(self).write(vals)
        self._message_log(body=self.env._("Statement settled."))

    def _agreed_amounts(self):
        """The agreed fees split in accepted (the courier's amount) and
        disputed (ours), with their line counts, and the agreed COD."""
        self.ensure_one()
        totals = self._line_totals()[self.id]
        return {**{key: totals[key] for key in AGREED_SPLIT}, "cod": totals["agreed_cod_total"]}

    def _expense_account(self, carrier):
        account = carrier.omni_expense_account_id
        if not account and carrier.product_id:
            account = carrier.product_id.product_tmpl_id.with_company(self.company_id)._get_product_accounts()[
                "expense"
            ]
        if not account:
            journal = self.env["account.journal"].search(
                [("company_id", "=", self.company_id.id), ("type", "=", "purchase")], limit=1
            )
            account = journal.default_account_id
        if not account:
            raise UserError(
                self.env._(
                    "No freight expense account for courier %(courier)s in company %(company)s: set one on the "
                    "courier.",
                    courier=carrier.name,
                    company=self.company_id.name,
                )
            )
        return account

    def _create_bill(self, carrier, amounts, account):
        period = f"{self.date_from} - {self.date_to}"
        labels = {
            "accepted": self.env._(
                "Freight %(statement)s (%(period)s): %(count)s parcels at the courier's amount",
                statement=self.name,
                period=period,
                count=amounts["accepted_count"],
            ),
            "disputed": self.env._(
                "Freight %(statement)s (%(period)s): %(count)s disputed parcels at our rate card",
                statement=self.name,
                period=period,
                count=amounts["disputed_count"],
            ),
        }
        lines = [
            {
                "name": label,
                "quantity": 1,
                "price_unit": amounts[key],
                "account_id": account.id,
                "tax_ids": [fields.Command.clear()],
            }
            for key, label in labels.items()
            if amounts[key]
        ]
        bill = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(
                {
                    "move_type": "in_invoice",
                    "company_id": self.company_id.id,
                    "partner_id": carrier.omni_partner_id.id,
                    "invoice_date": self.date_to or self.company_id._omni_today(),
                    "ref": self.name,
                    "invoice_line_ids": [fields.Command.create(line) for line in lines],
                }
            )
        )
        bill.action_post()
        return bill

    def _cod_accounts(self, carrier):
        """(COD receivable account, remittance account, journal) or a
        message naming the courier and the company."""
        company = self.company_id
        cod_account = carrier.omni_cod_account_id
        remittance = carrier.omni_cod_remittance_account_id or company.account_journal_suspense_account_id
        if not cod_account or not remittance:
            raise UserError(
                self.env._(
                    "Courier %(courier)s in company %(company)s: set the COD Receivable Account and the COD "
                    "Remittance Account (or the company's bank suspense account) before settling COD money.",
                    courier=carrier.name,
                    company=company.name,
                )
            )
        # the company's Miscellaneous Operations journal made by its chart of
        # accounts (not another general journal, e.g. the retail ledger's)
        journal = self.env.ref(f"account.{company.id}_general", raise_if_not_found=False)
        if not journal or journal.company_id != company or journal.type != "general":
            journal = self.env["account.journal"].search(
                [("company_id", "=", company.id), ("type", "=", "general")], order="sequence, id", limit=1
            )
        if not journal:
            raise UserError(self.env._("Company %(company)s has no miscellaneous journal.", company=company.name))
        return cod_account, remittance, journal

    def _create_cod_entry(self, carrier, amount, cod_account, remittance, journal):
        company = self.company_id
        partner = carrier.omni_partner_id
        label = self.env._(
            "COD collected by %(courier)s, statement %(statement)s", courier=carrier.name, statement=self.name
        )
        move = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "entry",
                    "company_id": company.id,
                    "journal_id": journal.id,
                    "date": self.date_to or self.company_id._omni_today(),
                    "ref": self.name,
                    "line_ids": [
                        fields.Command.create(
                            {"name": label, "account_id": remittance.id, "partner_id": partner.id, "debit": amount}
                        ),
                        fields.Command.create(
                            {"name": label, "account_id": cod_account.id, "partner_id": partner.id, "credit": amount}
                        ),
                    ],
                }
            )
        )
        move.action_post()
        credit = move.line_ids.filtered(lambda line: line.account_id == cod_account)
        self._reconcile_cod(credit)
        return move

    def _reconcile_cod(self, credit):
        """Reconcile the remitted COD against the open COD receivables of
        the courier on that account, oldest first (partly if short)."""
        if not credit.account_id.reconcile:
            return
        debits = self.env["account.move.line"].search(
            [
                ("account_id", "=", credit.account_id.id),
                ("partner_id", "=", credit.partner_id.id),
                ("company_id", "=", credit.company_id.id),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual", ">", 0),
            ],
            order="date, id",
        )
        chosen = self.env["account.move.line"]
        remaining = -credit.amount_residual
        for debit in debits:
            if remaining <= 0:
                break
            chosen |= debit
            remaining -= debit.amount_residual
        if chosen:
            (credit | chosen).reconcile()


class CourierStatementLine(models.Model):
    """One line of a courier statement with its raw cells, the parsed
    amounts, our expected amounts and the result of the reconciliation; or
    one of our parcels the statement misses (state ``missing``)."""

    _name = "courier.statement.line"
    _description = "Courier Statement Line"
    _order = "statement_id, row_no, id"

    statement_id = fields.Many2one("courier.statement", required=True, ondelete="cascade", index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    statement_state = fields.Selection(related="statement_id.state", string="Statement State")
    row_no = fields.Integer(string="Row", readonly=True, help="Row number in the statement file.")
    tracking_no = fields.Char(string="Tracking No.", required=True, index=True, readonly=True)
    raw_values = fields.Text(string="Raw Row", readonly=True, help="The cells of the row as the file gave them.")
    ship_date = fields.Date(readonly=True)
    destination = fields.Char(readonly=True)
    billed_weight = fields.Float(string="Billed Weight (kg)", digits=(16, 3), readonly=True)
    billed_fee = fields.Monetary(readonly=True, help="Freight billed, with the COD fee when listed apart.")
    billed_cod = fields.Monetary(string="COD Collected", readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Parcel", readonly=True, index="btree_not_null")
    province = fields.Char(readonly=True)
    chargeable_weight = fields.Float(string="Chargeable Weight (kg)", digits=(16, 3), readonly=True)
    expected_fee = fields.Monetary(readonly=True)
    expected_cod = fields.Monetary(string="COD Expected", readonly=True)
    fee_diff = fields.Monetary(string="Fee Difference", readonly=True)
    cod_diff = fields.Monetary(string="COD Difference", readonly=True)
    weight_diff = fields.Float(string="Weight Difference (kg)", digits=(16, 3), readonly=True)
    state = fields.Selection(LINE_STATES, required=True, readonly=True, index=True)
    note = fields.Char(readonly=True)
    resolution = fields.Selection(
        [("accepted", "Courier's Amount Accepted"), ("disputed", "Disputed")],
        help="Accepted: the courier's fee and COD count. Disputed: our expected amounts count.",
    )
    resolution_note = fields.Text()
    agreed_fee = fields.Monetary(compute="_compute_agreed")
    agreed_cod = fields.Monetary(string="Agreed COD", compute="_compute_agreed")

    @api.depends("state", "resolution", "billed_fee", "expected_fee", "billed_cod", "expected_cod")
    def _compute_agreed(self):
        for line in self:
            side = _agreed_side(line.state, line.resolution)
            line.agreed_fee = line[f"{side}_fee"] if side else 0.0
            line.agreed_cod = line[f"{side}_cod"] if side else 0.0

    def write(self, vals):
        if set(vals) - {"resolution", "resolution_note"} and not self.env.su:
            raise UserError(self.env._("Only the resolution and its note of a statement line can be changed."))
        if any(line.statement_id.state == "settled" for line in self):
            raise UserError(self.env._("A settled courier statement cannot be changed."))
        if vals.get("resolution") and any(line.state in ("matched", "missing") for line in self):
            raise ValidationError(self.env._("Only lines with a difference are accepted or disputed."))
        res = super().write(vals)
        self.env["courier.statement"]._invalidate_totals()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_settled(self):
        if any(line.statement_id.state == "settled" for line in self):
            raise UserError(self.env._("A settled courier statement cannot be changed."))

    def action_accept(self):
        return self._resolve("accepted")

    def action_dispute(self):
        return self._resolve("disputed")

    def _resolve(self, resolution):
        """Set ``resolution`` on the lines with a difference (the others have nothing to resolve)."""
        self.filtered(lambda line: line.state not in ("matched", "missing")).write({"resolution": resolution})
        return True

    def action_reset_resolution(self):
        self.write({"resolution": False})
        return True
