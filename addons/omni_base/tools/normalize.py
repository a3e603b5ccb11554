# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Text, address and phone normalisation for data typed by people or
exported by the platforms (Tmall, JD, Pinduoduo...).

Pure functions, no Odoo import: they are used to compare customer names and
addresses (so that "建国路 685号" and "建国路６８５号" are the same place) and to
check phone numbers before they reach a partner or a picking.
"""

import re
from decimal import Decimal

# Full-width ASCII forms U+FF01..U+FF5E map onto U+0021..U+007E.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALF_WIDTH[0x3000] = 0x20  # ideographic space
# Invisible characters that sneak in from copy-paste and web exports.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
# In str patterns \s is Unicode-aware: tab, CR, LF, NBSP, U+2000..U+200A, U+3000...
_SPACES_RE = re.compile(r"\s+")
_TRAILING_ZERO_DECIMALS_RE = re.compile(r"(\+?[0-9]+)\.0+")
_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
_MOBILE_INPUT_RE = re.compile(r"(?:\+?86|0086)?1[3-9][0-9]{9}")
_LANDLINE_RE = re.compile(
    r"(?:\(0[1-9][0-9]{1,2}\)|0[1-9][0-9]{1,2})"  # area code: 0 + 2-3 digits, maybe in brackets
    r"[ -]?[0-9]{3,4}[ -]?[0-9]{4}"  # local number: 7-8 digits
    r"(?:(?: ?(?:-|转|#|分机|ext\.?|x) ?| )[0-9]{1,6})?",  # extension
    re.IGNORECASE,
)
_CJK_OR_DIGIT_RE = re.compile(r"[0-9\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def to_half_width(value):
    """Return ``value`` as text with full-width ASCII (U+FF01..U+FF5E) turned
    into half-width and the ideographic space U+3000 into a plain space.

    Chinese characters and other text are left as they are. None/False -> ''.
    """
    if value is None or value is False:
        return ""
    return str(value).translate(_HALF_WIDTH)


def normalize_text(value):
    """Text for comparisons: half-width, every kind of space (U+3000, NBSP,
    tab, CR, LF...) turned into one plain space, zero-width characters
    removed, stripped. None/False -> ''."""
    text = to_half_width(value).translate(_ZERO_WIDTH)
    return _SPACES_RE.sub(" ", text).strip()


def address_key(*parts):
    """Key to compare addresses: the normalised parts joined, without any
    space, lower-cased. ``address_key("江苏省", "南京市", "建国路 685号")`` ==
    ``address_key("江苏省南京市建国路６８５号")``. None parts are ignored."""
    return "".join(normalize_text(part) for part in parts).replace(" ", "").lower()


def _phone_text(value):
    """Normalised text of a phone cell; integral numbers from spreadsheets
    (19038879107.0, also as the text '19038879107.0') lose their decimals."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        value = int(value)
    text = normalize_text(value)
    match = _TRAILING_ZERO_DECIMALS_RE.fullmatch(text)
    return match.group(1) if match else text


def normalize_phone(value):
    """Digits-only form of a phone number, used to compare and store it.

    A leading country prefix +86 / 0086 / 86 is dropped when what remains is
    an 11-digit mainland mobile number. Spreadsheet floats such as
    19038879107.0 give '19038879107'. Empty input -> ''.
    """
    digits = re.sub(r"[^0-9]", "", _phone_text(value))
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and _MOBILE_RE.fullmatch(digits[len(prefix) :]):
            return digits[len(prefix) :]
    return digits


def mask_phone(value):
    """A phone number as platform waybills print it, the middle digits
    hidden: a mainland mobile keeps its first 3 and last 4 digits
    ('13700137003' and '+86 137 0013 7003' -> '137****7003'), any other
    number its last 4 digits and what comes before the 4 hidden ones
    ('021-55556666' -> '021-****6666'). A number already masked or too short
    to mask is returned as written. None/False -> ''."""
    text = _phone_text(value)
    if not text or "*" in text:
        return text
    mobile = _MOBILE_INPUT_RE.fullmatch(re.sub(r"[ -]", "", text))
    if mobile:
        digits = normalize_phone(text)
        return f"{digits[:3]}****{digits[-4:]}"
    positions = [index for index, char in enumerate(text) if char.isdigit()]
    if len(positions) < 7:
        return text
    hidden = set(positions[-8:-4])
    return "".join("*" if index in hidden else char for index, char in enumerate(text))


def is_valid_phone(value):
    """True for a mainland mobile number (1[3-9] + 9 digits, optionally with
    +86/0086 and spaces or dashes) or a landline with its area code: 0 + 2-3
    digits, then 7-8 digits, optionally an extension ('010-12345678',
    '0571 8888 8888', '(0755)12345678', '021-12345678-123')."""
    text = _phone_text(value)
    if not text:
        return False
    if _MOBILE_INPUT_RE.fullmatch(re.sub(r"[ -]", "", text)):
        return True
    return bool(_LANDLINE_RE.fullmatch(text))


def is_plausible_address(address):
    """True when the normalised detail address has at least 4 characters
    (spaces not counted) and at least one Chinese character or digit."""
    text = normalize_text(address).replace(" ", "")
    return len(text) >= 4 and bool(_CJK_OR_DIGIT_RE.search(text))


# The provincial-level divisions of China as written on addresses: the names of base's states of China
# (res.country.state, country cn), so that a name found here is a state to set on a partner.
CN_PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市",
    "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省",
    "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省",
    "台湾省",
    "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
    "香港特别行政区", "澳门特别行政区",
)  # fmt: skip
_PROVINCE_SUFFIX_RE = re.compile(r"(?:壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市)$")
# short name (江苏, 广西, 内蒙古, 上海) -> full name
_PROVINCE_SHORT = {_PROVINCE_SUFFIX_RE.sub("", name): name for name in CN_PROVINCES}


def province_name(value):
    """Full name of the province ``value`` names, written in full or short
    ('江苏' and '江苏省' -> '江苏省', '广西' -> '广西壮族自治区'); '' when it
    names none."""
    text = normalize_text(value).replace(" ", "")
    if text in CN_PROVINCES:
        return text
    return _PROVINCE_SHORT.get(text, "")


def split_province(value):
    """``(province, rest)``: the full name of the province the address text
    starts with, and the normalised text after it.

    ``"江苏省 鼓楼区"`` -> ``("江苏省", "鼓楼区")``, ``"上海市浦东新区张杨路500号"``
    -> ``("上海市", "浦东新区张杨路500号")``, ``"广西 南宁市"`` -> ``("广西壮族自治区",
    "南宁市")``. A short name counts only when a space or the end follows it:
    "吉林市船营区" is a city of 吉林省, not the province. ``("", text)`` when
    no province starts the text.
    """
    text = normalize_text(value)
    for name in sorted(CN_PROVINCES, key=len, reverse=True):
        if text.startswith(name):
            return name, text[len(name) :].strip()
    head, _sep, rest = text.partition(" ")
    if head in _PROVINCE_SHORT:
        return _PROVINCE_SHORT[head], rest.strip()
    return "", text
