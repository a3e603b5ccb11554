# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Review checks, each declared once, on the ``omni.order`` method that runs it::

    @review_check(
        "bad_phone",
        _lt("Phone number not valid"),
        message=lambda rule, facts: rule.env._("Phone number '%(phone)s' ...", phone=facts["phone"]),
    )
    def _review_bad_phone(self, rule, context):
        return [] if normalize.is_valid_phone(self.phone) else [{"phone": self.phone or ""}]

The method gets one order (``self``), the review rule that runs the check and
the review's context, and returns the facts of each finding (``[]``: nothing
found). The decorator states what else there is to know about the check:

- ``code`` and ``label``: the choice in a review rule's *Check*;
- ``blocking``: an order with this finding cannot become a sale order, even
  when a manager confirms it;
- ``message``: ``message(rule, facts)``, the finding in the reader's
  language (``rule.env._(...)``, the reader's environment);
- ``prepare`` (optional): the name of an ``omni.order`` method run once on all
  the orders under review with the rules of this check (``orders.<prepare>(rules)``):
  its result is ``context[code]``, so that a check over a batch makes one
  query per rule rather than one per order.

``collect`` gathers the checks of a model class as the database's installed
addons built it, like Odoo's ``@api.constrains``: an addon adds a check by
decorating a method of its own ``omni.order`` extension (an override without
the decorator keeps the check of the method it overrides)."""

from collections.abc import Callable
from typing import NamedTuple


class ReviewCheck(NamedTuple):
    code: str
    label: object  # a lazy translation (_lt)
    blocking: bool
    message: Callable
    method: str
    prepare: str | None


def review_check(code, label, *, message, blocking=False, prepare=None):
    """Method decorator: declare the review check ``code`` run by the method."""

    def decorate(method):
        method._omni_review_check = ReviewCheck(code, label, blocking, message, method.__name__, prepare)
        return method

    return decorate


def collect(model_class):
    """{code: ReviewCheck} of the decorated methods of ``model_class``, in
    the order they were declared."""
    checks = {}
    for cls in reversed(model_class.__mro__):  # an extension's declaration replaces the base's
        for attr in vars(cls).values():
            check = getattr(attr, "_omni_review_check", None)
            if isinstance(check, ReviewCheck):
                checks[check.code] = check
    return checks
