# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Nothing needs this addon: no other addon depends on it or imports from
it, and it never installs itself; intake runs on Odoo's own path without it
(test_odoo_path.py)."""

import ast
from pathlib import Path

from odoo.tests import TransactionCase, tagged

ADDON = Path(__file__).resolve().parents[1]
ADDONS = ADDON.parent


@tagged("post_install", "-at_install")
class TestNothingNeedsIt(TransactionCase):
    def test_no_addon_depends_on_it_and_it_never_installs_itself(self):
        manifest = ast.literal_eval((ADDON / "__manifest__.py").read_text())
        self.assertFalse(manifest.get("auto_install"))
        for other in sorted(ADDONS.glob("*/__manifest__.py")):
            if other.parent != ADDON:
                depends = ast.literal_eval(other.read_text()).get("depends", [])
                self.assertNotIn(ADDON.name, depends, f"{other.parent.name} depends on {ADDON.name}")

    def test_no_addon_imports_from_it(self):
        for path in sorted(ADDONS.glob("*/**/*.py")):
            if ADDON in path.parents:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                names = []
                if isinstance(node, ast.ImportFrom):
                    names = [node.module or ""]
                elif isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                for name in names:
                    self.assertNotIn(ADDON.name, name.split("."), f"{path.relative_to(ADDONS)} imports {name}")
