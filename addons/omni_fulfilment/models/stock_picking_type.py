# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools.translate import code_translations


class StockPickingType(models.Model):
    """Operation types named in every installed language.

    Odoo names a warehouse's operation types in code (``_('Delivery
    Orders')`` in ``stock.warehouse``), in the language of whoever creates the
    company or the warehouse; loading a language later translates only the
    first warehouse's types (``stock.picking_type_out``...: they have an XML
    id the .po files name). A company created before Chinese was installed
    (the demo company, any company made by a script) kept showing "Delivery
    Orders" to Chinese users. Here a type still named with one of stock's own
    terms gets stock's translation in each installed language it lacks, when
    it is created and whenever terms are loaded; a name a user typed (another
    English name, or any name in that language) is left as it is."""

    _inherit = "stock.picking.type"

    @api.model_create_multi
    def create(self, vals_list):
        types = super().create(vals_list)
        types._omni_translate_stock_names()
        return types

    def _omni_translate_stock_names(self, langs=None):
        """Fill the missing translations of these types' names with stock's
        (its .po file's) translation of their English name."""
        langs = [
            code
            for code in (langs or [code for code, _name in self.env["res.lang"].get_installed()])
            if code != "en_US"
        ]
        if not self or not langs:
            return
        self.flush_model(["name"])
        self.env.cr.execute("SELECT id, name FROM stock_picking_type WHERE id = ANY(%s)", [self.ids])
        names = dict(self.env.cr.fetchall())
        for lang in langs:
            terms = code_translations.get_python_translations("stock", lang)
            for picking_type in self:
                name = names.get(picking_type.id) or {}
                translation = terms.get(name.get("en_US"))
                if translation and lang not in name:
                    picking_type.update_field_translations("name", {lang: translation})
