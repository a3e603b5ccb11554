# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Guarded fields: the private way an action method writes what nobody else may.

A state, an amount that reaches accounting or a link between documents
changes only through the model's action methods, which check the caller's
rights and the record's preconditions first. ``write`` and ``create`` refuse
such fields from everybody else, whatever the context says: a context key
is something any XML-RPC client can send, so it is never a permission.

The action method writes through :func:`internal`, which marks the
environment's context with :data:`_INTERNAL`, a Python object. A context
that comes over XML-RPC or JSON-RPC holds only strings, numbers, lists and
dicts, so no client can ever hold this object; only Python code that imports
this module can. The guard checks identity (``is``), not equality::

    from odoo.addons.omni_channel.tools import guard

    def write(self, vals):
        guard.check_write(self, vals, GUARDED_FIELDS)
        return super().write(vals)

    def action_done(self):
        ...  # rights and preconditions checked here
        guard.internal(self).write({"state": "done"})
"""

from odoo.exceptions import UserError

_KEY = "omni_guarded_write"


class _Internal:
    """The marker: one instance, never serialisable into a request."""

    __slots__ = ()

    def __repr__(self):
        return "<omni internal write>"


_INTERNAL = _Internal()


def internal(records):
    """``records`` in an environment whose writes pass the guards."""
    return records.with_context(**{_KEY: _INTERNAL})


def is_internal(records):
    return records.env.context.get(_KEY) is _INTERNAL


def guarded_in(vals, fields):
    """The guarded fields among ``vals``' keys, sorted."""
    return sorted(set(vals) & set(fields))


def check_write(records, vals, fields, message=None):
    """Refuse writing any of ``fields`` unless the write is internal."""
    touched = guarded_in(vals, fields)
    if touched and not is_internal(records):
        raise UserError(
            message
            or records.env._(
                "%(model)s: %(fields)s change only through the document's actions (buttons), not by editing.",
                model=records._description,
                fields=", ".join(touched),
            )
        )


def check_create(model, vals_list, defaults, message=None):
    """Refuse creating records whose guarded fields differ from their start
    values ``defaults`` ({field: allowed value}) unless internal."""
    if is_internal(model):
        return
    for vals in vals_list:
        touched = sorted(f for f, allowed in defaults.items() if f in vals and vals[f] not in (allowed, None))
        if touched:
            raise UserError(
                message
                or model.env._(
                    "%(model)s: a new record cannot be created with %(fields)s set; they change only through "
                    "the document's actions.",
                    model=model._description,
                    fields=", ".join(touched),
                )
            )
