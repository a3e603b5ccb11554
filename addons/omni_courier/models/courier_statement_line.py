# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_amount, formatLang

from .courier_statement import (
    LINE_STATES,
    _agreed_side,
)


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
    chargeable_weight = fields.Float(
        string="Our Weight (kg)",
        digits=(16, 3),
        readonly=True,
        help="Our parcel's weight as the courier charges it: the larger of its weight and its volumetric weight, "
        "rounded by the courier's rule (what the expected fee is computed from).",
    )
    expected_fee = fields.Monetary(readonly=True)
    expected_cod = fields.Monetary(string="COD Expected", readonly=True)
    fee_diff = fields.Monetary(string="Fee Difference", readonly=True)
    cod_diff = fields.Monetary(string="COD Difference", readonly=True)
    weight_diff = fields.Float(string="Weight Difference (kg)", digits=(16, 3), readonly=True)
    state = fields.Selection(LINE_STATES, required=True, readonly=True, index=True)
    note = fields.Char(
        string="Reconciliation Note",
        readonly=True,
        help="What the reconciliation found beside the amounts: the row or statement a duplicate repeats, the "
        "courier an unknown number was shipped with, a province missing from the rate card.",
    )
    explanation = fields.Char(
        compute="_compute_explanation",
        help="The line's finding in words, in the reader's language: which amounts differ and by how much.",
    )
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

    @api.depends(
        "state",
        "billed_weight",
        "chargeable_weight",
        "billed_fee",
        "expected_fee",
        "billed_cod",
        "expected_cod",
        "note",
    )
    def _compute_explanation(self):
        repeats = self._explanation_repeats()
        for line in self:
            text = line._explanation_text(repeats.get(line.id))
            # the reconciliation's own note (a province missing from the rate
            # card) follows; duplicates and unknown numbers are said in full above
            note = line.note if line.state not in ("duplicate", "unknown") else None
            line.explanation = " ".join(part for part in (text, note) if part) or False

    def _explanation_repeats(self):
        """line id -> what a duplicate repeats or whose parcel an unknown
        number is, read from the data (so that it is said in the reader's
        language, not in the importer's): ('row', n), ('statement', name)
        or ('parcel', picking name, courier code)."""
        result = {}
        lines = self.filtered(lambda line: isinstance(line.id, int) and line.state in ("duplicate", "unknown"))
        if not lines:
            return result
        self.flush_model()
        for statement, group in lines.grouped("statement_id").items():
            duplicates = group.filtered(lambda line: line.state == "duplicate")
            if duplicates:
                self.env.cr.execute(
                    """
                    SELECT tracking_no, min(row_no) FROM courier_statement_line
                     WHERE statement_id = %s AND state != 'missing' AND tracking_no = ANY(%s)
                     GROUP BY tracking_no
                    """,
                    [statement.id, list(set(duplicates.mapped("tracking_no")))],
                )
                first_rows = dict(self.env.cr.fetchall())
                earlier = statement._previously_billed(duplicates.mapped("tracking_no"))
                for line in duplicates:
                    first = first_rows.get(line.tracking_no)
                    if first is not None and first < line.row_no:
                        result[line.id] = ("row", first)
                    elif line.tracking_no in earlier:
                        result[line.id] = ("statement", earlier[line.tracking_no])
            unknown = group.filtered(lambda line: line.state == "unknown")
            if unknown:
                # the company's shipped parcels of these numbers (another courier's): SQL, as the reconciliation
                parcels = statement._fetch_parcels(statement.company_id, unknown.mapped("tracking_no"))
                for line in unknown:
                    parcel = parcels.get(line.tracking_no)
                    if parcel and parcel["courier"] != statement.carrier_id.omni_courier_code:
                        result[line.id] = ("parcel", parcel["name"], parcel["courier"] or "-")
        return result

    def _explanation_text(self, repeat=None):
        """The line's finding as a sentence, e.g. 计费重量 2.30 kg，我方 1.80 kg；运费差 ¥ 4.00."""
        self.ensure_one()
        env, currency = self.env, self.currency_id

        def money(amount):
            return format_amount(env, amount, currency)

        def kg(weight):
            return formatLang(env, weight, digits=2)

        if self.state == "weight_diff":
            return env._(
                "Billed weight %(billed)s kg, ours %(ours)s kg; fee difference %(diff)s",
                billed=kg(self.billed_weight),
                ours=kg(self.chargeable_weight),
                diff=money(self.billed_fee - self.expected_fee),
            )
        if self.state == "fee_diff":
            return env._(
                "Billed fee %(billed)s, ours by the rate card %(ours)s; fee difference %(diff)s",
                billed=money(self.billed_fee),
                ours=money(self.expected_fee),
                diff=money(self.billed_fee - self.expected_fee),
            )
        if self.state == "cod_diff":
            return env._(
                "COD collected %(billed)s, ours %(ours)s; COD difference %(diff)s",
                billed=money(self.billed_cod),
                ours=money(self.expected_cod),
                diff=money(self.billed_cod - self.expected_cod),
            )
        if self.state == "unknown":
            if repeat:
                return env._(
                    "Our parcel %(picking)s of this number was shipped with courier %(courier)s.",
                    picking=repeat[1],
                    courier=repeat[2],
                )
            return env._("No parcel of ours was shipped with this courier under this tracking number.")
        if self.state == "duplicate":
            if repeat and repeat[0] == "row":
                return env._("Billed twice: also on row %(row)s of this statement.", row=repeat[1])
            if repeat:
                return env._("Billed twice: already billed in statement %(statement)s.", statement=repeat[1])
            return env._("Billed more than once.")
        if self.state == "missing":
            return env._("Shipped by us, not on the statement; expected fee %(ours)s", ours=money(self.expected_fee))
        return env._("Agrees with our parcel.")

    def write(self, vals):
        if set(vals) - {"resolution", "resolution_note"} and not self.env.su:
            raise UserError(self.env._("Only the resolution and its note of a statement line can be changed."))
        if any(line.statement_id.state == "settled" for line in self):
            raise UserError(self.env._("A settled courier statement cannot be changed."))
        if vals.get("resolution") and any(line.state in ("matched", "missing") for line in self):
            raise ValidationError(self.env._("Only lines with a difference are accepted or disputed."))
        res = super().write(vals)
        self.env["courier.statement"]._invalidate_totals()
        if "resolution" in vals:
            # 已对账 once every difference is accepted or disputed, 待处理 again when one is reopened
            self.statement_id._update_resolution_state()
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
