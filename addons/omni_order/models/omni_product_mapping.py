# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from odoo.addons.omni_base.tools import tabular

from ..tools.order_states import OPEN_STATES

_logger = logging.getLogger(__name__)

# what 'Allow 4 Decimals' sets: the relation table's own 4 decimals
REMEDY_ROUNDING = 0.0001
REMEDY_DIGITS = 4

MAPPING_ALIASES = {
    "channel_code": ["平台单位编码", "单位编码", "unit code", "channel code", "channel"],
    "platform_sku": ["平台商家编码", "商家编码", "平台SKU", "platform sku", "sku"],
    "default_code": ["内部编码", "商品编码", "internal code", "internal reference", "default code"],
    "quantity": ["数量", "quantity", "qty"],
}


class OmniProductMapping(models.Model):
    """Product relation table (商品关系表): which of our products, in which
    quantity, one platform SKU of a channel stands for. Several rows with the
    same platform SKU make a bundle."""

    _name = "omni.product.mapping"
    _description = "Product Relation (Platform SKU to Product)"
    _order = "channel_id, platform_sku, id"
    _check_company_auto = True

    channel_id = fields.Many2one("omni.channel", required=True, index=True, ondelete="cascade", check_company=True)
    company_id = fields.Many2one(related="channel_id.company_id", store=True, index=True)
    platform_sku = fields.Char(string="Platform SKU", required=True, index=True)
    product_id = fields.Many2one(
        "product.product",
        required=True,
        index=True,
        check_company=True,
        domain="[('type', '=', 'consu')]",
        ondelete="restrict",
    )
    quantity = fields.Float(
        digits=(16, 4),
        required=True,
        default=1.0,
        help="Quantity of the product in one unit of the platform SKU (4 decimals, e.g. 0.2500 kg).",
    )
    uom_id = fields.Many2one(related="product_id.uom_id")
    uom_warning = fields.Text(
        string="Unit Warning",
        compute="_compute_uom_warning",
        help="The quantity has more decimals than the product's unit and Odoo's 'Product Unit of Measure' "
        "precision keep: orders of this SKU would wait in the exception queue.",
    )
    is_bundle = fields.Boolean(compute="_compute_is_bundle", help="The platform SKU maps to several products.")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "sku_product_uniq",
            "unique(channel_id, platform_sku, product_id)",
            "A platform SKU lists each product once per channel.",
        ),
        ("quantity_positive", "CHECK(quantity > 0)", "The quantity of a product relation must be positive."),
    ]

    @api.depends("quantity", "product_id.uom_id.rounding")
    def _compute_uom_warning(self):
        Order = self.env["omni.order"]
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        for mapping in self:
            uom = mapping.product_id.uom_id
            if not uom or not mapping.quantity or Order._fits_uom(mapping.quantity, uom):
                mapping.uom_warning = False
                continue
            quantity = f"{mapping.quantity:.4f}"  # formatted outside the call: the string extractor skips f-strings
            rounding = f"{uom.rounding:g}"
            mapping.uom_warning = self.env._(
                "Platform SKU %(sku)s: %(quantity)s %(uom)s of %(product)s cannot be kept in stock: unit %(uom)s "
                "rounds to %(rounding)s and Odoo's 'Product Unit of Measure' precision has %(digits)s decimals, so "
                "orders of this SKU wait in the exception queue. Give the product a finer unit (e.g. g instead of "
                "kg), or let a Channel Manager press 'Allow 4 Decimals' (unit %(uom)s rounds to 0.0001 and every "
                "product quantity gets 4 decimals).",
                sku=mapping.platform_sku,
                quantity=quantity,
                uom=uom.name,
                product=mapping.product_id.display_name,
                rounding=rounding,
                digits=digits,
            )

    def action_allow_4_decimals(self):
        """The remedy of the unit warning: the units of these rows round to
        0.0001 and the 'Product Unit of Measure' precision gets 4 decimals,
        so that stock keeps the relation table's quantities; then the
        waiting orders of these SKUs are checked again. Consequences, said
        on the button: every quantity in these units is rounded to 4 places
        from then on, and Odoo shows every product quantity with 4
        decimals."""
        if not self.env.user.has_group("omni_channel.group_omni_channel_manager"):
            raise UserError(self.env._("Only a Channel Manager changes the rounding of units of measure."))
        units = self.product_id.uom_id.filtered(lambda u: float_compare(u.rounding, REMEDY_ROUNDING, 6) > 0)
        # rights checked above; units and the precision are Inventory settings, changed here for exactly
        # the units of these rows and the one precision stock quantities use
        units.sudo().write({"rounding": REMEDY_ROUNDING})
        precision = self.env.ref("product.decimal_product_uom").sudo()
        if precision.digits < REMEDY_DIGITS:
            precision.write({"digits": REMEDY_DIGITS})
        _logger.info(
            "Units %s round to %s, product quantities have %s decimals (relation table, user %s)",
            units.mapped("name"),
            REMEDY_ROUNDING,
            REMEDY_DIGITS,
            self.env.uid,
        )
        self._omni_reallocate()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": self.env._(
                    "Units %(units)s now round to 0.0001 and product quantities have 4 decimals; waiting orders of "
                    "these platform SKUs were checked again.",
                    units=", ".join(units.mapped("name")) or "-",
                ),
                "type": "success",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # --- what open orders allocate follows the relation table -------------------
    @api.model_create_multi
    def create(self, vals_list):
        mappings = super().create(vals_list)
        mappings._omni_reallocate()
        return mappings

    def write(self, vals):
        before = [(m.channel_id.id, m.platform_sku) for m in self]
        result = super().write(vals)
        if set(vals) & {"channel_id", "platform_sku", "product_id", "quantity", "active"}:
            self._omni_reallocate(before)
        return result

    def unlink(self):
        before = [(m.channel_id.id, m.platform_sku) for m in self]
        result = super().unlink()
        self._omni_reallocate(before)
        return result

    def _omni_reallocate(self, pairs=()):
        """Open orders of these channels and SKUs are checked again and
        allocate what the relation table now makes of them (one search, one
        set-based step)."""
        pairs = set(pairs) | {(m.channel_id.id, m.platform_sku) for m in self.exists()}
        if not pairs:
            return
        # the allocation follows the table whoever edits it: the orders are only recomputed
        lines = (
            self.env["omni.order.line"]
            .sudo()
            .search(
                [
                    ("order_id.channel_id", "in", list({c for c, _s in pairs})),
                    ("platform_sku", "in", list({s for _c, s in pairs})),
                    ("order_id.state", "in", OPEN_STATES),
                ]
            )
        )
        orders = lines.filtered(lambda line: (line.order_id.channel_id.id, line.platform_sku) in pairs).order_id
        # their banner says what the table says now (a mapped SKU is no longer unknown)
        orders._check_exceptions()
        orders._omni_allocate()

    @api.depends("channel_id", "platform_sku")
    def _compute_is_bundle(self):
        groups = self._read_group(
            [("channel_id", "in", self.channel_id.ids), ("platform_sku", "in", self.mapped("platform_sku"))],
            ["channel_id", "platform_sku"],
            ["__count"],
        )
        counts = {(channel.id, sku): count for channel, sku, count in groups}
        for mapping in self:
            mapping.is_bundle = counts.get((mapping.channel_id.id, mapping.platform_sku), 0) > 1

    @api.constrains("product_id", "active")
    def _check_product_active(self):
        for mapping in self.filtered("active"):
            if not mapping.product_id.active:
                raise ValidationError(
                    self.env._(
                        "Platform SKU %(sku)s cannot map to archived product %(product)s.",
                        sku=mapping.platform_sku,
                        product=mapping.product_id.display_name,
                    )
                )

    @api.model
    def _get_components(self, channel_sku_pairs):
        """{(channel_id, platform_sku): [(product, quantity), ...]} for active
        rows of active products, in one query."""
        result = defaultdict(list)
        if not channel_sku_pairs:
            return result
        mappings = self.search(
            [
                ("channel_id", "in", list({c for c, _s in channel_sku_pairs})),
                ("platform_sku", "in", list({s for _c, s in channel_sku_pairs})),
                ("product_id.active", "=", True),
            ]
        )
        for mapping in mappings:
            result[(mapping.channel_id.id, mapping.platform_sku)].append((mapping.product_id, mapping.quantity))
        return result

    # --- import -----------------------------------------------------------
    @api.model
    def import_file(self, filename, content_base64):
        """XML-RPC: import a product relation table file (CSV/XLSX/XLS with the
        columns 平台单位编码, 平台商家编码, 内部编码, 数量). A platform SKU is
        applied whole or not at all: a bundle with one bad row is refused.
        Returns {created, updated, duplicates, exceptions, errors: [{row, message}],
        warnings: [{row, message, mapping_id}]}: a warning is a saved row whose quantity the product's unit
        cannot keep (see omni.product.mapping.action_allow_4_decimals)."""
        content = base64.b64decode(content_base64)
        import_file = self.env["omni.import.file"]._create_from_upload("mapping", filename, content)
        return import_file._process_mapping_file()

    @api.model
    def _check_import_row(self, table, row, channel_code, channel, sku, product_code, products):
        """([error messages], quantity) of one row of a relation table file."""
        errors = []
        if not channel_code:
            errors.append(self.env._("the unit code is empty"))
        elif not channel:
            errors.append(self.env._("unknown unit code '%(code)s'", code=channel_code))
        if not sku:
            errors.append(self.env._("the platform SKU is empty"))
        if not product_code:
            errors.append(self.env._("the internal code is empty"))
        elif product_code not in products:
            errors.append(self.env._("unknown internal code '%(code)s'", code=product_code))
        quantity = None
        try:
            quantity = tabular.to_decimal(row["quantity"], row["_row"], table.label("quantity"), digits=4)
        except tabular.TableError as err:
            errors.append(tabular.error_message(self.env, err))
        else:
            if quantity is None or quantity <= 0:
                errors.append(self.env._("the quantity must be a positive number"))
        return errors, float(quantity) if quantity is not None else None

    @api.model
    def _import_rows(self, table):
        """Apply parsed rows; returns the summary dict."""
        summary = {"created": 0, "updated": 0, "duplicates": 0, "exceptions": 0, "errors": []}
        rows_by_key = defaultdict(list)
        codes, skus, product_codes = set(), set(), set()
        for row in table.rows:
            channel_code = tabular.to_text(row["channel_code"]).upper()
            sku = tabular.to_text(row["platform_sku"])
            product_code = tabular.to_text(row["default_code"])
            rows_by_key[(channel_code, sku)].append((row, product_code))
            codes.add(channel_code)
            skus.add(sku)
            product_codes.add(product_code)
        channels = {
            c.code: c
            for c in self.env["omni.channel"].search(
                [("code", "in", list(codes)), ("company_id", "in", self.env.companies.ids)]
            )
        }
        products = {}
        for product in self.env["product.product"].search([("default_code", "in", list(product_codes))]):
            products.setdefault(product.default_code, product)
        existing = {
            (m.channel_id.id, m.platform_sku, m.product_id.id): m
            for m in self.with_context(active_test=False).search(
                [("channel_id", "in", [c.id for c in channels.values()]), ("platform_sku", "in", list(skus))]
            )
        }
        to_create = []
        imported = []  # (mapping, row number) of the rows created or updated
        for (channel_code, sku), rows in rows_by_key.items():
            errors = []
            prepared = []
            channel = channels.get(channel_code)
            for row, product_code in rows:
                line_errors, quantity = self._check_import_row(
                    table, row, channel_code, channel, sku, product_code, products
                )
                if line_errors:
                    errors.append({"row": row["_row"], "message": "; ".join(line_errors)})
                else:
                    prepared.append((row, products[product_code], quantity))
            if errors:
                if len(rows) > len(errors):
                    for error in errors:
                        error["message"] += self.env._(
                            " (platform SKU %(sku)s not imported: its other rows wait for this one)", sku=sku
                        )
                summary["errors"].extend(errors)
                summary["exceptions"] += len(rows)
                continue
            for row, product, quantity in prepared:
                mapping = existing.get((channel.id, sku, product.id))
                if not mapping:
                    vals = {
                        "channel_id": channel.id,
                        "platform_sku": sku,
                        "product_id": product.id,
                        "quantity": quantity,
                    }
                    to_create.append((vals, row["_row"]))
                    existing[(channel.id, sku, product.id)] = True
                    summary["created"] += 1
                elif mapping is True or (mapping.quantity == quantity and mapping.active):
                    summary["duplicates"] += 1
                else:
                    mapping.write({"quantity": quantity, "active": True})
                    imported.append((mapping, row["_row"]))
                    summary["updated"] += 1
        created = self.create([vals for vals, _row in to_create])
        for mapping, (_vals, row_number) in zip(created, to_create, strict=True):
            imported.append((mapping, row_number))
        # saved, but orders of these rows would wait in the exception queue: say so with the row
        summary["warnings"] = [
            {"row": row_number, "message": mapping.uom_warning, "mapping_id": mapping.id}
            for mapping, row_number in imported
            if mapping.uom_warning
        ]
        summary["errors"].sort(key=lambda e: e["row"])
        summary["warnings"].sort(key=lambda e: e["row"])
        return summary
