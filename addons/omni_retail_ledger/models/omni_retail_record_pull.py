# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""XML-RPC pull API for the offline books: orders, records and returns of a
unit code, marked as read once exported."""

import logging
from datetime import datetime

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.omni_base.tools import guard

from .omni_retail_record import (
    EXPORTABLE_MODELS,
)

_logger = logging.getLogger(__name__)


class OmniRetailRecord(models.Model):
    _inherit = "omni.retail.record"

    # --- pull API for the offline books --------------------------------------------
    @api.model
    def _pull_channel(self, unit_code):
        self._check_reader_rights()
        return self.env["omni.channel"]._get_by_code(unit_code, company=self.env.company)

    @api.model
    def _iso(self, value):
        return fields.Datetime.to_string(value) if isinstance(value, datetime) else fields.Date.to_string(value)

    @api.model
    def pull_orders(self, unit_code, date, only_new=True):
        """Platform orders of the channel received on ``date`` (order time in
        the company's time zone), with their state: [{id, platform_order_no,
        order_time, state, payment_method, paid_amount, shipping_fee,
        sale_order, lines: [{platform_sku, quantity, unit_price}],
        exported_at}]. ``only_new``: those not marked exported yet."""
        channel = self._pull_channel(unit_code)
        day = fields.Date.to_date(date)
        start, stop = self._utc_bounds(channel.company_id, day, day)
        domain = [("channel_id", "=", channel.id), ("order_time", ">=", start), ("order_time", "<", stop)]
        if only_new:
            domain.append(("retail_exported_at", "=", False))
        orders = self.env["omni.order"].sudo().search(domain, order="order_time, id")
        currency = channel.company_id.currency_id
        return [
            {
                "id": order.id,
                "unit_code": channel.code,
                "platform_order_no": order.platform_order_no,
                "order_time": self._iso(order.order_time) if order.order_time else False,
                "state": order.state,
                "payment_method": order.payment_method,
                "paid_amount": currency.round(order.paid_amount),
                "shipping_fee": currency.round(order.shipping_fee),
                "sale_order": order.sale_order_id.name or False,
                "lines": [
                    {
                        "platform_sku": line.platform_sku,
                        "quantity": line.quantity,
                        "unit_price": currency.round(line.unit_price),
                    }
                    for line in order.line_ids
                ],
                "exported_at": self._iso(order.retail_exported_at) if order.retail_exported_at else False,
            }
            for order in orders
        ]

    @api.model
    def pull_records(self, unit_code, date_from, date_to=None, kind=None, only_new=True):
        """Posted (and reversed) retail records of the channel for the days
        ``date_from``..``date_to``: [{id, name, date, kind, state, amounts,
        journal_entry, reversal_entry, taxes: [...], lines: [...]}]. A
        reversed record is offered again (as new) with state 'reversed'."""
        channel = self._pull_channel(unit_code)
        domain = [
            ("channel_id", "=", channel.id),
            ("date", ">=", fields.Date.to_date(date_from)),
            ("date", "<=", fields.Date.to_date(date_to or date_from)),
            ("state", "in", ("posted", "reversed")),
        ]
        if kind:
            domain.append(("kind", "=", kind))
        if only_new:
            domain.append(("exported_at", "=", False))
        # the search applies the reader's rights; names of orders are read as superuser
        records = self.search(domain, order="date, kind, id").sudo()
        currency = channel.company_id.currency_id
        rnd = currency.round
        return [
            {
                "id": record.id,
                "name": record.name,
                "unit_code": channel.code,
                "date": self._iso(record.date),
                "kind": record.kind,
                "state": record.state,
                "amount_untaxed": rnd(record.amount_untaxed),
                "amount_tax": rnd(record.amount_tax),
                "amount_total": rnd(record.amount_total),
                "amount_cod": rnd(record.amount_cod),
                "journal_entry": record.move_id.name or False,
                "reversal_entry": record.reversal_move_id.name or False,
                "taxes": [
                    {"tax": row.tax_id.name, "base": rnd(row.base), "amount": rnd(row.amount)}
                    for row in record.tax_line_ids
                ],
                "lines": [
                    {
                        "reference": line.reference,
                        "sale_order": line.sale_order_id.name or False,
                        "aftersale": line.aftersale_id.name or False,
                        "document_at": self._iso(line.document_at) if line.document_at else False,
                        "amount_untaxed": rnd(line.amount_untaxed),
                        "amount_tax": rnd(line.amount_tax),
                        "amount_total": rnd(line.amount_total),
                        "cod": line.is_cod,
                        "courier_code": line.courier_code or False,
                    }
                    for line in record.line_ids
                ],
                "exported_at": self._iso(record.exported_at) if record.exported_at else False,
            }
            for record in records
        ]

    @api.model
    def pull_returns(self, unit_code, date_from, date_to=None, only_new=True):
        """Received returns (after-sales orders) of the channel for the days
        ``date_from``..``date_to`` (receipt day in the company's time zone):
        [{id, name, platform_order_no, platform_refund_no, received_at,
        refund_amount, retail_record, lines: [{product, quantity,
        destination}], exported_at}]."""
        channel = self._pull_channel(unit_code)
        start, stop = self._utc_bounds(
            channel.company_id, fields.Date.to_date(date_from), fields.Date.to_date(date_to or date_from)
        )
        domain = [
            ("channel_id", "=", channel.id),
            ("state", "=", "received"),
            ("received_at", ">=", start),
            ("received_at", "<", stop),
        ]
        if only_new:
            domain.append(("retail_exported_at", "=", False))
        returns = self.env["omni.aftersale"].sudo().search(domain, order="received_at, id")
        lines = (
            self.env["omni.retail.record.line"]
            .sudo()
            .search([("aftersale_id", "in", returns.ids), ("released", "=", False)])
        )
        record_by_return = {line.aftersale_id.id: line.record_id.name for line in lines}
        rnd = channel.company_id.currency_id.round
        return [
            {
                "id": aftersale.id,
                "name": aftersale.name,
                "unit_code": channel.code,
                "platform_order_no": aftersale.omni_order_id.platform_order_no,
                "platform_refund_no": aftersale.platform_refund_no or False,
                "received_at": self._iso(aftersale.received_at),
                "refund_amount": rnd(aftersale.refund_amount),
                "retail_record": record_by_return.get(aftersale.id, False),
                "lines": [
                    {
                        "product": line.product_id.default_code or line.product_id.name,
                        "quantity": line.quantity,
                        "destination": line.destination,
                    }
                    for line in aftersale.line_ids
                ],
                "exported_at": self._iso(aftersale.retail_exported_at) if aftersale.retail_exported_at else False,
            }
            for aftersale in returns
        ]

    @api.model
    def mark_exported(self, model, ids):
        """Mark what the offline books have read: ``model`` is
        'omni.retail.record', 'omni.order' or 'omni.aftersale'. Only rows of
        the current company are touched; marking twice changes nothing.
        Returns the number newly marked."""
        self._check_reader_rights()
        if model not in EXPORTABLE_MODELS:
            raise UserError(
                self.env._(
                    "Cannot mark %(model)s as exported: use one of %(models)s.",
                    model=model,
                    models=", ".join(EXPORTABLE_MODELS),
                )
            )
        field = "exported_at" if model == "omni.retail.record" else "retail_exported_at"
        rows = (
            self.env[model]
            .sudo()
            .search([("id", "in", list(ids or [])), ("company_id", "in", self.env.companies.ids), (field, "=", False)])
        )
        guard.internal(rows).write({field: fields.Datetime.now()})
        return len(rows)
