# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Platform orders from batch files (CSV, XLSX, XLS with the platforms' Chinese
headers): rows grouped into orders, cells checked, every row error named by
row and column."""

import logging
from collections import defaultdict

from odoo import api, models

from odoo.addons.omni_base.tools import tabular
from odoo.addons.omni_platform.platforms.base import ORDER_TEXT_KEYS

from .omni_order import (
    ORDER_HEADER_KEYS,
)

_logger = logging.getLogger(__name__)


class OmniOrder(models.Model):
    _inherit = "omni.order"

    # --- file import ------------------------------------------------------
    @api.model
    def _import_table(self, table, import_file):
        """Group the file's rows by (unit code, platform order number) and
        stage them. Returns {created, duplicates, exceptions, errors}."""
        summary = {"created": 0, "duplicates": 0, "exceptions": 0, "errors": []}
        grouped = defaultdict(list)
        for row in table.rows:
            code = tabular.to_text(row["channel_code"]).upper()
            number = tabular.to_text(row["platform_order_no"])
            if not code or not number:
                summary["errors"].append(
                    {
                        "row": row["_row"],
                        "message": self.env._(
                            "Row %(row)s: the unit code or platform order number is empty.", row=row["_row"]
                        ),
                    }
                )
                continue
            grouped[(code, number)].append(row)
        codes = {code for code, _number in grouped}
        channels = {
            c.code: c
            for c in self.env["omni.channel"].search(
                [("code", "in", list(codes)), ("company_id", "=", import_file.company_id.id)]
            )
        }
        by_channel = defaultdict(list)
        rows_by_no = defaultdict(dict)
        unknown_rows = defaultdict(list)
        for (code, number), rows in grouped.items():
            channel = channels.get(code)
            if not channel:
                unknown_rows[code] += [row["_row"] for row in rows]
                continue
            try:
                order = self._order_from_rows(number, rows, table)
            except tabular.TableError as err:
                summary["errors"].append(
                    {"row": err.row or rows[0]["_row"], "message": tabular.error_message(self.env, err)}
                )
                continue
            by_channel[channel].append(order)
            rows_by_no[channel.id][number] = [
                {k: str(v) for k, v in row.items() if v is not None and k != "_row"} | {"_row": row["_row"]}
                for row in rows
            ]
        # one message per unknown unit code, naming its rows (not one per row)
        for code, row_numbers in unknown_rows.items():
            summary["errors"].append(
                {
                    "row": min(row_numbers),
                    "message": self.env._(
                        "Rows %(rows)s: no channel with unit code '%(code)s' in company %(company)s.",
                        rows=tabular.row_ranges(row_numbers),
                        code=code,
                        company=import_file.company_id.name,
                    ),
                }
            )
        for channel, orders in by_channel.items():
            for result in self._import_orders(
                channel, orders, source="file", import_file=import_file, rows_by_no=rows_by_no[channel.id]
            ):
                if result["result"] == "duplicate":
                    summary["duplicates"] += 1
                elif result["result"] == "created":
                    summary["created"] += 1
                else:
                    summary["exceptions"] += 1
        summary["errors"].sort(key=lambda e: e["row"])
        return summary

    @api.model
    def _order_from_rows(self, number, rows, table):
        """One order dict from its file rows: header fields from the first row
        that has them, the earliest order time, one line per row."""
        first = rows[0]
        order = {"platform_order_no": number, "lines": []}
        for key in ORDER_HEADER_KEYS:
            order[key] = next((row[key] for row in rows if row[key] not in (None, "")), None)
        times = [tabular.to_datetime(row["order_time"], row["_row"], table.label("order_time")) for row in rows]
        times = [t for t in times if t]
        order["order_time"] = min(times) if times else None
        for key in ORDER_TEXT_KEYS:
            order[key] = tabular.to_text(order[key])
        for key in ("paid_amount", "shipping_fee"):
            amount = tabular.to_decimal(order[key], first["_row"], table.label(key), digits=2)
            order[key] = str(amount) if amount is not None else None
        for row in rows:
            quantity = tabular.to_decimal(row["quantity"], row["_row"], table.label("quantity"), digits=4)
            price = tabular.to_decimal(row["unit_price"], row["_row"], table.label("unit_price"), digits=4)
            order["lines"].append(
                {
                    "platform_sku": tabular.to_text(row["platform_sku"]),
                    "quantity": str(quantity) if quantity is not None else "0",
                    "unit_price": str(price) if price is not None else "0",
                }
            )
        return order
