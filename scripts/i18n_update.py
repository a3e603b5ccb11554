#!/usr/bin/env python3
"""Refresh an addon's translation template and merge it into zh_CN.po.

    .venv/bin/python scripts/i18n_update.py ADDON [--db omni]

Exports i18n/ADDON.pot from a database where ADDON is installed (run
scripts/run.sh --setup-only first), then merges it into i18n/zh_CN.po:
existing translations are kept, new terms are added untranslated, obsolete
ones are dropped. Translate the empty msgstr lines afterwards.
"""

import argparse
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("addon")
    parser.add_argument("--db", default="omni")
    parser.add_argument("--odoo-src", default="/opt/odoo-18.0")
    args = parser.parse_args()
    i18n = ROOT / "addons" / args.addon / "i18n"
    i18n.mkdir(exist_ok=True)
    pot_path = i18n / f"{args.addon}.pot"
    subprocess.run(
        [
            sys.executable,
            f"{args.odoo_src}/odoo-bin",
            "-c",
            str(ROOT / ".local/odoo.conf"),
            "-d",
            args.db,
            f"--i18n-export={pot_path}",
            f"--modules={args.addon}",
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
    )
    pot = polib.pofile(str(pot_path))
    po_path = i18n / "zh_CN.po"
    po = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
    po.merge(pot)
    po.metadata.update(
        {
            "Language": "zh_CN",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": "nplurals=1; plural=0;",
        }
    )
    for entry in [e for e in po if e.obsolete]:
        po.remove(entry)
    po.save(str(po_path))
    untranslated = [e.msgid for e in po if not e.msgstr]
    print(f"{po_path}: {len(po)} terms, {len(untranslated)} untranslated")
    for msgid in untranslated:
        print("  -", msgid[:100])


if __name__ == "__main__":
    main()
