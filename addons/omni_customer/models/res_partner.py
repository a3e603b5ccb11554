# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import calendar
from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.omni_base.tools import guard, normalize

from ..tools import phone

PHONE_FIELDS = ("phone", "mobile")
LAST_PRODUCTS = 5
LOOKUP_LIMIT = 50
# what a screen pop shows of the customers it finds
POP_READ_FIELDS = ["name", "complete_name", "commercial_partner_id", "active"]
CARD_READ_FIELDS = [
    "name",
    "complete_name",
    "commercial_partner_id",
    "active",
    "is_company",
    "type",
    "omni_total_spend",
    "omni_order_count",
    "omni_open_order_count",
    "omni_open_aftersale_count",
    "omni_last_order_date",
    "omni_last_products",
    "omni_member_level_id",
    "omni_points",
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    omni_number_ids = fields.One2many("omni.customer.number", "partner_id", string="Lookup Numbers")
    # --- card figures: stored, refreshed when an order of the customer is
    # confirmed, ships or comes back (never recomputed per call)
    omni_currency_id = fields.Many2one("res.currency", compute="_compute_omni_currency_id")
    omni_total_spend = fields.Monetary(
        string="Total Spend",
        currency_field="omni_currency_id",
        readonly=True,
        copy=False,
        help="Shipped orders less received returns' refunds, all channels.",
    )
    omni_order_count = fields.Integer(string="Orders", readonly=True, copy=False)
    omni_open_order_count = fields.Integer(string="Open Orders", readonly=True, copy=False)
    omni_open_aftersale_count = fields.Integer(string="Open After-sales", readonly=True, copy=False)
    omni_last_order_date = fields.Datetime(string="Last Order", readonly=True, copy=False)
    omni_last_products = fields.Char(string="Last Products Bought", readonly=True, copy=False)
    omni_card_refreshed_at = fields.Datetime(string="Card Refreshed At", readonly=True, copy=False)
    # --- members
    omni_is_member = fields.Boolean(string="Member", copy=False, help="Members earn points on shipped orders.")
    omni_birthday = fields.Date(string="Birthday", copy=False)
    omni_points_move_ids = fields.One2many("omni.points.move", "partner_id", string="Points Movements")
    omni_points = fields.Integer(
        string="Points", compute="_compute_omni_points", store=True, help="Sum of the points movements."
    )
    omni_points_earned = fields.Integer(string="Points Earned", compute="_compute_omni_points", store=True)
    omni_member_level_id = fields.Many2one(
        "omni.member.level", string="Member Level", compute="_compute_omni_member_level_id", store=True
    )

    @api.depends("company_id")
    def _compute_omni_currency_id(self):
        for partner in self:
            partner.omni_currency_id = partner.company_id.currency_id or self.env.company.currency_id

    @api.depends("omni_points_move_ids.points")
    def _compute_omni_points(self):
        rows = (
            self.env["omni.points.move"]
            .sudo()
            ._read_group([("partner_id", "in", self.ids)], ["partner_id", "kind"], ["points:sum"])
        )
        balance, earned = {}, {}
        for partner, kind, points in rows:
            balance[partner.id] = balance.get(partner.id, 0) + points
            if kind == "earn":
                earned[partner.id] = points
        for partner in self:
            partner.omni_points = balance.get(partner.id, 0)
            partner.omni_points_earned = earned.get(partner.id, 0)

    @api.depends("omni_points_earned", "omni_is_member", "company_id")
    def _compute_omni_member_level_id(self):
        companies = self.company_id | self.env.company
        levels = (
            self.env["omni.member.level"].sudo().search([("company_id", "in", companies.ids)], order="min_points desc")
        )
        for partner in self:
            company = partner.company_id or self.env.company
            partner.omni_member_level_id = partner.omni_is_member and next(
                (lv for lv in levels if lv.company_id == company and lv.min_points <= partner.omni_points_earned),
                False,
            )

    def omni_spend_points(self, points, note=False):
        """XML-RPC: spend ``points`` of this member (oldest lots first)."""
        self.ensure_one()
        return self.env["omni.points.move"]._spend(self, int(points), note=note).id

    # --- lookup numbers ------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners._omni_sync_numbers()
        return partners

    def write(self, vals):
        result = super().write(vals)
        if any(f in vals for f in (*PHONE_FIELDS, "company_id")):
            self._omni_sync_numbers()
        return result

    def _omni_sync_numbers(self):
        """The contact's own phone and mobile in the lookup table (rows of
        source 'contact'); rows from orders and agents are kept."""
        Number = self.env["omni.customer.number"].sudo()  # the table follows the contact whoever edits it
        rows = Number.search([("partner_id", "in", self.ids), ("source", "=", "partner")])
        by_partner = rows.grouped("partner_id")
        create, drop = [], Number
        for partner in self:
            wanted = {}
            for field in PHONE_FIELDS:
                number = phone.try_parse(partner[field])
                if number:
                    wanted.setdefault(number.key, partner[field])
            existing = by_partner.get(partner, Number)
            drop |= existing.filtered(lambda r, w=wanted, p=partner: r.key not in w or r.company_id != p.company_id)
            kept = {r.key for r in existing if r.key in wanted and r.company_id == partner.company_id}
            for key, raw in wanted.items():
                if key not in kept:
                    create.append({"partner_id": partner.id, "raw": raw, "source": "partner"})
        drop.unlink()
        if create:
            # a number an agent or an order already gave this customer stays as it is
            taken = {
                (r.partner_id.id, r.key)
                for r in Number.search([("partner_id", "in", self.ids), ("source", "!=", "partner")])
            }
            create = [v for v in create if (v["partner_id"], phone.parse(v["raw"]).key) not in taken]
            Number._create_missing(create)

    def _omni_add_lookup(self, numbers=(), nicknames=(), source="order"):
        """Make this customer reachable under more ``numbers`` and buyer
        ``nicknames``; what it has already or what is no number is skipped."""
        self.ensure_one()
        Number = self.env["omni.customer.number"].sudo()  # called by the order pipeline for its own customer
        have = set(Number.search([("partner_id", "=", self.id)]).mapped("key"))
        vals_list = []
        for raw, kind in [(n, None) for n in numbers] + [(n, "nickname") for n in nicknames]:
            vals = Number._prepare_vals(self, raw, source, kind=kind)
            if vals and vals["key"] not in have:
                have.add(vals["key"])
                vals_list.append({"partner_id": self.id, "raw": raw, "source": source, "kind": kind})
        if vals_list:
            Number._create_missing(vals_list)

    @api.model
    def _omni_get_buyers(self, orders):
        """Orders whose customer the agent chose go to that customer."""
        chosen = orders.filtered("customer_id")
        result = super()._omni_get_buyers(orders - chosen)
        for order in chosen:
            result[order.receiver_key] = order.customer_id
        return result

    @api.model
    def _omni_add_lookup_for_orders(self, orders):
        """The phones and buyer nicknames of confirmed ``orders`` reach
        their customers (one search and one insert for the batch)."""
        Number = self.env["omni.customer.number"].sudo()  # the pipeline files its customers' numbers
        wanted = {}
        for order in orders.filtered("sale_order_id"):
            partner = order.sale_order_id.partner_id.commercial_partner_id
            for raw, kind in (
                # a phone the platform masked is nobody's number
                (not order.receiver_encrypted and order.phone, None),
                (order.buyer_nick and f"{order.channel_id.platform}:{order.buyer_nick}", "nickname"),
            ):
                vals = raw and Number._prepare_vals(partner, raw, "order", kind=kind)
                if vals:
                    wanted.setdefault(
                        (partner.id, vals["key"]),
                        {"partner_id": partner.id, "raw": raw, "source": "order", "kind": kind},
                    )
        if not wanted:
            return
        have = {
            (r.partner_id.id, r.key)
            for r in Number.search(
                [("partner_id", "in", list({k[0] for k in wanted})), ("key", "in", list({k[1] for k in wanted}))]
            )
        }
        Number._create_missing([v for k, v in wanted.items() if k not in have])

    @api.model
    def omni_lookup_caller(self, raw_number):
        """XML-RPC, caller search: who is calling from ``raw_number``?

        Returns {status, number, kind, customers: [{id, name, ...card}]}
        with status 'found' (one customer), 'ambiguous' (several share the
        number: the agent chooses), 'unknown' (offer to create), 'unmatched'
        (a masked or virtual number that matches nobody) or 'malformed'."""
        found = self._omni_find_callers(raw_number, CARD_READ_FIELDS)
        return dict(found, customers=found["customers"]._omni_card_values())

    @api.model
    def _omni_find_callers(self, raw_number, field_names):
        """What :meth:`omni_lookup_caller` answers, the customers as records:
        the contacts holding the number are read with ``field_names`` (the
        screen pop needs their names only, the card every figure); a
        contact person's company, the customer then, is read when used."""
        try:
            number = phone.parse(raw_number)
        except phone.MalformedNumber:
            return {"status": "malformed", "number": raw_number or "", "kind": False, "customers": self.browse()}
        # one query: the customers (record rules applied) whose lookup rows (theirs too) hold the number
        field = "omni_number_ids.mask_key" if number.kind == "masked" else "omni_number_ids.key"
        # the contacts' multi-company rule ('company_id', 'parent_of', company_ids) reads the companies'
        # parent_path, which never changes: from the per-process cache, not a query per call
        self.env.companies._omni_cache_parent_paths()
        found = self.with_context(active_test=True).search_fetch(
            [(field, "=", number.key)], field_names, limit=LOOKUP_LIMIT
        )
        customers = found.commercial_partner_id.filtered("active")
        if len(customers) == 1:
            status = "found"
        elif customers:
            status = "ambiguous"
        else:
            status = "unmatched" if number.kind in ("masked", "virtual") else "unknown"
        return {"status": status, "number": number.key, "kind": number.kind, "customers": customers}

    def _omni_card_values(self):
        return [
            {
                "id": partner.id,
                "name": partner.complete_name or partner.name,
                "total_spend": partner.omni_total_spend,
                "order_count": partner.omni_order_count,
                "open_order_count": partner.omni_open_order_count,
                "open_aftersale_count": partner.omni_open_aftersale_count,
                "last_order_date": fields.Datetime.to_string(partner.omni_last_order_date),
                "last_products": partner.omni_last_products or "",
                # sudo: the level's name of a customer the user reads
                "member_level": partner.omni_member_level_id.sudo().name or "",
                "points": partner.omni_points,
            }
            for partner in self
        ]

    # --- addresses -------------------------------------------------------------------
    @api.model
    @tools.ormcache()
    def _omni_cn_state_ids(self):
        """{name: id} of the states of China (base's names: 江苏省, 广西壮族自治区...);
        read once per process, not once per new buyer of an intake wave."""
        states = self.env["res.country.state"].sudo().search([("country_id.code", "=", "CN")])
        return {state.name: state.id for state in states}

    @api.model
    def _omni_split_province(self, province, district, street):
        """``(state, district, street)`` of a Chinese address whose province
        may be missing or written into the district or the street (imported
        addresses: 详细地址 "江苏省 鼓楼区", 省/州 empty): the state the
        province names, else the one the district or else the street starts
        with, its name taken off that part. No state (and the parts as they
        are) when none is named, or when a province is given that is not a
        state of China: nothing is dropped."""
        name = normalize.province_name(province)
        if not name and not normalize.normalize_text(province):
            name, rest = normalize.split_province(district)
            if name:
                district = rest
            else:
                name, rest = normalize.split_province(street)
                street = rest if name else street
        state_id = self._omni_cn_state_ids().get(name) if name else False
        if not state_id:
            return self.env["res.country.state"], district, street
        return self.env["res.country.state"].browse(state_id), district, street

    # --- card figures -----------------------------------------------------------
    def _omni_refresh_card(self):
        """Recompute the stored card figures of these customers (their
        commercial partners) from their sale orders and returns: three
        indexed queries per batch, whatever the number of orders."""
        customers = self.commercial_partner_id
        if not customers:
            return
        self.env.flush_all()
        ids = customers.ids
        family = SQL(
            "SELECT p.id, p.commercial_partner_id AS cp, c.company_id FROM res_partner p "
            "JOIN res_partner c ON c.id = p.commercial_partner_id WHERE p.commercial_partner_id = ANY(%s)",
            ids,
        )
        # a customer of one company shows that company's orders only
        self.env.cr.execute(
            SQL(
                """
                WITH fam AS (%(family)s)
                SELECT fam.cp, count(*),
                       COALESCE(sum(so.amount_total) FILTER (WHERE so.delivery_status = 'full'), 0),
                       count(*) FILTER (WHERE so.delivery_status IS DISTINCT FROM 'full'),
                       max(so.date_order)
                  FROM sale_order so JOIN fam ON fam.id = so.partner_id
                 WHERE so.state = 'sale' AND (fam.company_id IS NULL OR so.company_id = fam.company_id)
                 GROUP BY fam.cp
                """,
                family=family,
            )
        )
        orders = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        self.env.cr.execute(
            SQL(
                """
                WITH fam AS (%(family)s)
                SELECT fam.cp,
                       COALESCE(sum(a.refund_amount) FILTER (WHERE a.state = 'received'), 0),
                       count(*) FILTER (WHERE a.state IN ('draft', 'to_review', 'approved'))
                  FROM omni_aftersale a
                  JOIN omni_order o ON o.id = a.omni_order_id
                  JOIN sale_order so ON so.id = o.sale_order_id
                  JOIN fam ON fam.id = so.partner_id
                 WHERE fam.company_id IS NULL OR a.company_id = fam.company_id
                 GROUP BY fam.cp
                """,
                family=family,
            )
        )
        returns = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        self.env.cr.execute(
            SQL(
                """
                WITH fam AS (%(family)s)
                SELECT fam.cp, sol.product_id, max(so.date_order) AS last
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                  JOIN fam ON fam.id = so.partner_id
                  JOIN product_product pp ON pp.id = sol.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE so.state = 'sale' AND sol.is_delivery IS NOT TRUE
                   -- goods only: a shipping fee, a service or a fee line is no product bought
                   AND pt.type != 'service'
                   AND (fam.company_id IS NULL OR so.company_id = fam.company_id)
                 GROUP BY fam.cp, sol.product_id
                 ORDER BY fam.cp, last DESC, sol.product_id
                """,
                family=family,
            )
        )
        products = {}
        for cp, product_id, _last in self.env.cr.fetchall():
            if len(products.setdefault(cp, [])) < LAST_PRODUCTS:
                products[cp].append(product_id)
        names = {
            p.id: p.display_name
            for p in self.env["product.product"]
            .sudo()
            .with_context(active_test=False)
            .browse([pid for pids in products.values() for pid in pids])
        }
        now = fields.Datetime.now()
        # sudo: figures of the customers the caller already holds; a card is refreshed by whoever's order
        # ships (a warehouse user), who may not edit contacts
        for customer in guard.internal(customers.sudo()):
            count, spend, open_count, last = orders.get(customer.id, (0, 0.0, 0, False))
            refunded, open_aftersales = returns.get(customer.id, (0.0, 0))
            customer.write(
                {
                    "omni_order_count": count,
                    "omni_total_spend": spend - refunded,
                    "omni_open_order_count": open_count,
                    "omni_open_aftersale_count": open_aftersales,
                    "omni_last_order_date": last,
                    "omni_last_products": ", ".join(names[p] for p in products.get(customer.id, [])) or False,
                    "omni_card_refreshed_at": now,
                }
            )

    # --- actions --------------------------------------------------------------------
    def action_omni_open_card(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("omni_customer.action_omni_customer_card")
        action.update(
            res_id=self.commercial_partner_id.id,
            views=[(self.env.ref("omni_customer.view_partner_omni_card").id, "form")],
        )
        return action

    def action_omni_refresh_card(self):
        self._omni_refresh_card()
        return True

    def action_omni_phone_order(self):
        self.ensure_one()
        company = self.env.company
        if not self.env["omni.channel"].search_count(
            [("platform", "=", "call_center"), ("company_id", "=", company.id)], limit=1
        ):
            raise UserError(
                self.env._(
                    "Company %(company)s has no active call-centre channel: a Channel Manager creates one "
                    "(Sales Channels, platform Call centre) with its relation table before phone orders are taken.",
                    company=company.name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Phone Order"),
            "res_model": "omni.phone.order.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    # --- member follow-ups ----------------------------------------------------
    @api.model
    def _cron_omni_member_followups(self):
        """Activities for the agents: members whose birthday is today, and
        members with points expiring in the next 30 days. A member with such
        an activity still open gets no second one (safe to run twice)."""
        today = fields.Date.context_today(self)
        days = [today.day]
        if today.month == 2 and today.day == 28 and not calendar.isleap(today.year):
            days.append(29)  # born on 29 February: wished on the 28th
        self.flush_model(["omni_birthday", "omni_is_member", "active"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE omni_is_member AND active AND omni_birthday IS NOT NULL"
                " AND extract(month FROM omni_birthday) = %s AND extract(day FROM omni_birthday) = ANY(%s)",
                today.month,
                days,
            )
        )
        birthdays = self.browse([row[0] for row in self.env.cr.fetchall()])
        birthdays._omni_schedule_followup("omni_customer.activity_type_birthday", today)
        lots = (
            self.env["omni.points.move"]
            .sudo()
            ._read_group(
                [
                    ("remaining", ">", 0),
                    ("expiry_date", ">=", today),
                    ("expiry_date", "<=", today + timedelta(days=30)),
                ],
                ["partner_id"],
                ["remaining:sum", "expiry_date:min"],
            )
        )
        for partner, points, expiry in lots:
            partner._omni_schedule_followup(
                "omni_customer.activity_type_points",
                today,
                note=self.env._(
                    "%(points)s points expire from %(date)s.", points=points, date=fields.Date.to_string(expiry)
                ),  # fmt: skip
            )

    def _omni_schedule_followup(self, activity_xmlid, today, note=False):
        activity_type = self.env.ref(activity_xmlid)
        open_activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )
        busy = set(open_activities.mapped("res_id"))
        for partner in self.sudo():  # the cron plans follow-ups for the agents
            if partner.id in busy:
                continue
            company = partner.company_id or self.env.company
            user = partner.user_id or company.omni_followup_user_id
            if not user:
                continue
            partner.activity_schedule(activity_xmlid, date_deadline=today, user_id=user.id, note=note)
