# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models, tools

from ..tools import guard


class Base(models.AbstractModel):
    """The one rule for read-only fields, on every model (see ``tools/guard.py``).

    A field that one of our addons declares read-only is refused in
    ``write``/``create`` unless the caller writes through ``guard.internal``.
    The set of guarded fields is computed once per model and registry
    (``ormcache``, cleared when the registry is set up again): a model with
    none of our read-only fields pays one cached lookup per write.
    """

    _inherit = "base"

    @api.model
    @tools.ormcache()
    def _omni_readonly_fields(self):
        return guard.readonly_fields(self)

    def _omni_check_readonly_create(self, vals_list):
        guarded = self._omni_readonly_fields()
        if not guarded or self._transient or guard.is_internal(self):
            return
        defaults = {
            key[8:]: value
            for key, value in self.env.context.items()
            if key.startswith("default_") and key[8:] in guarded
        }
        if guard.is_copying(self):
            guarded = {name for name in guarded if not self._fields[name].copy}
        for vals in vals_list:
            values = {**defaults, **vals}
            touched = [
                name
                for name in guarded & values.keys()
                if not guard.is_start_value(self, self._fields[name], values[name])
            ]
            if touched:
                raise guard.refuse(self, touched)

    @api.model_create_multi
    def create(self, vals_list):
        self._omni_check_readonly_create(vals_list)
        return super().create(vals_list)

    @api.model
    def _omni_prepare_named_create(self, vals_list, sequence_code, per_company=False):
        """For a document named by a sequence (read-only ``name``, "/" until
        created): check the caller's ``vals_list`` against the read-only
        fields, then name each new record from the ``sequence_code``
        sequence (the record's company's when ``per_company``) unless it was
        given a name. The caller then creates through ``guard.internal``."""
        self._omni_check_readonly_create(vals_list)
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                sequence = self.env["ir.sequence"]
                if per_company:
                    sequence = sequence.with_company(
                        self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                    )
                vals["name"] = sequence.next_by_code(sequence_code) or "/"

    def _omni_check_readonly_write(self, vals):
        if vals and not guard.is_internal(self):
            touched = self._omni_readonly_fields() & vals.keys()
            if touched:
                raise guard.refuse(self, touched)

    def write(self, vals):
        self._omni_check_readonly_write(vals)
        return super().write(vals)

    def copy(self, default=None):
        if not self._omni_readonly_fields() or guard.is_internal(self):
            return super().copy(default=default)
        # the fields that travel with a copy (copy=True) pass the create rule; the others do not
        return super(Base, guard.copying(self)).copy(default=default).with_env(self.env)
