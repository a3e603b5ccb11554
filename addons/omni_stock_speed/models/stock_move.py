# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import models
from odoo.tools import float_compare
from odoo.tools.misc import clean_context

from .procurement_group import RULE_MEMO
from .speed_switch import speed_ups_on


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_confirm(self, merge=True, merge_into=False):
        """Shadows, for the new deliveries of channel sale orders,
        ``stock.move._assign_picking`` of Odoo 18.0
        (addons/stock/models/stock_move.py, called by ``_action_confirm``):
        see ``_omni_create_pickings``."""
        batched = self._omni_create_pickings() if speed_ups_on(self.env) else self.browse()
        if merge and not merge_into and batched and batched == self.filtered(lambda m: m.state == "draft"):
            # every move went to a delivery just made for its own procurement
            # group, one move per sale line: Odoo's merge (moves of one picking
            # with the same sale line, product, price...) has nothing to merge
            merge = False
        return super()._action_confirm(merge=merge, merge_into=merge_into)

    def _omni_create_pickings(self):
        """Create the new deliveries of channel sale orders in one batch.

        Odoo assigns confirmed moves to pickings one procurement group at a
        time: a search for a picking to join, then one picking created and
        its moves written, i.e. one picking ``create`` per sale order, the
        dearest step of a confirmation wave. Moves of channel sale orders
        whose procurement group has no picking yet (a sale order being
        confirmed) get their pickings here, all created by one call, grouped
        by the keys and with the values Odoo's ``_assign_picking`` uses; Odoo's
        ``_action_confirm`` then finds them assigned. Every other move (a
        group that has a picking already, a negative quantity, a move of
        another sale) is left to Odoo. Returns the moves given a picking."""
        moves = self.filtered(
            lambda m: m.state == "draft"
            and m.group_id
            and m.sale_line_id.order_id.omni_channel_id
            and m._should_be_assigned()
            and float_compare(m.product_uom_qty, 0.0, precision_rounding=m.product_uom.rounding) >= 0
        )
        if not moves:
            return moves
        # a group that has any picking, whoever may see it, is left to Odoo's
        # own assignment (sudo: only the ids of these moves' groups are read)
        taken = set(self.env["stock.picking"].sudo().search([("group_id", "in", moves.group_id.ids)]).group_id.ids)
        groups = defaultdict(list)
        for move in moves:
            if move.group_id.id not in taken:
                groups[move.location_id.id, move.location_dest_id.id, move._key_assign_picking()].append(move.id)
        if not groups:
            return self.browse()
        group_moves = [self.browse(ids) for ids in groups.values()]
        # the context without its default_* keys, replaced as Odoo's _action_confirm does (kwargs would merge)
        Picking = self.env["stock.picking"].with_context(clean_context(self.env.context))  # pylint: disable=context-overridden
        pickings = Picking.create([group._get_new_picking_values() for group in group_moves])
        for picking, group in zip(pickings, group_moves, strict=True):
            group.write({"picking_id": picking.id})
            group._assign_picking_post_process(new=True)
        return self.browse([move_id for ids in groups.values() for move_id in ids])

    def _omni_assign_in_batch(self):
        """A part of a wave's reservation (omni_order's
        stock_reservation.py): ``stock.move._action_assign`` of Odoo 18.0
        with the quants, precisions and sale figures as
        ``stock.picking._omni_assign_in_batch`` reads them (stock_picking.py)."""
        moves = self.filtered(lambda m: m.state not in ("draft", "cancel", "done"))
        if not moves or not speed_ups_on(self.env):
            return super()._omni_assign_in_batch()
        with self.picking_id._omni_fast_reservation(moves) as env:
            return super(StockMove, self.with_env(env).with_context(preserve_state=True))._omni_assign_in_batch()

    def _trigger_scheduler(self):
        """Shadows ``stock.move._trigger_scheduler`` of Odoo 18.0
        (addons/stock/models/stock_move.py): Odoo searches an automatic
        reordering rule once per move; only the moves of products that have
        one at all need that search (one query for all of them finds
        which)."""
        if (
            not self
            or self.env["ir.config_parameter"].sudo().get_param("stock.no_auto_scheduler")
            or not speed_ups_on(self.env)
        ):
            return super()._trigger_scheduler()
        # within a confirmation wave (rules_found_once), known products are not asked again
        memo = self.env.cr.cache.get(RULE_MEMO)
        key = ("auto_orderpoint", self.env.uid, self.env.su, tuple(self.env.companies.ids))
        known = memo.setdefault(key, {}) if memo is not None else {}
        missing = set(self.product_id.ids) - set(known)
        if missing:
            found = {
                product.id
                for [product] in self.env["stock.warehouse.orderpoint"]._read_group(
                    [("product_id", "in", list(missing)), ("trigger", "=", "auto")], ["product_id"]
                )
            }
            known.update({product_id: product_id in found for product_id in missing})
        return super(StockMove, self.filtered(lambda m: known[m.product_id.id]))._trigger_scheduler()
