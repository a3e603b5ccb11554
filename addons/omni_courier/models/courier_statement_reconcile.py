# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reconciliation of a statement parcel by parcel against our shipped
deliveries (expected fee from the rate card, COD), missing parcels, and
reconciling again."""

import logging
from decimal import Decimal

from psycopg2.extras import execute_values

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.omni_base.tools import guard
from odoo.addons.omni_base.tools.sql import bulk_copy

from .courier_rate import CENT
from .courier_statement import (
    INSERTED_COLUMNS,
    MISSING_LINE,
    RECONCILED_COLUMNS,
    _dec,
)

_logger = logging.getLogger(__name__)


class CourierStatement(models.Model):
    _inherit = "courier.statement"

    # ------------------------------------------------------------------
    # Parcels

    @api.model
    def _fetch_parcels(self, company, tracking_nos=None, carrier=None, date_from=None, date_to=None, unbilled=False):
        """Shipped parcels (done outgoing deliveries with a tracking number:
        Odoo's carrier_id and carrier_tracking_ref, whoever filled them) of
        ``company`` as dicts keyed by tracking number: by the numbers
        given, or those of ``carrier`` shipped in the period (``unbilled``:
        only those no statement line of the carrier bills). One query for the deliveries, one for their
        orders. SQL: the ORM would read 100,000 deliveries record by record
        into its cache (see scripts/bench_courier_reconciliation.py)."""
        self.env["stock.picking"].flush_model()
        where = [
            SQL("p.company_id = %s AND p.state = 'done' AND t.code = 'outgoing'", company.id),
            SQL("p.carrier_tracking_ref IS NOT NULL AND p.carrier_tracking_ref != ''"),
        ]
        if tracking_nos is not None:
            # the index on carrier_tracking_ref serves this: numbers are compared as couriers print them
            where.append(SQL("p.carrier_tracking_ref = ANY(%s)", list(set(tracking_nos))))
        if carrier is not None:
            # the period's days are the company's, whoever imports
            tz = company._omni_tz().zone
            where += [
                SQL("dc.omni_courier_code = %s", carrier.omni_courier_code),
                SQL("(p.date_done AT TIME ZONE 'UTC' AT TIME ZONE %s)::date BETWEEN %s AND %s", tz, date_from, date_to),
            ]
            if unbilled:
                self.env["courier.statement.line"].flush_model()
                where.append(
                    SQL(
                        """NOT EXISTS (
                            SELECT 1
                              FROM courier_statement_line l
                              JOIN courier_statement s ON s.id = l.statement_id
                             WHERE l.tracking_no = upper(p.carrier_tracking_ref) AND l.state != 'missing'
                               AND s.carrier_id = %s AND s.company_id = %s)""",
                        carrier.id,
                        company.id,
                    )
                )
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, p.name, upper(p.carrier_tracking_ref), coalesce(dc.omni_courier_code, ''),
                       p.omni_parcel_weight, p.omni_parcel_length, p.omni_parcel_width, p.omni_parcel_height,
                       p.sale_id, st.name
                  FROM stock_picking p
                  JOIN stock_picking_type t ON t.id = p.picking_type_id
                  LEFT JOIN delivery_carrier dc ON dc.id = p.carrier_id
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
        self._bulk_insert({**row, **values} for row, values in zip(rows, computed, strict=True))
        self._insert_missing()

    def _insert_missing(self, tracking_nos=None):
        """Lines for this courier's parcels shipped in the period that no
        statement lists (of the parcels with these tracking numbers only, when
        given)."""
        parcels = self._fetch_parcels(
            self.company_id,
            tracking_nos,
            carrier=self.carrier_id,
            date_from=self.date_from,
            date_to=self.date_to,
            unbilled=True,
        )
        if not parcels:
            return
        card = self.carrier_id.with_company(self.company_id)._omni_rate_card()
        self._bulk_insert(
            [
                {**MISSING_LINE, **self._expected_values(parcel, card), "tracking_no": tracking}
                for tracking, parcel in parcels.items()
            ]
        )

    # ------------------------------------------------------------------
    # Missing parcels kept current (漏账包裹): a parcel shipped, its courier
    # or tracking number changed, another statement billing it or deleted

    @api.model
    def _refresh_missing_parcels(self, pickings):
        """List again, on the open statements of their companies, the
        missing lines of these shipped parcels: a parcel shipped in a
        statement's period with its courier and billed by no statement is
        missing from it, one that is billed or no longer of its courier or
        period is not."""
        statements = self.search(
            [("state", "in", ("to_resolve", "reconciled")), ("company_id", "in", pickings.company_id.ids)]
        )
        if not statements:
            return
        tracking_nos = [ref for ref in pickings.mapped("carrier_tracking_ref") if ref]
        self.env["courier.statement.line"].flush_model()
        for statement in statements:
            self.env.cr.execute(
                "DELETE FROM courier_statement_line WHERE statement_id = %s AND state = 'missing' "
                "AND picking_id = ANY(%s)",
                [statement.id, pickings.ids],
            )
            if tracking_nos:
                statement._insert_missing(tracking_nos)
        self.env["courier.statement.line"].invalidate_model()
        statements.invalidate_recordset(["line_ids"])
        self._invalidate_totals()

    def unlink(self):
        couriers = {(statement.carrier_id.id, statement.company_id.id) for statement in self}
        res = super().unlink()
        # the parcels a deleted statement billed are missing from the courier's other open statements again
        for carrier_id, company_id in couriers:
            for statement in self.search(
                [
                    ("carrier_id", "=", carrier_id),
                    ("company_id", "=", company_id),
                    ("state", "in", ("to_resolve", "reconciled")),
                ]
            ):
                self.env.cr.execute(
                    "DELETE FROM courier_statement_line WHERE statement_id = %s AND state = 'missing'", [statement.id]
                )
                statement._insert_missing()
        return res

    def _drop_missing_billed_here(self):
        """A statement bills parcels another open statement of this courier
        listed as missing: they are not missing any more."""
        self.ensure_one()
        self.env["courier.statement.line"].flush_model()
        self.env.cr.execute(
            """
            DELETE FROM courier_statement_line m
             USING courier_statement s
             WHERE m.statement_id = s.id AND m.state = 'missing' AND s.id != %(id)s
               AND s.carrier_id = %(carrier)s AND s.company_id = %(company)s
               AND s.state IN ('to_resolve', 'reconciled')
               AND m.tracking_no IN (
                   SELECT tracking_no FROM courier_statement_line WHERE statement_id = %(id)s AND state != 'missing'
               )
            """,
            {"id": self.id, "carrier": self.carrier_id.id, "company": self.company_id.id},
        )
        if self.env.cr.rowcount:
            self.env["courier.statement.line"].invalidate_model()
            self._invalidate_totals()

    def _bulk_insert(self, lines):
        """Insert lines of this statement, dicts of INSERTED_COLUMNS (an
        iterable; one COPY: the ORM would build 100,000 records in its cache
        one by one, and a multi-row INSERT quotes every value in Python)."""
        statement_id, company_id = self.id, self.company_id.id
        count = 0

        def values():
            nonlocal count
            for line in lines:
                count += 1
                yield (statement_id, company_id, *(line[column] for column in INSERTED_COLUMNS))

        bulk_copy(self.env, "courier_statement_line", ("statement_id", "company_id", *INSERTED_COLUMNS), values())
        if count > 1000:
            # the planner's statistics still say the table is as it was: the NOT EXISTS of the missing
            # parcels, planned as a nested loop over "no line", would take minutes (ANALYZE sees the
            # rows this transaction inserted)
            self.env.cr.execute("ANALYZE courier_statement_line")
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
        self._update_resolution_state()
