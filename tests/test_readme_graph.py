"""The README's addon graph is the manifests' graph (issue 24): the section
is written by scripts/readme_graph.py, and this test fails when a manifest
changed without it."""

import importlib.util
from pathlib import Path

from odoo.tests import BaseCase, tagged

ROOT = Path(__file__).resolve().parents[1]


def _script():
    spec = importlib.util.spec_from_file_location("readme_graph", ROOT / "scripts" / "readme_graph.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestReadmeGraph(BaseCase):
    def test_readme_graph_is_the_manifests_graph(self):
        script = _script()
        readme = (ROOT / "README.md").read_text()
        self.assertEqual(
            script.rewrite(readme, script.manifests()), readme, "README.md is stale: run scripts/readme_graph.py"
        )

    def test_graph_lists_each_addon_once_after_what_it_needs(self):
        script = _script()
        depends = {"a": ["web"], "b": ["a", "sale"], "c": ["b", "a"]}
        self.assertEqual(script.graph_lines(depends), ["a  (web)", "b  ← a  (sale)", "c  ← b, a"])

    def test_a_changed_manifest_makes_the_readme_stale(self):
        script = _script()
        readme = (ROOT / "README.md").read_text()
        depends = script.manifests()
        depends["omni_channel"] = [*depends["omni_channel"], "omni_purchase"]
        self.assertNotEqual(script.rewrite(readme, depends), readme)
