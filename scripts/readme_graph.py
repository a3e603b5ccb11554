#!/usr/bin/env python3
"""Write the README's addon dependency graph from the manifests.

    .venv/bin/python scripts/readme_graph.py          rewrite the section
    .venv/bin/python scripts/readme_graph.py --check  exit 1 when it is stale

The section between the two ``addons-graph`` markers of README.md lists
every addon of addons/ (dependencies first) with the addons of this project
it depends on directly and, in brackets, the Odoo and OCA modules; the
project test tests/test_readme_graph.py fails when it differs from what
the manifests say.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN = "<!-- addons-graph:begin (written by scripts/readme_graph.py from the manifests) -->"
END = "<!-- addons-graph:end -->"


def manifests(addons_dir=ROOT / "addons"):
    """{addon: depends} of every installable addon of ``addons_dir``."""
    result = {}
    for path in sorted(addons_dir.glob("*/__manifest__.py")):
        manifest = ast.literal_eval(path.read_text())
        if manifest.get("installable", True):
            result[path.parent.name] = list(manifest.get("depends", []))
    return result


def graph_lines(depends):
    """One line per addon, every addon after the project addons it needs."""
    ours = set(depends)
    level = {}

    def depth(name, seen=()):
        if name not in level:
            if name in seen:
                raise ValueError(f"dependency cycle through {name}")
            needs = [d for d in depends[name] if d in ours]
            level[name] = 1 + max((depth(d, (*seen, name)) for d in needs), default=-1)
        return level[name]

    width = max(map(len, depends))
    lines = []
    for name in sorted(depends, key=lambda n: (depth(n), n)):
        project = [d for d in depends[name] if d in ours]
        others = [d for d in depends[name] if d not in ours]
        text = f"{name:<{width}}  ← {', '.join(project)}" if project else f"{name:<{width}}"
        if others:
            text += f"  ({', '.join(others)})"
        lines.append(text)
    return lines


def section(depends):
    return "\n".join([BEGIN, "```", *graph_lines(depends), "```", END])


def rewrite(readme_text, depends):
    start, end = readme_text.index(BEGIN), readme_text.index(END) + len(END)
    return readme_text[:start] + section(depends) + readme_text[end:]


def main():
    readme = ROOT / "README.md"
    text = readme.read_text()
    new = rewrite(text, manifests())
    if "--check" in sys.argv[1:]:
        if new != text:
            sys.exit("README.md's addon graph differs from the manifests: run scripts/readme_graph.py")
        return
    readme.write_text(new)


if __name__ == "__main__":
    main()
