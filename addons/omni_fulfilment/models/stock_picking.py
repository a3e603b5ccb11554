# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_is_zero, float_round

from odoo.addons.omni_base.tools import guard, normalize
from odoo.addons.omni_platform.platforms import PlatformError
from odoo.addons.queue_job.exception import RetryableJobError

_logger = logging.getLogger(__name__)


class StockPicking(models.Model):
    _inherit = "stock.picking"

    omni_scan_required = fields.Boolean(related="omni_channel_id.require_scan_packing")
    omni_packing_complete = fields.Boolean(compute="_compute_omni_packing_complete", string="Packed")

    def _omni_preparation_started(self):
        """Items packed at the packing station count as preparation too."""
        return super()._omni_preparation_started() or any(m.omni_packed_qty > 0 for m in self.move_ids)

    @api.depends("move_ids.omni_packed_qty", "move_ids.product_uom_qty", "move_ids.state")
    def _compute_omni_packing_complete(self):
        for picking in self:
            moves = picking.move_ids.filtered(lambda m: m.state != "cancel")
            picking.omni_packing_complete = bool(moves) and all(
                float_compare(m.omni_packed_qty, m.product_uom_qty, precision_rounding=m.product_uom.rounding) >= 0
                for m in moves
            )

    def omni_scan(self, barcode, quantity=None):
        """Pack the product with this barcode (or internal reference): one
        unit, or ``quantity`` when given (a fraction sold through a bundle,
        e.g. 0.5 kg of rice). Refuses a barcode that is no product, a product
        that is not in this delivery and more than is left to pack. A unit
        scan of a product of which less than one unit is left packs nothing
        and asks for the quantity (``ask_quantity``: what is left). Returns
        {product, packed, ordered, complete, ask_quantity}."""
        self.ensure_one()
        if self.state in ("done", "cancel") or self.picking_type_code != "outgoing":
            raise UserError(self.env._("%(picking)s is not an open delivery.", picking=self.name))
        code = (barcode or "").strip()
        product = (
            self.env["product.product"].search(["|", ("barcode", "=", code), ("default_code", "=", code)], limit=1)
            if code
            else self.env["product.product"]
        )
        if not product:
            raise UserError(self.env._("Barcode %(barcode)s is not a product.", barcode=code or "''"))
        moves = self.move_ids.filtered(lambda m: m.product_id == product and m.state != "cancel")
        if not moves:
            raise UserError(
                self.env._(
                    "%(product)s is not in delivery %(picking)s: put it back.",
                    product=product.display_name,
                    picking=self.name,
                )
            )
        rounding = moves[0].product_uom.rounding
        ordered = sum(moves.mapped("product_uom_qty"))
        left = sum(max(m.product_uom_qty - m.omni_packed_qty, 0.0) for m in moves)
        too_many = self.env._(
            "%(product)s: %(ordered)s ordered and already packed: one more is too many.",
            product=product.display_name,
            ordered=format(ordered, "g"),
        )
        if quantity is None:
            if float_compare(left, 1.0, precision_rounding=rounding) < 0:
                if float_is_zero(left, precision_rounding=rounding):
                    raise UserError(too_many)
                return self._omni_scan_result(
                    product, moves, ask_quantity=float_round(left, precision_rounding=rounding)
                )
            quantity = 1.0
        if float_compare(quantity, 0.0, precision_rounding=rounding) <= 0:
            raise UserError(self.env._("Enter a quantity above zero for %(product)s.", product=product.display_name))
        self._omni_check_pack_quantity(quantity, product)
        if float_compare(quantity, left, precision_rounding=rounding) > 0:
            if float_is_zero(left, precision_rounding=rounding):
                raise UserError(too_many)
            raise UserError(
                self.env._(
                    "%(product)s: only %(left)s left to pack, not %(quantity)s.",
                    product=product.display_name,
                    left=format(float_round(left, precision_rounding=rounding), "g"),
                    quantity=format(quantity, "g"),
                )
            )
        for move in moves:
            part = min(quantity, max(move.product_uom_qty - move.omni_packed_qty, 0.0))
            if float_is_zero(part, precision_rounding=rounding):
                continue
            # the scan was checked above (open delivery, quantity left)
            guard.internal(move).omni_packed_qty = float_round(move.omni_packed_qty + part, precision_rounding=rounding)
            quantity -= part
        return self._omni_scan_result(product, moves)

    def _omni_scan_result(self, product, moves, ask_quantity=False):
        return {
            "product": product.display_name,
            "packed": sum(moves.mapped("omni_packed_qty")),
            "ordered": sum(moves.mapped("product_uom_qty")),
            "complete": self.omni_packing_complete,
            "ask_quantity": ask_quantity,
        }

    def _omni_check_pack_quantity(self, quantity, product):
        """A quantity beyond the company's limit is a typing or scanning
        mistake (a barcode read as a number), whoever enters it."""
        self.ensure_one()
        limit = self.company_id.omni_max_pack_quantity
        if limit and quantity > limit:
            typed = f"{quantity:.12g}"  # as typed: no e-notation
            raise UserError(
                self.env._(
                    "%(quantity)s is no plausible quantity of %(product)s for %(picking)s: at most %(limit)s "
                    "at once (Inventory settings).",
                    quantity=typed,
                    product=product.display_name,
                    picking=self.name,
                    limit=format(limit, "g"),
                )
            )

    def _omni_check_parcel_weight(self, weight):
        """A parcel weighs from 0 to the company's maximum: anything else is a
        typing or scanning mistake (a tracking label read as kilograms)."""
        self.ensure_one()
        limit = self.company_id.omni_max_parcel_weight
        if weight < 0 or (limit and weight > limit):
            typed = f"{weight:.12g}"  # as typed: 773012345678, not 7.73012e+11
            raise ValidationError(
                self.env._(
                    "%(weight)s kg is no plausible weight for %(picking)s: a parcel weighs from 0 to %(limit)s kg "
                    "(Inventory settings).",
                    weight=typed,
                    picking=self.name,
                    limit=format(limit, "g"),
                )
            )

    @api.constrains("omni_parcel_weight")
    def _check_omni_parcel_weight(self):
        for picking in self:
            picking._omni_check_parcel_weight(picking.omni_parcel_weight)

    def _omni_check_courier(self):
        """A channel's parcel is shipped with its courier, unless the channel
        ships without one (pick-up): a parcel without a courier is in no
        courier's reconciliation. Core deliveries (no channel) are not
        concerned."""
        # the channel's setting applies whoever validates: read as superuser,
        # a warehouse user has no rights on channels
        for picking in self.sudo():
            channel = picking.omni_channel_id
            if (
                channel
                and picking.picking_type_code == "outgoing"
                and not picking.carrier_id
                and not channel.ships_without_courier
            ):
                raise UserError(
                    self.env._(
                        "Choose the courier of %(picking)s before shipping it: the parcels of %(channel)s go "
                        "with a courier (a channel whose buyers pick up is set 'Ships without Courier').",
                        picking=picking.name,
                        channel=channel.display_name,
                    )
                )

    def button_validate(self):
        # the channel's rules apply whoever validates: read as superuser, a
        # warehouse user has no rights on channels
        for picking in self.sudo().filtered(lambda p: p.picking_type_code == "outgoing" and p.omni_channel_id):
            if picking.omni_channel_id.require_tracking and not (picking.carrier_id and picking.carrier_tracking_ref):
                raise UserError(
                    self.env._(
                        "Enter the courier and the tracking number of %(picking)s before validating it.",
                        picking=picking.name,
                    )
                )
        self._omni_check_courier()
        split_backorder = False
        for picking in self.filtered(lambda p: p.omni_scan_required and p.picking_type_code == "outgoing"):
            complete = picking.omni_packing_complete
            if not complete and not (
                self.env.context.get("omni_split_backorder")
                and self.env.user.has_group("omni_channel.group_omni_channel_manager")
            ):
                missing = [
                    f"{m.product_id.display_name} ({m.omni_packed_qty:g}/{m.product_uom_qty:g})"
                    for m in picking.move_ids
                    if float_compare(m.omni_packed_qty, m.product_uom_qty, precision_rounding=m.product_uom.rounding)
                    < 0
                ]
                raise UserError(
                    self.env._(
                        "%(picking)s is not fully packed: %(missing)s. Scan the rest, or a Channel Manager "
                        "ships what is packed and leaves the rest in a backorder.",
                        picking=picking.name,
                        missing=", ".join(missing),
                    )
                )
            # ship what was scanned; short of complete (manager only), the rest goes to a backorder
            for move in picking.move_ids.filtered(lambda m: m.state != "cancel"):
                move.quantity = move.omni_packed_qty
                move.picked = True
            split_backorder = split_backorder or not complete
        pickings = self.with_context(skip_backorder=True, picking_ids_not_to_backorder=[]) if split_backorder else self
        return super(StockPicking, pickings).button_validate()

    # the courier and the tracking number are Odoo's (stock_delivery), so
    # that Odoo's shipping connectors and anything else that fills them work
    # with packing, waybills, write-back and reconciliation; the two names
    # below are kept as aliases for integrators and scripts
    carrier_tracking_ref = fields.Char(index="btree_not_null")
    omni_courier_code = fields.Char(
        string="Courier Code",
        compute="_compute_omni_courier_code",
        inverse="_inverse_omni_courier_code",
        search="_search_omni_courier_code",
        help="Code of the delivery's courier (its Carrier), e.g. SF, ZTO, YTO, STO, YD, EMS, JD; "
        "setting it sets the carrier with that code.",
    )
    omni_tracking_no = fields.Char(
        related="carrier_tracking_ref", readonly=False, string="Tracking No.", help="The delivery's Tracking Reference."
    )

    @api.depends("carrier_id.omni_courier_code")
    def _compute_omni_courier_code(self):
        for picking in self:
            picking.omni_courier_code = picking.carrier_id.omni_courier_code or False

    def _inverse_omni_courier_code(self):
        Carrier = self.env["delivery.carrier"]
        for picking in self:
            code = picking.omni_courier_code
            picking.carrier_id = Carrier._omni_get_by_code(code, company=picking.company_id) if code else False

    def _search_omni_courier_code(self, operator, value):
        if isinstance(value, str):
            value = value.strip().upper()
        return [("carrier_id.omni_courier_code", operator, value)]

    omni_parcel_weight = fields.Float(string="Parcel Weight (kg)", digits="Stock Weight", copy=False)
    omni_unit_code = fields.Char(related="omni_channel_id.code", string="Unit Code")
    omni_ship_deadline = fields.Datetime(
        string="Ship Deadline",
        compute="_compute_omni_ship_deadline",
        store=True,
        index=True,
        help="Earliest ship deadline of the platform orders this delivery ships (order time plus the channel's "
        "promise, 48 h by default).",
    )
    omni_is_late = fields.Boolean(
        string="Late (promise)", compute="_compute_omni_is_late", search="_search_omni_is_late"
    )
    omni_parcel_length = fields.Float(string="Length (cm)", copy=False)
    omni_parcel_width = fields.Float(string="Width (cm)", copy=False)
    omni_parcel_height = fields.Float(string="Height (cm)", copy=False)
    omni_shipment_state = fields.Selection(
        [
            ("pending", "To Write Back"),
            ("sent", "Written Back"),
            ("to_export", "To Export"),
            ("exported", "Exported"),
            ("failed", "Write-back Failed"),
        ],
        string="Platform Shipping Info",
        copy=False,
        readonly=True,
        index=True,
    )
    omni_shipment_error = fields.Char(string="Write-back Error", copy=False, readonly=True)

    @api.depends("sale_id.omni_order_ids.ship_deadline")
    def _compute_omni_ship_deadline(self):
        for picking in self:
            # the platform orders' deadlines are read as superuser: a warehouse
            # user sees the deadline of the deliveries they read, no order
            deadlines = picking.sudo().sale_id.omni_order_ids.filtered("ship_deadline").mapped("ship_deadline")
            picking.omni_ship_deadline = min(deadlines) if deadlines else False

    @api.depends("omni_ship_deadline", "state")
    def _compute_omni_is_late(self):
        now = fields.Datetime.now()
        for picking in self:
            picking.omni_is_late = bool(
                picking.omni_ship_deadline
                and picking.omni_ship_deadline < now
                and picking.state not in ("done", "cancel")
            )

    def _search_omni_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Late (promise)."))
        domain = [
            ("omni_ship_deadline", "<", fields.Datetime.now()),
            ("state", "not in", ("done", "cancel")),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", "&", *domain]

    def _action_done(self):
        # also here, not only in button_validate: whatever ships a delivery
        self._omni_check_courier()
        result = super()._action_done()
        # Whoever validated the deliveries (Odoo checked their Inventory
        # rights), their shipping info goes to the platform: the channel
        # (adapter, credentials) is read and the write-back queued as superuser,
        # on exactly these deliveries; warehouse users need no channel group.
        shipped = self.sudo().filtered(
            lambda p: p.state == "done" and p.picking_type_code == "outgoing" and p.omni_channel_id
        )
        for picking in shipped:
            if not (picking.carrier_id and picking.carrier_tracking_ref):
                continue
            if picking.omni_channel_id.adapter_kind:
                picking._omni_enqueue_shipment()
            else:
                guard.internal(picking).omni_shipment_state = "to_export"
        return result

    def _omni_enqueue_shipment(self):
        """Queue the write-back of this delivery's shipping info (one job per delivery)."""
        self.ensure_one()
        guard.internal(self).omni_shipment_state = "pending"
        self.with_delay(
            identity_key=f"omni_shipment_{self.id}",
            description=self.env._("Write shipping info of %(picking)s back", picking=self.name),
        )._omni_push_shipment()

    def _omni_platform_order_numbers(self):
        self.ensure_one()
        # the delivery's platform order numbers are printed on its waybill and
        # written back to the platform: whoever prints or ships may read them
        return self.sudo().sale_id.omni_order_ids.mapped("platform_order_no")

    def _omni_push_shipment(self):
        """Job: write courier and tracking number back to the platform, for
        every platform order this delivery ships (merged orders too)."""
        self.ensure_one()
        if self.omni_shipment_state == "sent":
            return False
        try:
            # the job runs as the user who validated the delivery: the
            # channel's adapter and credentials are read as superuser
            with self.sudo().omni_channel_id._get_adapter() as adapter:
                for number in self._omni_platform_order_numbers():
                    adapter.push_shipment(
                        number, self.carrier_id._omni_platform_courier_code(self), self.carrier_tracking_ref
                    )
        except PlatformError as err:
            if err.retryable:
                raise RetryableJobError(str(err)) from err  # when: the job function's retry pattern
            guard.internal(self).write({"omni_shipment_state": "failed", "omni_shipment_error": str(err)[:500]})
            _logger.warning("Shipping write-back of %s refused: %s", self.name, err)
            return False
        guard.internal(self).write({"omni_shipment_state": "sent", "omni_shipment_error": False})
        return True

    def action_omni_retry_shipment(self):
        for picking in self.filtered(lambda p: p.omni_shipment_state == "failed"):
            picking._omni_enqueue_shipment()
        return True

    @api.model
    def _omni_export_rows(self, pickings):
        return [
            (number, picking.carrier_id._omni_platform_courier_code(picking), picking.carrier_tracking_ref)
            for picking in pickings
            for number in picking._omni_platform_order_numbers()
        ]

    def _omni_waybill_data(self):
        """What the courier waybill of this delivery prints from its platform
        orders: receiver, phone (masked, 137****7003, as platform waybills
        print it: the label travels through many hands), address, platform
        order numbers and the amount the courier collects (the paid amount of
        cash-on-delivery orders; merging never mixes prepaid and COD orders)."""
        self.ensure_one()
        # the packer printing a waybill is an Inventory user who may hold no
        # Sales Channels group: the report already checked that the user reads
        # this delivery, so its own platform orders are read as superuser,
        # these records only and these fields only
        orders = self.sudo().sale_id.omni_order_ids
        first = orders[:1]
        address = [first.province, first.city, first.district, first.address]
        partner = self.partner_id
        if not first:
            address = [partner.state_id.name, partner.city, partner.street, partner.street2]
        return {
            "receiver": first.receiver_name or partner.name or "",
            "phone": normalize.mask_phone(first.phone or partner.phone or partner.mobile),
            "address": " ".join(part for part in address if part),
            "order_numbers": ", ".join(orders.mapped("platform_order_no")),
            "unit_code": self.sudo().omni_channel_id.code or "",
            "cod_amount": sum(orders.filtered(lambda o: o.payment_method == "cod").mapped("paid_amount")),
        }

    def _omni_picking_list_rows(self):
        """What the warehouse picks for these deliveries in one walk: the
        unpicked quantities summed per location and product, in walking
        order (location, then product), each with the platform SKUs
        (bundles) the quantity comes from: 'TM-GIFT-BOX × 3' explains 1.5 kg."""
        totals = {}
        sources = {}
        for move in self.move_ids.filtered(lambda m: m.state not in ("done", "cancel", "draft")):
            lines = move.move_line_ids.filtered(lambda ml: not ml.picked)
            parts = (
                [(line.location_id, line.quantity_product_uom) for line in lines]
                if move.move_line_ids
                else [(move.location_id, move.product_qty)]
            )
            # the platform line behind the move: whoever prints the picking
            # list reads the deliveries; their own platform lines' SKU and
            # quantity are read as superuser (warehouse users hold no channel group)
            platform_line = move.sale_line_id.sudo().omni_order_line_id
            for location, quantity in parts:
                key = (location, move.product_id)
                totals[key] = totals.get(key, 0.0) + quantity
            if platform_line.platform_sku and parts:
                # the platform quantity counts once per move, beside its first location
                skus = sources.setdefault((parts[0][0], move.product_id), {})
                skus[platform_line.platform_sku] = skus.get(platform_line.platform_sku, 0.0) + platform_line.quantity
        rows = [
            {
                "location": location,
                "product": product,
                "quantity": quantity,
                "uom": product.uom_id,
                "sources": ", ".join(
                    f"{sku} × {qty:g}" for sku, qty in sorted(sources.get((location, product), {}).items())
                ),
            }
            for (location, product), quantity in totals.items()
            if quantity
        ]
        return sorted(
            rows, key=lambda r: (r["location"].complete_name or "", r["product"].default_code or "", r["product"].id)
        )

    def action_omni_open_packing(self):
        """The packing station, with this delivery open."""
        self.ensure_one()
        return {
            "type": "ir.actions.client",
            "tag": "omni_packing_station",
            "name": self.env._("Packing Station"),
            "params": {"picking_id": self.id},
        }
