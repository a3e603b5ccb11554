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

    from odoo.addons.omni_base.tools import guard

    state = fields.Selection(..., readonly=True)  # guarded by this alone (below)

    def action_done(self):
        ...  # rights and preconditions checked here
        guard.internal(self).write({"state": "done"})

A field that users may not edit but that is not read-only in the model (it
is edited in draft, say) still takes an explicit :func:`check_write` in the
model's ``write``.

One rule for every read-only field
----------------------------------
Every field that one of our addons declares and that its model declares
read-only (``readonly=True``, a computed stored field without inverse, a
related field) is guarded by that declaration alone: the ``base`` extension
in ``omni_base/models/base.py`` refuses it in ``write`` from every caller,
and in ``create`` unless it holds its start value (empty, zero, ``False`` or
the field's own default), unless the write goes through :func:`internal`.
Nobody lists fields by hand any more, so a new model cannot forget one; the
project test ``tests/test_readonly_guard.py`` walks every model and proves it.

- *Ours* means: every module that defines the field is an ``omni_*`` addon
  (:func:`readonly_fields`). A core field that one of our addons only extends
  (a ``selection_add`` on ``state``) stays core's business, so a core action
  by a user with core rights never meets this rule.
- ``copy()``: a guarded field declared ``copy=False`` (every ``state``,
  by Odoo's default, and every link or figure that only an action sets)
  starts at its start value and the copy's ``default`` may not give it
  another one; a guarded field the model lets travel (``copy=True``: what
  identifies the document, like a platform order's channel and number) is
  carried, and may take another value in ``default`` (a duplicated order
  gets a new number). The copy runs under :func:`copying`, a second marker
  no client can send, which lifts the rule for those ``copy=True`` fields
  only; the models' own ``create`` checks still run.
- ``default_<field>`` context keys count as values on ``create``: a context
  key is never a permission.
- Transient models (wizards): ``write`` is guarded like everywhere, ``create``
  is not, because the web client opens a wizard with ``default_<field>``
  values for what it shows (the order being split, the partner being
  credited); a wizard's action checks the caller's rights on those records
  itself before it acts.
- Core flows that copy stored values between records of a core model
  without ``copy()`` (a stock move split, a reversal: ``copy_data`` then
  ``create``) never meet our fields because those are ``copy=False`` (the
  project test checks it); core's contact merge writes every stored field
  of the merged contacts into the one kept, so its ``_update_values`` runs
  under :func:`internal` (``models/base_partner_merge.py``): the values are
  the contacts' own, and the merge's rights are core's.
- Core flows that fill our read-only fields in core code (``_prepare_*``
  hooks) cannot go through :func:`internal`: our overrides set those values
  after ``create``/in the hook's own call through :func:`internal`, or the
  field is computed (the ORM stores computed values without ``write``).

- A model whose own ``create``/``write`` derives a read-only field (a
  sequence name, what a raw phone number parses to, the edited-quantity
  flag) checks the caller's values first (``_omni_check_readonly_create`` /
  ``_omni_check_readonly_write``), then calls ``super()`` on
  :func:`internal` records. Records made or read under the marker are handed
  back ``with_env(<the caller's env>)``: the marker never leaks to a caller.
- Stored fields only: a non-stored computed field keeps nothing when written.
  ``id`` and the log columns are the ORM's.
- A client cannot ``create`` a record whose identity is read-only (a platform
  order's channel and number, a statement's courier): such records come
  from the import methods (``import_orders``, ``import_file``), which check
  the caller's rights and create through :func:`internal`.

An explicit :func:`check_write` list is left only where a model guards
fields that users may not edit but that are not read-only in the model, or
where it gives a message of its own.
"""

from odoo.exceptions import UserError
from odoo.models import MAGIC_COLUMNS, BaseModel

_KEY = "omni_guarded_write"


class _Internal:
    """The marker: one instance, never serialisable into a request."""

    __slots__ = ()

    def __repr__(self):
        return "<omni internal write>"


_INTERNAL = _Internal()


class _Copying:
    """The marker of a ``copy()`` under way (see :func:`copying`)."""

    __slots__ = ()

    def __repr__(self):
        return "<omni copy>"


_COPYING = _Copying()
_COPY_KEY = "omni_guarded_copy"


def copying(records):
    """``records`` in an environment whose creates may carry the guarded
    fields that their model lets travel to a copy (``copy=True``)."""
    return records.with_context(**{_COPY_KEY: _COPYING})


def is_copying(records):
    return records.env.context.get(_COPY_KEY) is _COPYING


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


def is_ours(field):
    """Whether only ``omni_*`` addons define ``field``."""
    modules = field._modules or ()
    return bool(modules) and all(module.startswith("omni_") for module in modules)


def readonly_fields(model):
    """The names of ``model``'s guarded fields: read-only, stored, ours."""
    return frozenset(
        name
        for name, field in model._fields.items()
        # id and the log columns are the ORM's own, never written through write()
        if field.readonly and field.store and is_ours(field) and name not in MAGIC_COLUMNS
    )


def _comparable(value):
    if isinstance(value, BaseModel):
        return value.ids if len(value) != 1 else value.id
    return value


def is_start_value(model, field, value):
    """Whether ``value`` is what a new record of ``model`` may hold in
    ``field`` without an action: empty or the field's own default."""
    if not value:
        return True
    if field.type in ("one2many", "many2many"):
        # commands that leave the relation empty: CLEAR, or SET to nothing
        return all(
            isinstance(command, list | tuple) and (command[0] == 5 or (command[0] == 6 and not command[2]))
            for command in value
        )
    if field.default is None:
        return False
    return _comparable(value) == _comparable(field.default(model))


def refuse(model, names):
    """The error for writing the guarded fields ``names`` of ``model``."""
    labels = ", ".join(
        "%s (%s)" % (model._fields[name]._description_string(model.env), name)  # noqa: UP031
        for name in sorted(names)
    )
    return UserError(
        model.env._(
            "%(model)s: %(fields)s is read-only: it changes only through the document's actions (buttons), "
            "never by writing it directly.",
            model=model._description,
            fields=labels,
        )
    )
