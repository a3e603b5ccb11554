# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import BaseCase

from odoo.addons.omni_customer.tools import phone

PARSED = [
    ("+86 138 0013 8000", "+8613800138000", "mobile"),
    ("138-0013-8000", "+8613800138000", "mobile"),
    ("0086 13800138000", "+8613800138000", "mobile"),
    ("8613800138000", "+8613800138000", "mobile"),
    ("１３８００１３８０００", "+8613800138000", "mobile"),
    ("010-12345678", "+861012345678", "landline"),
    ("(021) 1234 5678", "+862112345678", "landline"),
    ("+86 21 1234 5678", "+862112345678", "landline"),
    ("400-820-8820", "+864008208820", "landline"),
    ("13800138000-1234", "+8613800138000#1234", "virtual"),
    ("13800138000转1234", "+8613800138000#1234", "virtual"),
    ("138****8000", "138****8000", "masked"),
]
MALFORMED = ["", "   ", "12345", "abc", "1380013800", "138001380001", "+86 999"]


class TestPhone(BaseCase):
    def test_parse(self):
        for raw, key, kind in PARSED:
            with self.subTest(raw=raw):
                number = phone.parse(raw)
                self.assertEqual((number.key, number.kind), (key, kind))

    def test_malformed(self):
        for raw in MALFORMED:
            with self.subTest(raw=raw), self.assertRaises(phone.MalformedNumber):
                phone.parse(raw)

    def test_mobile_mask_key(self):
        self.assertEqual(phone.parse("13800138000").mask_key, "138****8000")
        self.assertFalse(phone.parse("010-12345678").mask_key)
