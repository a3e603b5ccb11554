"""The README's addon graph is the manifests' graph (issue 24): the section
is written by scripts/readme_graph.py, and this test fails when a manifest
changed without it."""

from odoo.tests import BaseCase, tagged

from . import ROOT, load_script


@tagged("post_install", "-at_install")
class TestReadmeGraph(BaseCase):
    def test_readme_graph_is_the_manifests_graph(self):
        script = load_script("readme_graph")
        readme = (ROOT / "README.md").read_text()
        self.assertEqual(
            script.rewrite(readme, script.manifests()), readme, "README.md is stale: run scripts/readme_graph.py"
        )

    def test_graph_lists_each_addon_once_after_what_it_needs(self):
        script = load_script("readme_graph")
        depends = {"a": ["web"], "b": ["a", "sale"], "c": ["b", "a"]}
        self.assertEqual(script.graph_lines(depends), ["a  (web)", "b  ← a  (sale)", "c  ← b, a"])

    def test_a_changed_manifest_makes_the_readme_stale(self):
        script = load_script("readme_graph")
        readme = (ROOT / "README.md").read_text()
        depends = script.manifests()
        depends["omni_channel"] = [*depends["omni_channel"], "omni_purchase"]
        self.assertNotEqual(script.rewrite(readme, depends), readme)
