# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import Decimal

from odoo.tests import BaseCase

from ..tools import normalize


class TestHalfWidthAndText(BaseCase):
    def test_to_half_width_converts_full_width_ascii_only(self):
        self.assertEqual(normalize.to_half_width("ＡＢＣ　１２３！（ｋｇ）"), "ABC 123!(kg)")
        self.assertEqual(normalize.to_half_width("建国路６８５号"), "建国路685号")
        # the yen sign U+FFE5 is outside U+FF01..U+FF5E and stays
        self.assertEqual(normalize.to_half_width("￥"), "￥")
        self.assertEqual(normalize.to_half_width(None), "")
        self.assertEqual(normalize.to_half_width(12), "12")

    def test_normalize_text_blank_values(self):
        for value in (None, False, "", "   ", "\u3000\t\r\n\xa0"):
            with self.subTest(value=value):
                self.assertEqual(normalize.normalize_text(value), "")
        self.assertEqual(normalize.normalize_text(0), "0")

    def test_normalize_text_spaces_collapsed_and_stripped(self):
        self.assertEqual(normalize.normalize_text("  建国路\u3000\u3000685号\t\n "), "建国路 685号")
        self.assertEqual(normalize.normalize_text("刘\xa0洋"), "刘 洋")
        self.assertEqual(normalize.normalize_text("a\r\nb    c"), "a b c")
        self.assertEqual(normalize.normalize_text("\ufeff刘洋\u200b"), "刘洋")

    def test_normalize_text_keeps_chinese_and_case(self):
        self.assertEqual(normalize.normalize_text("江苏省 南京市 Room A"), "江苏省 南京市 Room A")
        self.assertEqual(normalize.normalize_text("ＴＭ－ＴＥＡ－２５０Ｇ"), "TM-TEA-250G")

    def test_address_key_ignores_spaces_width_and_case(self):
        key = normalize.address_key("江苏省 南京市 鼓楼区 建国路685号")
        self.assertEqual(key, "江苏省南京市鼓楼区建国路685号")
        self.assertEqual(normalize.address_key("江苏省南京市鼓楼区建国路６８５号"), key)
        self.assertEqual(normalize.address_key("江苏省", "南京市", "鼓楼区", "建国路 685号"), key)
        self.assertEqual(normalize.address_key("江苏省", None, "南京市鼓楼区\u3000建国路685号"), key)
        self.assertEqual(normalize.address_key("Room A 3F"), normalize.address_key("ｒｏｏｍ ａ ３ｆ"))

    def test_address_key_keeps_different_addresses_apart(self):
        self.assertNotEqual(normalize.address_key("建国路685号"), normalize.address_key("建国路686号"))
        self.assertEqual(normalize.address_key(), "")
        self.assertEqual(normalize.address_key(None, ""), "")


class TestPhone(BaseCase):
    def test_normalize_phone_digits_only(self):
        cases = {
            "190 3887 9107": "19038879107",
            "190-3887-9107": "19038879107",
            "１９０３８８７９１０７": "19038879107",
            "010-12345678": "01012345678",
            "(0755)12345678": "075512345678",
            "021-12345678-123": "02112345678123",
        }
        for value, expected in cases.items():
            with self.subTest(value=value):
                self.assertEqual(normalize.normalize_phone(value), expected)

    def test_normalize_phone_drops_country_prefix_of_mobiles_only(self):
        for value in ("+86 190 3887 9107", "+86-19038879107", "008619038879107", "8619038879107"):
            with self.subTest(value=value):
                self.assertEqual(normalize.normalize_phone(value), "19038879107")
        # what remains after 86 is no mobile: the prefix stays
        self.assertEqual(normalize.normalize_phone("+86 10 1234 5678"), "861012345678")
        self.assertEqual(normalize.normalize_phone("86123"), "86123")

    def test_normalize_phone_spreadsheet_numbers(self):
        self.assertEqual(normalize.normalize_phone(19038879107.0), "19038879107")
        self.assertEqual(normalize.normalize_phone(19038879107), "19038879107")
        self.assertEqual(normalize.normalize_phone("19038879107.0"), "19038879107")
        self.assertEqual(normalize.normalize_phone(Decimal("19038879107.00")), "19038879107")
        self.assertEqual(normalize.normalize_phone(None), "")
        self.assertEqual(normalize.normalize_phone(False), "")

    def test_valid_phones(self):
        valid = (
            "19038879107",
            "13800138000",
            "190 3887 9107",
            "190-3887-9107",
            "+86 190 3887 9107",
            "008619038879107",
            "１９０３８８７９１０７",
            19038879107.0,
            19038879107,
            "010-12345678",
            "01012345678",
            "0571 8888 8888",
            "0571-8888888",
            "(0755)12345678",
            "（0755）12345678",
            "021-12345678-123",
            "021-12345678 转 123",
        )
        for value in valid:
            with self.subTest(value=value):
                self.assertTrue(normalize.is_valid_phone(value))

    def test_invalid_phones(self):
        invalid = (
            None,
            False,
            "",
            "  ",
            "abc",
            "12345678",  # landline without area code
            "1903887910",  # 10 digits
            "190388791071",  # 12 digits
            "12038879107",  # no mobile starts with 12
            "29038879107",
            "010-123456",  # local number too short
            "010-123456789",  # local number too long
            "0010-12345678",
            "190388791O7",  # letter O
            "19038879107/13800138000",
            "tel:19038879107",
            3.5,
        )
        for value in invalid:
            with self.subTest(value=value):
                self.assertFalse(normalize.is_valid_phone(value))


class TestMaskPhone(BaseCase):
    def test_mobile_keeps_first_three_and_last_four_digits(self):
        for value in (
            "13700137003",
            "+86 137 0013 7003",
            "0086-137-0013-7003",
            13700137003.0,
            "１３７００１３７００３",
        ):
            with self.subTest(value=value):
                self.assertEqual(normalize.mask_phone(value), "137****7003")

    def test_landline_hides_the_four_digits_before_the_last_four(self):
        self.assertEqual(normalize.mask_phone("021-55556666"), "021-****6666")
        self.assertEqual(normalize.mask_phone("(0755)12345678"), "(0755)****5678")

    def test_masked_short_and_empty_numbers_as_written(self):
        self.assertEqual(normalize.mask_phone("137****7003"), "137****7003")
        self.assertEqual(normalize.mask_phone("110"), "110")
        for value in (None, False, ""):
            with self.subTest(value=value):
                self.assertEqual(normalize.mask_phone(value), "")


class TestAddress(BaseCase):
    def test_plausible_addresses(self):
        for value in ("建国路685号", "  建国路 685号 ", "文三路1", "685号楼", "Room 1203", "１２３４", "科技园南路"):
            with self.subTest(value=value):
                self.assertTrue(normalize.is_plausible_address(value))
        self.assertFalse(normalize.is_plausible_address("文三路"), "3 characters are too few")

    def test_implausible_addresses(self):
        for value in (None, False, "", "   ", "\u3000\u3000", "无", "N/A", "test address", "....", "建国 路"):
            with self.subTest(value=value):
                self.assertFalse(normalize.is_plausible_address(value))


class TestProvince(BaseCase):
    def test_province_names_full_and_short(self):
        self.assertEqual(normalize.province_name("江苏省"), "江苏省")
        self.assertEqual(normalize.province_name(" 江苏 "), "江苏省")
        self.assertEqual(normalize.province_name("广西"), "广西壮族自治区")
        self.assertEqual(normalize.province_name("内蒙古"), "内蒙古自治区")
        self.assertEqual(normalize.province_name("上海"), "上海市")
        self.assertEqual(normalize.province_name("鼓楼区"), "")
        self.assertEqual(normalize.province_name(None), "")
        self.assertEqual(len(normalize.CN_PROVINCES), 34)

    def test_split_province_from_the_start_of_an_address(self):
        cases = {
            "江苏省 鼓楼区": ("江苏省", "鼓楼区"),
            "江苏省鼓楼区": ("江苏省", "鼓楼区"),
            "上海市浦东新区张杨路500号": ("上海市", "浦东新区张杨路500号"),
            "广西壮族自治区 南宁市 青秀区": ("广西壮族自治区", "南宁市 青秀区"),
            "内蒙古自治区呼和浩特市": ("内蒙古自治区", "呼和浩特市"),
            "黑龙江省哈尔滨市": ("黑龙江省", "哈尔滨市"),
            "江苏 南京市": ("江苏省", "南京市"),
            "\u3000浙江\u3000杭州市": ("浙江省", "杭州市"),
            "上海": ("上海市", ""),
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(normalize.split_province(text), expected)

    def test_no_province_at_the_start(self):
        for text in ("鼓楼区", "吉林市船营区", "南京市江苏路1号", "", None, "Hauptstrasse 1"):
            with self.subTest(text=text):
                self.assertEqual(normalize.split_province(text), ("", normalize.normalize_text(text)))
