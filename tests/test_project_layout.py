"""Project-wide rules every addon of addons/ must keep (OCA layout, LGPL-3,
access rules, Chinese translation) and the safety settings of odoo.conf."""

import ast
import configparser
import csv
import re
import subprocess
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
ADDONS = sorted(p.parent for p in (ROOT / "addons").glob("*/__manifest__.py"))


def _manifest(addon):
    return ast.literal_eval((addon / "__manifest__.py").read_text())


def test_there_are_addons():
    assert ADDONS, "addons/ holds no addon"


@pytest.mark.parametrize("addon", ADDONS, ids=lambda p: p.name)
def test_manifest_follows_oca_rules(addon):
    manifest = _manifest(addon)
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", manifest["version"]), manifest["version"]
    assert manifest["license"] == "LGPL-3"
    for key in ("name", "summary", "author", "website", "category", "depends"):
        assert manifest.get(key), f"{addon.name}: manifest has no {key}"
    for data_file in manifest.get("data", []):
        assert (addon / data_file).is_file(), f"{addon.name}: {data_file} listed but missing"
    security = [f for f in manifest.get("data", []) if f.startswith("security/")]
    assert manifest.get("data", [])[: len(security)] == security, "security files load first"


@pytest.mark.parametrize("addon", ADDONS, ids=lambda p: p.name)
def test_every_model_has_access_rules(addon):
    declared = set()
    for py in list(addon.glob("models/*.py")) + list(addon.glob("wizards/*.py")):
        for node in ast.walk(ast.parse(py.read_text())):
            if isinstance(node, ast.ClassDef):
                names, inherited = set(), set()
                for stmt in node.body:
                    if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name):
                        values = stmt.value.elts if isinstance(stmt.value, ast.List | ast.Tuple) else [stmt.value]
                        constants = {v.value for v in values if isinstance(v, ast.Constant)}
                        if stmt.targets[0].id == "_name":
                            names |= constants
                        elif stmt.targets[0].id == "_inherit":
                            inherited |= constants
                if not any(getattr(b, "attr", "") == "AbstractModel" for b in node.bases):
                    # a _name that is also inherited extends a model (with a mixin)
                    declared |= names - inherited
    if not declared:
        return
    access_file = addon / "security" / "ir.model.access.csv"
    assert access_file.is_file(), f"{addon.name} declares {declared} but has no access file"
    with access_file.open() as fh:
        covered = {row["model_id:id"].split(".")[-1] for row in csv.DictReader(fh)}
    missing = {m for m in declared if "model_" + m.replace(".", "_") not in covered}
    assert not missing, f"{addon.name}: no access rule for {sorted(missing)}"


@pytest.mark.parametrize("addon", ADDONS, ids=lambda p: p.name)
def test_chinese_translation_and_readme(addon):
    po = addon / "i18n" / "zh_CN.po"
    assert po.is_file(), f"{addon.name} has no i18n/zh_CN.po"
    # every term translated (an addon with few terms, like omni_demo's one
    # model name, translates them all)
    entries = [entry for entry in polib.pofile(str(po)) if not entry.obsolete]
    assert entries, f"{addon.name}: zh_CN.po translates nothing"
    untranslated = [entry.msgid for entry in entries if not entry.msgstr]
    assert not untranslated, f"{addon.name}: zh_CN.po leaves {untranslated[:5]} untranslated"
    assert (addon / "readme" / "DESCRIPTION.md").is_file()
    assert list(addon.glob("tests/test_*.py")), f"{addon.name} has no tests"


def test_odoo_conf_is_safe():
    cp = configparser.RawConfigParser()
    cp.read(ROOT / "odoo.conf")
    options = cp["options"]
    assert "admin_passwd" not in options, "odoo.conf must not hold a master password"
    assert options["list_db"] == "False"
    assert "queue_job" in options["server_wide_modules"].split(",")
    assert cp.has_option("queue_job", "channels")


def test_gitignore_keeps_machine_files_out():
    # the venv, the generated config and master password of every working set
    # (.local/, or another OMNI_LOCAL such as .local-ledger/) stay out of git
    paths = [".venv/bin/python", ".local/admin_passwd", ".local/odoo.conf", ".local-ledger/odoo.conf"]
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", *paths], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert sorted(result.stdout.split()) == sorted(paths), result.stdout + result.stderr


@pytest.mark.parametrize("addon", ADDONS, ids=lambda p: p.name)
def test_odoo_runner_sees_every_test(addon):
    """odoo-bin --test-enable runs only the Odoo test cases (BaseCase and its
    subclasses) of the modules that tests/__init__.py imports: pytest-odoo
    would run the others alone (plain unittest classes, pytest functions)."""
    tests = addon / "tests"
    modules = sorted(tests.glob("test_*.py"))
    if not modules:
        return
    init = (tests / "__init__.py").read_text() if (tests / "__init__.py").is_file() else ""
    imported = set(re.findall(r"^from \. import (\w+)$", init, re.M))
    missing = sorted(m.stem for m in modules if m.stem not in imported)
    assert not missing, f"{addon.name}/tests/__init__.py does not import {missing}"
    for module in modules:
        tree = ast.parse(module.read_text())
        where = f"{addon.name}/tests/{module.name}"
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [getattr(node, "module", None) or ""] + [alias.name for alias in node.names]
                assert "pytest" not in names, f"{where}: pytest (Odoo's runner knows no fixture nor mark)"
            if isinstance(node, ast.ImportFrom) and node.module == "unittest":
                assert "TestCase" not in [alias.name for alias in node.names], f"{where}: unittest.TestCase"
            if isinstance(node, ast.ClassDef):
                bases = [ast.unparse(base) for base in node.bases]
                assert "unittest.TestCase" not in bases, f"{where}: {node.name} is a unittest.TestCase (use BaseCase)"
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                assert not node.name.startswith("test"), f"{where}: test function {node.name}"
            if isinstance(node, ast.ClassDef):
                has_tests = any(isinstance(s, ast.FunctionDef) and s.name.startswith("test") for s in node.body)
                assert node.bases or not has_tests, f"{where}: {node.name} is no test case"
