# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.omni_base.tools import guard

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
            ("to_resolve", "To Resolve"),
            ("reconciled", "Reconciled"),
            ("settled", "Settled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        help="To Resolve: lines with a difference (fee, weight, COD, unknown or duplicate tracking number) wait "
        "for their resolution. Reconciled: every line is matched, accepted or disputed; the statement can be "
        "settled.",
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
        self._omni_prepare_named_create(vals_list, "courier.statement", per_company=True)
        # the caller's values were checked above; the name is the sequence's
        return super(CourierStatement, guard.internal(self)).create(vals_list).with_env(self.env)

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

    def _update_resolution_state(self):
        """'to_resolve' while a line with a difference has no resolution,
        'reconciled' once every line is matched, accepted or disputed. The
        parcels the statement misses are listed beside it: nothing to
        resolve on them, they wait for the courier's next statement."""
        open_statements = self.filtered(lambda s: s.state in ("to_resolve", "reconciled"))
        if not open_statements:
            return
        totals = open_statements._line_totals()
        for statement in open_statements:
            state = "to_resolve" if totals[statement.id]["unresolved_count"] else "reconciled"
            if statement.state != state:
                guard.internal(statement).write({"state": state})

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
