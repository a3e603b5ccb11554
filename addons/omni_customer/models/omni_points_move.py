# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.omni_base.tools import guard

MANAGER_GROUP = "omni_customer.group_omni_member_manager"


class OmniPointsMove(models.Model):
    """One movement of a member's points. The balance of a member is the
    sum of its movements (a stored sum, refreshed by the ORM with every
    movement). Earned lots are spent and expire oldest first: ``remaining``
    is what is left of a lot. An order earns once and a return takes back
    once (unique indexes), whatever runs concurrently."""

    _name = "omni.points.move"
    _description = "Points Movement"
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one("res.partner", required=True, index=True, readonly=True, ondelete="restrict")
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    date = fields.Date(required=True, readonly=True, default=fields.Date.context_today, index=True)
    kind = fields.Selection(
        [
            ("earn", "Earned"),
            ("return", "Taken Back (Return)"),
            ("spend", "Spent"),
            ("expire", "Expired"),
            ("adjust", "Adjustment"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
    points = fields.Integer(required=True, readonly=True)
    remaining = fields.Integer(readonly=True, help="Points of this lot not yet spent, taken back or expired.")
    expiry_date = fields.Date(readonly=True, index=True)
    rate = fields.Float(readonly=True, digits=(12, 4), help="Points per currency unit of the rule applied.")
    omni_order_id = fields.Many2one("omni.order", string="Order", readonly=True, index=True, check_company=True)
    aftersale_id = fields.Many2one(
        "omni.aftersale", string="After-sales Order", readonly=True, index=True, check_company=True
    )
    note = fields.Char(readonly=True)

    def init(self):
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS omni_points_move_earn_once
                ON omni_points_move (omni_order_id) WHERE kind = 'earn';
            CREATE UNIQUE INDEX IF NOT EXISTS omni_points_move_return_once
                ON omni_points_move (aftersale_id) WHERE kind = 'return';
            """
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not guard.is_internal(self):
            raise UserError(self.env._("Points change through orders, returns and the member actions only."))
        return super().create(vals_list)

    def write(self, vals):
        if not guard.is_internal(self) or set(vals) - {"remaining"}:
            raise UserError(self.env._("A points movement cannot be edited."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A points movement cannot be deleted."))

    # --- helpers -------------------------------------------------------------
    @api.model
    def _lock_members(self, partners):
        """Serialise points changes of these members (spending, taking back,
        expiry) between concurrent transactions."""
        if partners:
            self.env.cr.execute(SQL("SELECT id FROM res_partner WHERE id = ANY(%s) FOR UPDATE", partners.ids))

    @api.model
    def _consume(self, partner, points):
        """Take ``points`` from the open lots of ``partner``, oldest expiry
        first; answers what could not be taken."""
        lots = self.search(
            [("partner_id", "=", partner.id), ("remaining", ">", 0)], order="expiry_date asc nulls last, id asc"
        )
        left = points
        for lot in lots:
            if left <= 0:
                break
            taken = min(lot.remaining, left)
            guard.internal(lot).write({"remaining": lot.remaining - taken})
            left -= taken
        return left

    # --- earning and taking back ---------------------------------------------
    @api.model
    def _earn_for_orders(self, orders):
        """Points of shipped ``orders`` for their members by the channel's
        rule; an order that earned already is skipped (safe to run twice)."""
        rules = {
            r.channel_id.id: r
            for r in self.env["omni.points.rule"].sudo().search([("channel_id", "in", orders.channel_id.ids)])
        }
        done = set(self.sudo().search([("omni_order_id", "in", orders.ids), ("kind", "=", "earn")]).omni_order_id.ids)
        vals_list = []
        for order in orders:
            rule = rules.get(order.channel_id.id)
            member = order._omni_customer()
            if not rule or not member.omni_is_member or order.id in done:
                continue
            points = math.floor(order.amount_lines * rule.points_per_yuan + 1e-9)
            if points <= 0:
                continue
            today = fields.Date.context_today(self)
            vals_list.append(
                {
                    "partner_id": member.id,
                    "company_id": order.company_id.id,
                    "kind": "earn",
                    "points": points,
                    "remaining": points,
                    "rate": rule.points_per_yuan,
                    "expiry_date": rule.validity_months and today + relativedelta(months=rule.validity_months),
                    "omni_order_id": order.id,
                    "note": order.display_name,
                }
            )
        if not vals_list:
            return self.browse()
        # the system awards the points of an order whoever ships it; each order once (unique index)
        with self.env.cr.savepoint():
            return guard.internal(self.sudo()).create(vals_list)

    @api.model
    def _take_back_for_returns(self, aftersales):
        """Received returns take back the points their order earned, in
        proportion to the refund (never more than the order earned)."""
        moves = self.browse()
        Move = guard.internal(self.sudo())  # the system follows the return whoever receives it
        earns = Move.search([("omni_order_id", "in", aftersales.omni_order_id.ids), ("kind", "=", "earn")])
        earn_by_order = {m.omni_order_id.id: m for m in earns}
        done = set(Move.search([("aftersale_id", "in", aftersales.ids), ("kind", "=", "return")]).aftersale_id.ids)
        self._lock_members(earns.partner_id)
        for aftersale in aftersales:
            earn = earn_by_order.get(aftersale.omni_order_id.id)
            if not earn or aftersale.id in done:
                continue
            taken = -sum(
                Move.search([("omni_order_id", "=", earn.omni_order_id.id), ("kind", "=", "return")]).mapped("points")
            )
            points = min(math.floor(aftersale.refund_amount * earn.rate + 1e-9), earn.points - taken)
            if points <= 0:
                continue
            # from the order's own lot first, then the oldest others
            own = min(earn.remaining, points)
            guard.internal(earn).write({"remaining": earn.remaining - own})
            if points - own:
                Move._consume(earn.partner_id, points - own)
            moves |= Move.create(
                {
                    "partner_id": earn.partner_id.id,
                    "company_id": earn.company_id.id,
                    "kind": "return",
                    "points": -points,
                    "omni_order_id": earn.omni_order_id.id,
                    "aftersale_id": aftersale.id,
                    "note": aftersale.name,
                }
            )
        return moves

    @api.model
    def _cron_expire(self):
        """Lots past their expiry date lose what is left of them."""
        today = fields.Date.context_today(self)
        Move = guard.internal(self.sudo())
        lots = Move.search([("remaining", ">", 0), ("expiry_date", "<", today)], limit=10000)
        self._lock_members(lots.partner_id)
        vals_list = []
        for lot in lots:
            vals_list.append(
                {
                    "partner_id": lot.partner_id.id,
                    "company_id": lot.company_id.id,
                    "kind": "expire",
                    "points": -lot.remaining,
                    "note": self.env._("Lot of %(date)s", date=fields.Date.to_string(lot.date)),
                }
            )
            lot.write({"remaining": 0})
        return Move.create(vals_list)

    # --- member actions ------------------------------------------------------
    @api.model
    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only Member Managers adjust points."))

    @api.model
    def _spend(self, partner, points, note=False):
        """Spend ``points`` of ``partner`` (oldest lots first); refused when
        the balance is short."""
        if points <= 0:
            raise UserError(self.env._("Points to spend must be a positive number."))
        partner.check_access("write")
        self._lock_members(partner)
        partner.invalidate_recordset(["omni_points"])
        if partner.omni_points < points:
            raise UserError(
                self.env._(
                    "%(member)s has %(balance)s points: %(points)s cannot be spent.",
                    member=partner.display_name,
                    balance=partner.omni_points,
                    points=points,
                )
            )
        Move = guard.internal(self.sudo())  # rights checked above
        Move._consume(partner, points)
        return Move.create(
            {
                "partner_id": partner.id,
                "company_id": (partner.company_id or self.env.company).id,
                "kind": "spend",
                "points": -points,
                "note": note,
            }
        )
