# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import random

import phonenumbers

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

    def test_valid_as_phonenumbers_says(self):
        """parse() takes a number of a known type for a valid one (one matching
        of the metadata instead of is_valid_number's and number_type's two):
        over mobiles, landlines, service numbers, foreign numbers and random
        digits, it refuses exactly what phonenumbers.is_valid_number refuses."""
        rng = random.Random(2026)
        samples = [
            "+1 650 253 0000", "+44 20 7946 0958", "+852 2123 4567", "+886 2 2345 6789", "95588", "12345678",
            "12012345678", "11012345678", "0755-8888888", "0755-88888888", "400-820-882", "+86 10 1234 567",
        ]  # fmt: skip
        samples += ["".join(rng.choice("0123456789") for _ in range(rng.randint(5, 14))) for _ in range(1500)]
        samples += [f"1{rng.randint(0, 9)}{rng.randint(0, 10**9 - 1):09d}" for _ in range(1500)]
        samples += [f"+{rng.randint(1, 999)}{rng.randint(10**6, 10**11)}" for _ in range(500)]
        valid = 0
        for raw in samples:
            try:
                number = phonenumbers.parse(raw, "CN")
            except phonenumbers.NumberParseException:
                continue
            expected = phonenumbers.is_valid_number(number)
            valid += expected
            with self.subTest(raw=raw):
                self.assertEqual(phone.try_parse(raw) is not None, expected)
        self.assertGreater(valid, 500, "the sample holds valid numbers as well as invalid ones")
