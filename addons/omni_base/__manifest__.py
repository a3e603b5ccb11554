# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Omni-channel Base",
    "summary": "What every omni-channel addon uses and that is not about channels: "
    "the read-only field guard, sheet reading, text normalising, bulk SQL, "
    "the company's time zone, the hidden database manager, API keys verified once per process",
    "version": "18.0.1.1.0",
    "category": "Hidden/Tools",
    "author": "Omni-channel back office contributors",
    "website": "https://github.com/omni-channel/omni-addons",
    "license": "LGPL-3",
    # web: the database-manager controller extends web's
    "depends": ["web"],
    # tools/tabular.py: workbooks read with python-calamine, openpyxl and xlrd its fallback
    "external_dependencies": {"python": ["python-calamine", "openpyxl", "xlrd"]},
    "installable": True,
    "application": False,
}
