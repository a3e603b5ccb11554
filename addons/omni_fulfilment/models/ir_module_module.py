# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False, imported_module=False):
        res = super()._load_module_terms(modules, langs, overwrite=overwrite, imported_module=imported_module)
        # a language installed (or a module updated) after the companies were
        # made: their warehouses' operation types get stock's names in that
        # language. As superuser: loading terms is an administrator's act over
        # every company, and only names still equal to stock's English terms change
        Type = self.env["stock.picking.type"].sudo().with_context(active_test=False)
        types = Type.search([("warehouse_id", "!=", False)])
        types._omni_translate_stock_names(langs)
        return res
