# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Caller numbers in one canonical form, so that a lookup is an index hit.

``parse(raw)`` answers a :class:`Number`:

- ``key``: E.164 (``+8613800138000``, ``+862112345678``) for mobiles and
  landlines; ``+8613800138000#1234`` for a platform's virtual number with its
  extension (JD, Tmall: one virtual number serves many buyers, the extension
  tells them apart); ``138****8000`` for a masked number.
- ``kind``: ``mobile``, ``landline``, ``virtual`` or ``masked``.
- ``mask_key``: for a mobile, its masked form (first 3 and last 4 digits),
  which is how a masked platform number can still find it.

A number that is none of these raises :class:`MalformedNumber`.
"""

import re
from collections import namedtuple

import phonenumbers

from odoo.addons.omni_base.tools import normalize

Number = namedtuple("Number", "key kind mask_key")

SEPARATORS = re.compile(r"[\s\-().\u00a0\u3000]+")
PREFIX = r"(?:\+?86|0086)?"
MOBILE = r"(1[3-9]\d)(\d{4})(\d{4})"
VIRTUAL = re.compile(rf"^{PREFIX}{MOBILE}(?:转|,|#|ext|x|\*|-)(\d{{1,6}})$", re.IGNORECASE)
MASKED = re.compile(rf"^{PREFIX}(1[3-9]\d)(?:\*|x|X){{4}}(\d{{4}})$")


class MalformedNumber(ValueError):
    pass


def _compact(raw):
    text = (raw or "").strip()
    # full-width digits and plus of Chinese input methods
    text = text.translate({ord(c): ord("0") + i for i, c in enumerate("０１２３４５６７８９")} | {ord("＋"): ord("+")})
    # keep the extension separator of '13800138000-1234': only dashes between digit groups go
    match = re.match(r"^(.*?\d{11})\s*-\s*(\d{1,6})$", text)
    if match and re.sub(r"\D", "", match.group(1))[-11:][0] == "1":
        return SEPARATORS.sub("", match.group(1)) + "#" + match.group(2)
    return SEPARATORS.sub("", text)


def mask_key(mobile_digits):
    # the masked form platforms print (138****8000): one helper for waybills and caller lookup
    return normalize.mask_phone(mobile_digits)


def parse(raw):
    """The canonical :class:`Number` of ``raw``; MalformedNumber if none."""
    text = _compact(raw)
    if not text:
        raise MalformedNumber("empty")
    virtual = VIRTUAL.match(text)
    if virtual:
        digits = "".join(virtual.groups()[:3])
        return Number(f"+86{digits}#{virtual.group(4)}", "virtual", False)
    masked = MASKED.match(text)
    if masked:
        key = mask_key(masked.group(1) + "0000" + masked.group(2))
        return Number(key, "masked", key)
    if not re.fullmatch(r"\+?\d{5,20}", text):
        raise MalformedNumber(text)
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as err:
        raise MalformedNumber(text) from err
    # a valid number is one of a known type (what phonenumbers.is_valid_number checks, by the same
    # metadata): one matching of the metadata's patterns instead of two, on every screen pop
    number_type = phonenumbers.number_type(number)
    if number_type == phonenumbers.PhoneNumberType.UNKNOWN:
        raise MalformedNumber(text)
    key = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if number.country_code == 86 and number_type in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        return Number(key, "mobile", mask_key(str(number.national_number)))
    return Number(key, "landline", False)


def try_parse(raw):
    try:
        return parse(raw)
    except MalformedNumber:
        return None
