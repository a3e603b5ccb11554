#!/usr/bin/env bash
# Lint as OCA does: ruff (format check + lint) and pylint-odoo.
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"
ensure_odoo_src
ensure_venv
cd "$ROOT"
"$VENV/bin/ruff" format --check addons scripts tests conftest.py
"$VENV/bin/ruff" check addons scripts tests conftest.py
# pylint-odoo over every addon (one run: it also checks duplicate xml ids)
mapfile -t addon_dirs < <(find addons -mindepth 1 -maxdepth 1 -type d -exec test -f '{}/__manifest__.py' ';' -print | sort)
[ ${#addon_dirs[@]} -eq 0 ] || "$PY" -m pylint --rcfile=.pylintrc "${addon_dirs[@]}"
log "lint clean"
