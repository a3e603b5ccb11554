# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import Decimal

from odoo import fields, models

from .courier_rate import RateCard


class DeliveryCarrier(models.Model):
    """A courier (快递公司) (its code, SF, ZTO, YTO, ..., comes with
    omni_fulfilment: deliveries carry the courier as their ``carrier_id``):
    the courier as a partner (vendor of the freight bill, payer of the COD
    money it collects) and, per company, the accounts used when the courier
    is settled or cash-on-delivery orders are posted."""

    _inherit = "delivery.carrier"

    omni_partner_id = fields.Many2one(
        "res.partner",
        string="Courier Partner",
        help="The courier company as a partner: vendor of its freight bills and debtor of the "
        "cash-on-delivery money it collects.",
    )
    omni_cod_account_id = fields.Many2one(
        "account.account",
        string="COD Receivable Account",
        company_dependent=True,
        domain="[('account_type', '=', 'asset_receivable')]",
        help="Receivable account for the cash-on-delivery money this courier collects from buyers "
        "(per company). Cash-on-delivery orders are posted to it; the courier's remittance clears it.",
    )
    omni_rate_ids = fields.One2many("omni.courier.rate", "carrier_id", string="Rate Card", copy=True)
    omni_weight_rounding = fields.Selection(
        [("0.01", "0.01 kg"), ("0.1", "0.1 kg"), ("0.5", "0.5 kg"), ("1", "1 kg")],
        string="Round Weight Up To",
        default="0.1",
        help="The chargeable weight is rounded up to a multiple of this step before the rate card applies.",
    )
    omni_volumetric_divisor = fields.Integer(
        string="Volumetric Divisor (cm³/kg)",
        default=6000,
        help="Volumetric weight = length × width × height (cm) / divisor; the chargeable weight is the "
        "larger of the actual and the volumetric weight (抛货). 0: no volumetric weight.",
    )
    omni_cod_fee_rate = fields.Float(
        string="COD Fee (%)",
        digits=(5, 3),
        help="Fee the courier charges on the cash-on-delivery amount it collects, in percent; it is "
        "part of the expected fee of a COD parcel.",
    )
    omni_fee_tolerance = fields.Float(
        string="Fee Tolerance", default=0.01, help="Fee differences up to this amount count as matched."
    )
    omni_weight_tolerance = fields.Float(
        string="Weight Tolerance (kg)",
        default=0.1,
        help="Billed and chargeable weight differing by more than this explain a fee difference as a "
        "weight difference.",
    )
    omni_cod_tolerance = fields.Float(
        string="COD Tolerance", default=0.01, help="COD differences up to this amount count as matched."
    )
    omni_statement_column_ids = fields.One2many(
        "omni.courier.statement.column",
        "carrier_id",
        string="Statement Columns",
        copy=True,
        help="Other header texts this courier's statements use, a line per header text and its column "
        "(e.g. 京东单号: Tracking No.); they are read before the headers every courier uses.",
    )
    omni_expense_account_id = fields.Many2one(
        "account.account",
        string="Freight Expense Account",
        company_dependent=True,
        help="Expense account of the courier's freight bill (per company). Empty: the expense account "
        "of the carrier's delivery product, else the default account of the purchase journal.",
    )
    omni_cod_remittance_account_id = fields.Many2one(
        "account.account",
        string="COD Remittance Account",
        company_dependent=True,
        help="Account debited with the COD money the courier remits (per company), e.g. a bank "
        "suspense account. Empty: the company's bank suspense account.",
    )

    def _omni_statement_aliases(self):
        """Canonical key -> header texts of this courier's statements: its own
        ones first, then the default ones."""
        from .courier_statement import STATEMENT_ALIASES

        aliases = {key: list(names) for key, names in STATEMENT_ALIASES.items()}
        own = {}
        for column in self.omni_statement_column_ids.sorted(lambda c: (c.sequence, c.id)):
            own.setdefault(column.key, []).append(column.header)
        return {key: own.get(key, []) + names for key, names in aliases.items()}

    def _omni_rate_card(self):
        """The rate card as plain Python (no ORM access per parcel)."""
        self.ensure_one()
        return RateCard(
            lines=[
                (
                    rate.province_set(),
                    Decimal(str(rate.first_weight)),
                    Decimal(str(rate.first_price)),
                    Decimal(str(rate.additional_unit)),
                    Decimal(str(rate.additional_price)),
                )
                for rate in self.omni_rate_ids.sorted(lambda r: (r.sequence, r.id))
            ],
            rounding=Decimal(self.omni_weight_rounding or "0.01"),
            divisor=self.omni_volumetric_divisor or 0,
            cod_fee_rate=Decimal(str(self.omni_cod_fee_rate or 0)),
        )
