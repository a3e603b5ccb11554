# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from pathlib import Path

from lxml import etree

from odoo.tests import TransactionCase
from odoo.tools.translate import code_translations

TEMPLATE = Path(__file__).parents[1] / "static" / "src" / "packing_station" / "packing_station.xml"
# attributes Owl translates in templates
TRANSLATED_ATTRIBUTES = ("placeholder", "title", "alt", "label", "aria-label")


def station_terms():
    """The English words the packing station's template shows."""
    terms = set()
    for element in etree.parse(str(TEMPLATE)).iter(etree.Element):
        for text in (element.text, element.tail):
            if text and text.strip():
                terms.add(" ".join(text.split()))
        terms.update(element.get(name) for name in TRANSLATED_ATTRIBUTES if element.get(name))
    return terms


class TestPackingStationTerms(TransactionCase):
    """The web client keeps one translation per English word, whichever
    addon brings it: a generic word Odoo translates otherwise ("Left": 左,
    the left side) showed Odoo's meaning in the station (issue 23). The
    station uses words of its own, or words every addon translates alike."""

    def test_station_words_read_as_ours_in_chinese(self):
        terms = station_terms()
        ours = {
            message["id"]: message["string"]
            for message in code_translations.get_web_translations("omni_fulfilment", "zh_CN")["messages"]
        }
        self.assertEqual(ours.get("Left to Pack"), "剩余")
        self.assertIn("Left to Pack", terms)
        untranslated = sorted(term for term in terms if term not in ours)
        self.assertFalse(untranslated, "station words without our Chinese")
        conflicts = []
        modules = self.env["ir.module.module"].search([("state", "=", "installed")]).mapped("name")
        for module in modules:
            if module == "omni_fulfilment":
                continue
            for message in code_translations.get_web_translations(module, "zh_CN")["messages"]:
                if message["id"] in terms and message["string"] != ours[message["id"]]:
                    conflicts.append(f"{message['id']}: {module} {message['string']} / ours {ours[message['id']]}")
        self.assertFalse(conflicts, "station words another addon translates otherwise")
