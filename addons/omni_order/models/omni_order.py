# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import contextlib
import json
import logging
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

import pytz
from psycopg2 import IntegrityError

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_round

from odoo.addons.omni_base.tools import guard, normalize, tabular
from odoo.addons.omni_base.tools.sql import bulk_insert
from odoo.addons.omni_platform.platforms.base import LINE_REFUNDED, ORDER_TEXT_KEYS
from odoo.addons.queue_job.exception import RetryableJobError

from ..tools.order_states import OPEN_STATES, TO_SHIP_STATES
from .omni_order_allocation import refresh_statistics

_logger = logging.getLogger(__name__)

# how platforms, files and integrators name the payment methods (lower case);
# another word stages the order in the exception queue (unknown_payment)
PAYMENT_METHODS = {
    "prepaid": "prepaid",
    "在线支付": "prepaid",
    "先款后货": "prepaid",
    "已付款": "prepaid",
    "online": "prepaid",
    "cod": "cod",
    "货到付款": "cod",
    "cash on delivery": "cod",
}
# changed only by the review actions (guard.internal), never by write/create
GUARDED_FIELDS = (
    "state",
    "sale_order_id",
    "merged_into_id",
    "exception_codes",
    "exception_ids",
    "exception_rule_ids",
    "channel_id",
    "platform_order_no",
    "source",
    "import_file_id",
    "raw_payload",
    "merged_order_ids",
    "hold_reason",
    "platform_status",
    "platform_status_unknown",
)
# what the sale order's money is made of: frozen once the order left review
MONEY_FIELDS = ("channel_id", "payment_method", "paid_amount", "shipping_fee", "line_ids")
# ... of which a Channel Manager alone changes these, even in review
AMOUNT_FIELDS = ("payment_method", "paid_amount", "shipping_fee")
CREATE_DEFAULTS = {
    "state": "new",
    "sale_order_id": False,
    "merged_into_id": False,
    "exception_codes": False,
    "exception_ids": False,
    "exception_rule_ids": False,
    "hold_reason": False,
    "platform_status": False,
    "platform_status_unknown": False,
}
# platforms in China give their order times in China time
CHINESE_PLATFORMS = ("tmall", "taobao", "jd", "pinduoduo", "douyin", "weimob", "youzan")
DEFAULT_PLATFORM_TZ = "Asia/Shanghai"

ORDER_ALIASES = {
    "channel_code": ["平台单位编码", "单位编码", "unit code", "channel code", "channel"],
    "platform_order_no": ["平台订单号", "订单号", "订单编号", "platform order no", "order no", "order number"],
    "order_time": ["下单时间", "订单时间", "创建时间", "order time", "created"],
    "buyer_nick": ["买家昵称", "买家", "buyer nick", "buyer"],
    "receiver_name": ["收货人", "收货人姓名", "receiver name", "receiver"],
    "phone": ["手机", "联系电话", "电话", "手机号", "phone", "mobile"],
    "province": ["省", "省份", "province"],
    "city": ["市", "城市", "city"],
    "district": ["区", "区县", "district"],
    "address": ["详细地址", "收货地址", "地址", "address"],
    "platform_sku": ["平台商家编码", "商家编码", "平台SKU", "platform sku", "sku"],
    "quantity": ["数量", "quantity", "qty"],
    "unit_price": ["单价", "unit price", "price"],
    "shipping_fee": ["运费", "shipping fee", "shipping"],
    "payment_method": ["付款方式", "支付方式", "payment method", "payment"],
    "paid_amount": ["实付金额", "实付", "paid amount", "paid"],
    "buyer_note": ["买家留言", "留言", "备注", "buyer note", "note"],
}
ORDER_REQUIRED = ["channel_code", "platform_order_no", "platform_sku", "quantity"]
# order-level columns of a file: taken from the first row of the order that has them
ORDER_HEADER_KEYS = ["order_time", *ORDER_TEXT_KEYS, "payment_method", "paid_amount", "shipping_fee"]


class OmniOrder(models.Model):
    """A platform order as received (raw payload kept) and normalised, staged
    before it becomes a sale order. Unique per channel and platform order
    number: a re-pull or re-upload never makes a second one."""

    _name = "omni.order"
    _description = "Platform Order"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "priority desc, order_time desc, id desc"
    _rec_name = "platform_order_no"
    _check_company_auto = True

    channel_id = fields.Many2one(
        "omni.channel", required=True, index=True, readonly=True, check_company=True, ondelete="restrict"
    )
    unit_code = fields.Char(related="channel_id.code", store=True, string="Unit Code")
    company_id = fields.Many2one(related="channel_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    platform_order_no = fields.Char(string="Platform Order No.", required=True, index=True, readonly=True)
    source = fields.Selection(
        [("api", "Platform API"), ("file", "File"), ("rpc", "XML-RPC"), ("manual", "Manual")],
        required=True,
        default="manual",
        readonly=True,
    )
    import_file_id = fields.Many2one("omni.import.file", readonly=True, index=True, check_company=True)
    raw_payload = fields.Text(readonly=True, help="The order as the platform or the file gave it.")
    order_time = fields.Datetime(index=True)
    buyer_nick = fields.Char()
    receiver_name = fields.Char()
    phone = fields.Char()
    province = fields.Char()
    city = fields.Char()
    district = fields.Char()
    address = fields.Char()
    receiver_key = fields.Char(
        compute="_compute_receiver_key",
        store=True,
        index=True,
        help="Normalised receiver name, phone and address: equal keys are the same receiver.",
    )
    payment_method = fields.Selection([("prepaid", "Prepaid"), ("cod", "Cash on Delivery")], default="prepaid")
    paid_amount = fields.Monetary()
    shipping_fee = fields.Monetary()
    buyer_note = fields.Text()
    line_ids = fields.One2many("omni.order.line", "order_id", copy=True)
    amount_lines = fields.Monetary(compute="_compute_amount_lines", store=True)
    state = fields.Selection(
        [
            ("new", "New"),
            ("exception", "Exception"),
            ("to_review", "To Review"),
            ("confirmed", "Confirmed"),
            ("shipped", "Shipped"),
            ("merged", "Merged"),
            ("cancelled", "Cancelled"),
        ],
        default="new",
        required=True,
        index=True,
        tracking=True,
        readonly=True,
    )
    hold_reason = fields.Selection(
        [
            ("platform", "Refund or Hold on the Platform"),
            ("address", "Address Changed after Packing"),
            ("refund_packed", "Line Refunded after Packing"),
        ],
        string="Held (退款拦截)",
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
        help="Not to be shipped while set: it allocates no stock, is not confirmed and its delivery cannot be "
        "validated. Set and lifted by the platform's status (a refund asked, then refused or withdrawn), or "
        "lifted by a Channel Manager for a change found after packing.",
    )
    platform_status = fields.Char(
        readonly=True, copy=False, help="The order's status on the platform as of the last pull that changed it."
    )
    platform_status_unknown = fields.Boolean(
        readonly=True,
        copy=False,
        help="The platform gave a status its adapter does not know: the order waits in the exception queue "
        "until the platform gives it as paid and waiting to ship, or a person overrides.",
    )
    priority = fields.Selection([("0", "Normal"), ("1", "Urgent")], default="0", index=True)
    ship_deadline = fields.Datetime(
        compute="_compute_deadlines", store=True, help="Order time plus the channel's promise (48 h by default)."
    )
    ship_target_date = fields.Date(
        string="Ship On",
        compute="_compute_deadlines",
        store=True,
        help="Same day when received before the channel's cut-off (16:00 by default), else the next day.",
    )
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    sale_order_id = fields.Many2one("sale.order", readonly=True, index=True, copy=False, check_company=True)
    merged_into_id = fields.Many2one("omni.order", readonly=True, index=True, copy=False, check_company=True)
    merged_order_ids = fields.One2many("omni.order", "merged_into_id", string="Merged Orders", readonly=True)
    all_line_ids = fields.Many2many(
        "omni.order.line",
        compute="_compute_all_line_ids",
        string="All Lines",
        help="The lines of this order and of the orders merged into it, each with the order it came with.",
    )
    merge_candidate_ids = fields.Many2many(
        "omni.order",
        compute="_compute_merge_candidate_ids",
        string="Merge Suggestions",
        help="Unshipped orders of the same channel, receiver and payment method.",
    )
    merge_candidate_count = fields.Integer(compute="_compute_merge_candidate_ids")

    _sql_constraints = [
        (
            "channel_order_uniq",
            "unique(channel_id, platform_order_no)",
            "A platform order number is imported once per channel.",
        )
    ]

    # --- guards -------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        guard.check_create(self, vals_list, CREATE_DEFAULTS)
        self._omni_check_readonly_create(vals_list)
        if not guard.is_internal(self):
            for vals in vals_list:
                # new lines only: linking existing orders or another order's lines is no staging
                if vals.get("merged_order_ids") or any(
                    not isinstance(command, list | tuple) or command[0] != Command.CREATE
                    for command in vals.get("line_ids") or []
                ):
                    raise UserError(
                        self.env._("A new platform order comes with new lines only; orders are merged by 'Merge'.")
                    )
        # a new order comes with its lines: they are part of the staging, not an edit of its money
        records = super(OmniOrder, guard.internal(self)).create(vals_list)
        return records.with_env(self.env)

    def write(self, vals):
        guard.check_write(self, vals, GUARDED_FIELDS)
        if guard.guarded_in(vals, MONEY_FIELDS) and not guard.is_internal(self):
            self._check_money_open()
            if guard.guarded_in(vals, AMOUNT_FIELDS):
                self._check_money_rights()
        return super().write(vals)

    def _check_money_rights(self):
        """What the platform says was paid is changed by a Channel Manager
        only: a Channel User making the amounts agree would clear an
        exception that needs a manager's confirmation."""
        if not self.env.su and not self.env.user.has_group("omni_channel.group_omni_channel_manager"):
            raise UserError(
                self.env._(
                    "Only a Channel Manager changes the paid amount, shipping fee, payment method or the line "
                    "quantities and prices of a platform order."
                )
            )

    def _check_money_open(self):
        """Amounts, payment and lines are what the sale order is made of:
        they change only while the order is in review."""
        closed = self.filtered(lambda o: o.state not in OPEN_STATES)
        if closed:
            raise UserError(
                self.env._(
                    "Order %(order)s is %(state)s: its amounts, payment method and lines can no longer change.",
                    order=closed[0].display_name,
                    state=dict(self._fields["state"]._description_selection(self.env))[closed[0].state],
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_open(self):
        for order in self:
            if order.sale_order_id or order.state in ("confirmed", "shipped"):
                raise UserError(
                    self.env._(
                        "Order %(order)s has a sale order: cancel it instead of deleting it.", order=order.display_name
                    )
                )

    # --- computes -------------------------------------------------------
    @api.depends(
        "receiver_name", "phone", "province", "city", "district", "address", "receiver_id", "receiver_encrypted"
    )
    def _compute_receiver_key(self):
        for order in self:
            # an encrypted receiver is known by the platform's id of it: its
            # masked text could make two receivers look alike; without an id
            # it is a receiver of its own (never merged automatically)
            if order.receiver_id:
                order.receiver_key = f"rid:{order.receiver_id}"
                continue
            if order.receiver_encrypted:
                order.receiver_key = f"order:{order.channel_id.id}:{order.platform_order_no}"
                continue
            order.receiver_key = "|".join(
                [
                    normalize.address_key(order.receiver_name),
                    normalize.normalize_phone(order.phone),
                    normalize.address_key(order.province, order.city, order.district, order.address),
                ]
            )

    @api.depends("line_ids.quantity", "line_ids.unit_price")
    def _compute_amount_lines(self):
        for order in self:
            order.amount_lines = sum(line.quantity * line.unit_price for line in order.line_ids)

    @api.depends("line_ids", "merged_order_ids.line_ids")
    def _compute_all_line_ids(self):
        for order in self:
            order.all_line_ids = order.line_ids | order.merged_order_ids.line_ids

    @api.depends("order_time", "channel_id.promise_hours", "channel_id.same_day_cutoff")
    def _compute_deadlines(self):
        for order in self:
            if not order.order_time:
                order.ship_deadline = order.ship_target_date = False
                continue
            order.ship_deadline = order.order_time + timedelta(hours=order.channel_id.promise_hours or 48)
            local = pytz.utc.localize(order.order_time).astimezone(order.company_id._omni_tz())
            cutoff = order.channel_id.same_day_cutoff or 16.0
            local_hours = local.hour + local.minute / 60.0
            order.ship_target_date = local.date() + timedelta(days=0 if local_hours < cutoff else 1)

    @api.model
    def _platform_tz(self, channel):
        """Time zone of the channel's platform order times when they come
        without one: China time for Chinese platforms, else the company's.
        Whoever imports reads the same time."""
        if channel.platform in CHINESE_PLATFORMS:
            return pytz.timezone(DEFAULT_PLATFORM_TZ)
        return channel.company_id._omni_tz()

    @api.depends("ship_deadline", "state")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for order in self:
            order.is_overdue = bool(order.state in TO_SHIP_STATES and order.ship_deadline and order.ship_deadline < now)

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue orders."))
        domain = [("state", "in", TO_SHIP_STATES), ("ship_deadline", "<", fields.Datetime.now())]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    @api.depends("receiver_key", "state", "merged_into_id", "sale_order_id", "hold_reason")
    def _compute_merge_candidate_ids(self):
        candidates_by_order = self._get_merge_candidates()
        for order in self:
            order.merge_candidate_ids = candidates_by_order[order]
            order.merge_candidate_count = len(candidates_by_order[order])

    def _get_merge_candidates(self):
        """{order: unshipped orders of the same channel and receiver}, read
        fresh from the database (one search for all)."""
        self.flush_model()
        keys = [k for k in self.mapped("receiver_key") if k]
        candidates = self.search(
            [
                ("receiver_key", "in", keys),
                ("channel_id", "in", self.channel_id.ids),
                ("state", "in", TO_SHIP_STATES),
                ("merged_into_id", "=", False),
                ("hold_reason", "=", False),
            ]
        )
        candidates = candidates.filtered(lambda o: o.state != "confirmed" or o._can_take_lines())
        # one sale order has one payment method: prepaid and COD orders are not merged
        by_key = defaultdict(lambda: self.browse())
        for candidate in candidates:
            by_key[(candidate.channel_id.id, candidate.receiver_key, candidate.payment_method)] |= candidate
        result = {}
        for order in self:
            found = (
                by_key[(order.channel_id.id, order.receiver_key, order.payment_method)] - order - order.merged_into_id
            )
            if order.state not in TO_SHIP_STATES or order.merged_into_id or order.hold_reason:
                found = self.browse()
            result[order] = found
        return result

    @api.depends("channel_id.code", "platform_order_no")
    def _compute_display_name(self):
        for order in self:
            order.display_name = f"[{order.channel_id.code}] {order.platform_order_no}"

    # --- intake ---------------------------------------------------------
    @api.model
    def import_orders(self, channel_code, orders):
        """XML-RPC: stage platform orders of the channel with this unit code.

        ``orders``: list of dicts with platform_order_no, order_time,
        buyer_nick, receiver_name, phone, province, city, district, address,
        payment_method ('prepaid'|'cod'), paid_amount, shipping_fee,
        buyer_note and lines [{platform_sku, quantity, unit_price}]; for a
        receiver the platform encrypts, receiver_id (the platform's id of
        it) and receiver_cipher {name, phone, address} (its ciphertexts),
        the name, phone and address then being the platform's masked text.
        Returns one dict per order: {platform_order_no, result ('created' |
        'duplicate' | 'exception' | 'updated': a platform order staged
        before and changed since, see omni_order_platform_change.py),
        order_id, reasons}."""
        channel = self.env["omni.channel"]._get_by_code(channel_code)
        if not isinstance(orders, list | tuple):
            raise ValidationError(self.env._("'orders' must be a list of order dictionaries."))
        return self._import_orders(channel, list(orders), source="rpc")

    @api.model
    def import_file(self, filename, content_base64):
        """XML-RPC: import a platform order file (CSV/XLSX/XLS, one row per
        order line, the channel from the unit-code column).
        Returns {created, duplicates, exceptions, errors: [{row, message}]}."""
        content = base64.b64decode(content_base64)
        import_file = self.env["omni.import.file"]._create_from_upload("orders", filename, content)
        summary = import_file._process_order_file()
        summary["import_file_id"] = import_file.id
        return summary

    @api.model
    def _import_orders(self, channel, orders, source, import_file=None, rows_by_no=None):
        """Stage ``orders`` (public dict shape) of ``channel``; check them;
        confirm the clean ones by the channel's rules. Idempotent on
        (channel, platform order number)."""
        results, vals_list, seen = [], [], {}
        for index, order in enumerate(orders):
            number = normalize.normalize_text(order.get("platform_order_no") if isinstance(order, dict) else "")
            result = {"platform_order_no": number, "result": "exception", "order_id": False, "reasons": []}
            results.append(result)
            if not isinstance(order, dict):
                result["reasons"] = [self.env._("Order %(index)s is not a dictionary.", index=index + 1)]
                continue
            if not number:
                result["reasons"] = [self.env._("Order %(index)s has no platform order number.", index=index + 1)]
                continue
            if number in seen:
                result.update(result="duplicate", reasons=[self.env._("Given twice in this import.")])
                seen[number].append(result)
                continue
            try:
                vals = self._prepare_staging_vals(channel, order, source, import_file)
            except ValidationError as err:
                result["reasons"] = [str(err.args[0])]
                continue
            if rows_by_no:
                vals["raw_payload"] = json.dumps(
                    {"rows": rows_by_no.get(number, []), "order": order}, ensure_ascii=False, default=str
                )
            seen[number] = [result]
            vals_list.append(vals)
        existing = {
            o.platform_order_no: o
            for o in self.with_context(active_test=False).search(
                [("channel_id", "=", channel.id), ("platform_order_no", "in", list(seen))]
            )
        }
        vals_by_no = {v["platform_order_no"]: v for v in vals_list}
        data_by_no = {normalize.normalize_text(o.get("platform_order_no")): o for o in orders if isinstance(o, dict)}
        for number, same in seen.items():
            if number in existing:
                # an order the platform gives again, paid and waiting to ship:
                # what changed meanwhile (a refund refused, a new receiver, a
                # line refunded) is applied (omni_order_platform_change.py)
                updated = source == "api" and existing[number]._omni_platform_update(
                    vals_by_no[number], data_by_no.get(number) or {}
                )
                for result in same:
                    result.update(
                        result="updated" if updated and result is same[0] else "duplicate",
                        order_id=existing[number].id,
                        reasons=[self.env._("Already imported (state: %(state)s).", state=existing[number].state)],
                    )
        new_vals = [v for v in vals_list if v["platform_order_no"] not in existing]
        # at peak, 10,000 orders a minute: staging writes no chatter (no creation
        # message, no tracking of new -> to review); later changes are tracked
        new_orders = self.with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True
        )._create_staged(new_vals)
        new_orders._check_exceptions()
        by_no = {o.platform_order_no: o for o in new_orders}
        for number, order in by_no.items():
            first = seen[number][0]
            first["order_id"] = order.id
            first["result"] = "exception" if order.state == "exception" else "created"
            first["reasons"] = order.exception_ids.mapped("message")
            for later in seen[number][1:]:
                later["order_id"] = order.id
        new_orders._apply_review_rules()
        # their demand is allocated at once, one set-based step for the batch
        new_orders._omni_allocate()
        # a large batch leaves the tables it filled with current statistics:
        # the next statements (the reconciliation, the review queue, the
        # waves) are planned on them
        refresh_statistics(
            self.env,
            {"omni_order": len(new_orders), "omni_order_line": sum(len(v.get("line_ids") or ()) for v in new_vals)},
        )
        return results

    @api.model
    def _create_staged(self, vals_list):
        if not vals_list:
            return self.browse()
        order_vals, lines_of = [], []
        for vals in vals_list:
            order_vals.append({k: v for k, v in vals.items() if k != "line_ids"})
            lines_of.append([command[2] for command in vals.get("line_ids") or []])
        try:
            with self.env.cr.savepoint():
                # the import staged these values from the platform or the file
                orders = guard.internal(self).create(order_vals).with_env(self.env)
                orders._insert_staged_lines(lines_of)
                return orders
        except IntegrityError as err:
            # another import of the same orders committed meanwhile: a job is
            # retried (when: its job function's retry pattern) and then sees
            # them as duplicates; a caller outside a job (XML-RPC) is told to
            # send them again, nothing is retried for it
            if self.env.context.get("job_uuid"):
                raise RetryableJobError(self.env._("Orders imported concurrently by another job; retrying.")) from err
            raise UserError(
                self.env._(
                    "Orders %(orders)s were being imported by another import at the same moment: nothing of this "
                    "call was imported. Send the orders again: those already imported are reported as duplicates.",
                    orders=", ".join(str(vals.get("platform_order_no")) for vals in order_vals),
                )
            ) from err

    def _insert_staged_lines(self, lines_of):
        """The lines of these new orders (``lines_of``: their values, order by
        order), in one multi-row INSERT: at peak a file brings 25,000 lines,
        which the ORM would build one record at a time (measured in
        scripts/bench_order_intake.py). Their only computed column, the
        company, is the order's; the orders' line total is recomputed."""
        self.flush_recordset(["company_id"])
        rows = [
            (order.id, order.company_id.id, line.get("sequence", 10), line.get("platform_sku") or None,
             line.get("quantity") or 0.0, line.get("unit_price") or 0.0)
            for order, lines in zip(self, lines_of, strict=True)
            for line in lines
        ]  # fmt: skip
        bulk_insert(
            self.env,
            "omni_order_line",
            ["order_id", "company_id", "sequence", "platform_sku", "quantity", "unit_price"],
            rows,
        )
        self.invalidate_recordset(["line_ids"])
        self.env.add_to_compute(self._fields["amount_lines"], self)

    @api.model
    def _prepare_staging_vals(self, channel, order, source, import_file):
        """Values of the platform order staged from ``order`` (the public
        order shape of ``platforms/base.py``). The one normaliser of every
        source (platform API, file, XML-RPC, phone order): the adapters only
        map their platform's fields to the public keys. Raises
        ValidationError naming the order for a value that cannot be read; an
        unknown payment method is staged empty (the review names it)."""
        text = normalize.normalize_text
        number = text(order.get("platform_order_no"))
        lines = order.get("lines") or []
        if not isinstance(lines, list | tuple):
            raise ValidationError(self.env._("Order %(number)s: 'lines' must be a list.", number=number))
        line_vals = []
        refunded_cents = 0
        for position, line in enumerate(lines, start=1):
            if not isinstance(line, dict):
                raise ValidationError(
                    self.env._("Order %(number)s, line %(line)s is not a dictionary.", number=number, line=position)
                )
            if line.get("refund") == LINE_REFUNDED:
                # refunded before we took the order: not ours to ship, nor its money
                amount = line.get("refund_amount")
                if amount in (None, ""):
                    amount = self._to_number(line.get("quantity"), number, "quantity", digits=4) * self._to_number(
                        line.get("unit_price"), number, "unit_price"
                    )
                refunded_cents += round(self._to_number(amount, number, "refund_amount") * 100)
                continue
            line_vals.append(
                Command.create(
                    {
                        "sequence": position,
                        "platform_sku": text(line.get("platform_sku")),
                        "quantity": self._to_number(line.get("quantity"), number, "quantity", digits=4),
                        "unit_price": self._to_number(line.get("unit_price"), number, "unit_price"),
                    }
                )
            )
        raw_payment = text(order.get("payment_method"))
        payment = PAYMENT_METHODS.get(raw_payment.lower()) if raw_payment else "prepaid"
        raw = {k: v for k, v in order.items() if k != "raw"}
        if order.get("raw") is not None:
            raw["platform"] = order["raw"]
        unknown_status = order.get("platform_status_unknown") if source == "api" else False
        return {
            "platform_status": normalize.normalize_text(unknown_status) or False,
            "platform_status_unknown": bool(unknown_status),
            "channel_id": channel.id,
            "platform_order_no": number,
            "source": source,
            "import_file_id": import_file.id if import_file else False,
            "raw_payload": json.dumps(raw, ensure_ascii=False, default=str),
            # the platform adapters give China time (platforms/base.py), whatever the channel
            "order_time": self._to_utc(
                order.get("order_time"),
                channel,
                number,
                time_zone=pytz.timezone(DEFAULT_PLATFORM_TZ) if source == "api" else None,
            ),
            "buyer_nick": text(order.get("buyer_nick")),
            "receiver_name": text(order.get("receiver_name")),
            "phone": text(order.get("phone")),
            "province": text(order.get("province")),
            "city": text(order.get("city")),
            "district": text(order.get("district")),
            "address": text(order.get("address")),
            "payment_method": payment or False,
            "paid_amount": (
                round(self._to_number(order.get("paid_amount"), number, "paid_amount") * 100) - refunded_cents
            )
            / 100,
            "shipping_fee": self._to_number(order.get("shipping_fee"), number, "shipping_fee"),
            "buyer_note": text(order.get("buyer_note")),
            "line_ids": line_vals,
            # encrypted receivers: the platform's receiver id and ciphertexts
            **self._prepare_receiver_vals(order),
        }

    @api.model
    def _to_number(self, value, number, field_name, digits=2):
        if value in (None, "", False):
            return 0.0
        try:
            return float_round(float(Decimal(normalize.to_half_width(str(value)).replace(",", ""))), digits)
        except (InvalidOperation, ValueError) as err:
            raise ValidationError(
                self.env._(
                    "Order %(number)s: %(field)s %(value)r is not a number.",
                    number=number,
                    field=field_name,
                    value=value,
                )
            ) from err

    @api.model
    def _parse_order_time(self, value):
        """The order time of a file cell or of an API (ISO 8601 with an offset,
        as REST platforms give it, is kept aware)."""
        if isinstance(value, str) and "T" in value:
            with contextlib.suppress(ValueError):  # not ISO 8601: read as a file's cell
                return datetime.fromisoformat(value.strip())
        return tabular.to_datetime(value, None, "order_time")

    @api.model
    def _to_utc(self, value, channel, number, time_zone=None):
        """UTC of an order time; a time without zone is read in ``time_zone``
        (the adapters' China time) or else the channel's platform time zone."""
        if not value:
            return fields.Datetime.now()
        try:
            local = value if isinstance(value, datetime) else self._parse_order_time(value)
        except tabular.TableError as err:
            raise ValidationError(
                self.env._("Order %(number)s: order time %(value)r is not a date and time.", number=number, value=value)
            ) from err
        if local.tzinfo is None:
            local = (time_zone or self._platform_tz(channel)).localize(local)
        return local.astimezone(pytz.utc).replace(tzinfo=None)
