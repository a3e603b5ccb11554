#!/usr/bin/env bash
# Lint as OCA does: the hooks of .pre-commit-config.yaml (OCA's template:
# ruff lint + format, pylint-odoo with OCA's checks, OCA's module and .po
# checks, pre-commit-hooks, prettier for XML/JS, README.rst from readme/)
# on every file. Fails when a hook fails or changes a file (run it again, or
# commit what it fixed). pre-commit lives in its own virtualenv
# ($OMNI_LOCAL/lint-venv: its hooks pin libraries Odoo pins otherwise, e.g.
# polib) and installs each hook's tools from PyPI and npm on first use
# (PRE_COMMIT_HOME, default ~/.cache/pre-commit).
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"
ensure_odoo_src
ensure_venv
# pandoc turns readme/*.md into README.rst; node and npm run prettier
ensure_debian_tool pandoc "README.rst from readme/ fragments" pandoc
ensure_debian_tool nodejs "prettier (XML and JS formatting)" node
ensure_debian_tool npm "prettier (XML and JS formatting)" npm
LINT_VENV="$LOCAL/lint-venv"
PRE_COMMIT_VERSION=4.7.0  # needs Python 3.11
if [ ! -x "$LINT_VENV/bin/pre-commit" ] || [ "$("$LINT_VENV/bin/pre-commit" --version)" != "pre-commit $PRE_COMMIT_VERSION" ]; then
    log "Installing pre-commit $PRE_COMMIT_VERSION into $LINT_VENV"
    "$PYTHON" -m venv "$LINT_VENV" 2>/dev/null || python3 -m venv "$LINT_VENV"
    "$LINT_VENV/bin/pip" install -q --disable-pip-version-check "pre-commit==$PRE_COMMIT_VERSION"
fi
cd "$ROOT"
"$LINT_VENV/bin/pre-commit" run --all-files --show-diff-on-failure --color=never
log "lint clean"
