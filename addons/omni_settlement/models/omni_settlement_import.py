# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Import of a platform statement file: read (readers.py), checked to be
the channel's, classified and written set-based (COPY), then matched."""

import base64
import binascii
import datetime
import hashlib
import json

from odoo import api, models
from odoo.exceptions import UserError

from odoo.addons.omni_channel.tools import guard, sql, tabular

from .. import readers
from .omni_settlement import IMPORT_LOCK_KEY

# json.dumps(..., ensure_ascii=False) builds a new encoder at every call: one for the million rows
_RAW_ENCODER = json.JSONEncoder(ensure_ascii=False)
INSERTED_COLUMNS = (
    "settlement_id", "channel_id", "company_id", "sheet", "row_no", "serial_no", "line_at", "line_date",
    "order_ref", "sub_order_ref", "type_text", "amount", "fee_amount", "gross_amount", "balance", "raw_values",
    "fee_type_id", "kind", "state",
)  # fmt: skip
_SERIAL_PAGE = 50_000


class OmniSettlement(models.Model):
    _inherit = "omni.settlement"

    @api.model
    def import_file(self, channel_code, filename, content_base64):
        """Import a platform's settlement statement (base64 file content)
        for the channel with unit code ``channel_code`` of the current
        company; return the statement id. The same file again returns the
        same statement, nothing added. A bad file (another channel's or
        company's, cut in the middle, unreadable row) is refused as a whole:
        nothing recorded."""
        with self.env.cr.savepoint():
            statement, content = self._start_import(channel_code, filename, content_base64)
            if statement.state == "draft":
                statement._load_file(content)
        return statement.id

    @api.model
    def _start_import(self, channel_code, filename, content_base64):
        self.check_access("create")
        company = self.env.company
        channel = self.env["omni.channel"]._get_by_code(channel_code, company=company)
        if channel.platform not in readers.PLATFORM_FORMATS:
            raise UserError(
                self.env._(
                    "Channel %(channel)s is on platform %(platform)s, whose settlement statements cannot be "
                    "imported (Tmall/Taobao Alipay, JD, Pinduoduo and Douyin can).",
                    channel=channel.display_name,
                    platform=dict(channel._fields["platform"]._description_selection(self.env))[channel.platform],
                )
            )
        try:
            content = base64.b64decode(content_base64 or b"", validate=True)
        except (binascii.Error, ValueError, TypeError) as exc:
            raise UserError(
                self.env._("File '%(filename)s' is not base64-encoded content.", filename=filename)
            ) from exc
        sha = hashlib.sha256(content).hexdigest()
        # two imports of one channel wait for each other: serial numbers are checked against the lines before
        self.env.cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", [IMPORT_LOCK_KEY, channel.id])
        existing = self.search(
            [("company_id", "=", company.id), ("channel_id", "=", channel.id), ("file_sha256", "=", sha)], limit=1
        )
        if existing:
            existing._message_log(
                body=self.env._(
                    "File %(filename)s imported again: it is the file of this statement, nothing was added.",
                    filename=filename,
                )
            )
            return existing, content
        statement = guard.internal(self).create(
            {
                "channel_id": channel.id,
                "company_id": company.id,
                "file_format": readers.PLATFORM_FORMATS[channel.platform],
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
        return statement.with_env(self.env), content

    def _load_file(self, content):
        self.ensure_one()
        try:
            parsed = readers.read_statement(self.file_format, self.file_name, content)
        except tabular.TableError as err:
            raise UserError(self._table_message(err)) from err
        self._check_channel_of_orders(parsed.rows)
        rows = parsed.rows
        line_dates = [row["line_at"] for row in rows if row["line_at"]]
        date_from = parsed.period_from.date() if parsed.period_from else min(line_dates).date()
        date_to = parsed.period_to or max(line_dates)
        if parsed.period_to and date_to.time() == datetime.time():  # Alipay's end is exclusive
            date_to -= datetime.timedelta(seconds=1)
        guard.internal(self).write(
            {
                "date_from": date_from,
                "date_to": date_to.date(),
                "opening_balance": parsed.opening_balance,
                "closing_balance": parsed.closing_balance,
                "state": "imported",
            }
        )
        self.env["omni.settlement.fee.type"].sudo()._seed_defaults(self.channel_id)  # the platform's defaults
        self._insert_lines(rows)
        self._classify()
        self._match()
        self._check_balance()

    def _table_message(self, err):
        if err.template in readers.OUR_TEMPLATES:
            return self.env._(err.template) % err.params  # pylint: disable=translation-required
        return self.env["omni.channel"]._table_error_message(err)

    def _check_channel_of_orders(self, rows):
        """Refuse a statement of another channel or company: its order
        numbers are orders of another channel, none (or fewer) of this one."""
        channel = self.channel_id
        refs = list({row["order_ref"] for row in rows if row["order_ref"]})
        if not refs:
            return
        self.env["omni.order"].flush_model(["channel_id", "platform_order_no", "company_id"])
        self.env.cr.execute(
            """
            SELECT o.channel_id, o.company_id, count(*) FROM omni_order o
             WHERE o.platform_order_no = ANY(%s) GROUP BY o.channel_id, o.company_id
            """,
            [refs],
        )
        ours, other_channels, other_company = 0, {}, 0
        for channel_id, company_id, count in self.env.cr.fetchall():
            if channel_id == channel.id:
                ours = count
            elif company_id == channel.company_id.id:
                other_channels[channel_id] = count
            else:
                other_company += count
        best = max(other_channels.items(), key=lambda item: item[1], default=(None, 0))
        if best[1] > ours:
            other = self.env["omni.channel"].browse(best[0])
            raise UserError(
                self.env._(
                    "File '%(filename)s' looks like a statement of channel %(other)s, not %(channel)s: "
                    "%(other_count)s of its %(count)s order numbers are orders of %(other)s, %(ours)s of "
                    "%(channel)s. Import it for channel %(other)s; nothing was recorded.",
                    filename=self.file_name,
                    other=other.display_name,
                    channel=channel.display_name,
                    other_count=best[1],
                    count=len(refs),
                    ours=ours,
                )
            )
        if other_company > ours:
            raise UserError(
                self.env._(
                    "File '%(filename)s': %(ours)s of its %(count)s order numbers are orders of channel "
                    "%(channel)s of %(company)s. Is it a statement of another company? Nothing was recorded.",
                    filename=self.file_name,
                    ours=ours,
                    count=len(refs),
                    channel=channel.display_name,
                    company=channel.company_id.name,
                )
            )

    def _existing_serials(self, rows):
        """(serial, amount) -> line id of the channel's lines already
        recorded (other statements) for the serial numbers of ``rows``."""
        serials = list({row["serial_no"] for row in rows})
        found = {}
        for start in range(0, len(serials), _SERIAL_PAGE):
            self.env.cr.execute(
                """
                SELECT serial_no, amount, id FROM omni_settlement_line
                 WHERE channel_id = %s AND serial_no = ANY(%s) AND state <> 'duplicate'
                """,
                [self.channel_id.id, serials[start : start + _SERIAL_PAGE]],
            )
            for serial, amount, line_id in self.env.cr.fetchall():
                found[(serial, f"{amount:.2f}")] = line_id
        return found

    def _insert_lines(self, rows):
        """COPY the rows; a serial number already seen (earlier in the file
        or in another statement of the channel) is kept as 'duplicate'."""
        self.ensure_one()
        tz = self.company_id._omni_tz()
        seen = self._existing_serials(rows)
        offsets = {}
        sid, channel_id, company_id = self.id, self.channel_id.id, self.company_id.id
        encode = _RAW_ENCODER.encode

        def utc(local):
            day = local.date()
            offset = offsets.get(day)
            if offset is None:
                offset = offsets[day] = local.replace(tzinfo=tz).utcoffset()
            return local - offset

        def lines():
            for row in rows:
                key = (row["serial_no"], f"{row['amount']:.2f}")
                state = "duplicate" if key in seen else "unmapped"  # until classified
                seen[key] = True
                local = row["line_at"]
                yield (
                    sid, channel_id, company_id, row["sheet"], row["row_no"], row["serial_no"],
                    utc(local) if local else None, local.date() if local else None,
                    row["order_ref"], row["sub_order_ref"], row["type_text"], row["amount"], row["fee_amount"],
                    row["amount"] - row["fee_amount"], row["balance"], encode(row["raw"]), None, None, state,
                )  # fmt: skip

        sql.bulk_copy(self.env, "omni_settlement_line", INSERTED_COLUMNS, lines())
        self.env["omni.settlement.line"].invalidate_model()
