#!/usr/bin/env bash
# Shared steps of scripts/run.sh and scripts/test.sh. Every step is idempotent:
# run twice, it checks and skips instead of re-creating or wiping anything.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-/opt/odoo-18.0}"
ODOO_BRANCH="${ODOO_BRANCH:-18.0}"
ODOO_GIT_URL="${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}"
VENV="${VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3.11}"
LOCAL="${OMNI_LOCAL:-$ROOT/.local}"  # machine-specific, git-ignored (OMNI_LOCAL: a second
                                   # working set, e.g. with its own ODOO_HTTP_PORT)
RUN_CONF="$LOCAL/odoo.conf"      # odoo.conf + this machine's paths and secret
PY="$VENV/bin/python"

log() { printf '\033[1;34m[omni]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[omni] %s\033[0m\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else die "need root for: $* (install it yourself or run with sudo)"; fi
}

# --- Odoo 18 source ----------------------------------------------------------
ensure_odoo_src() {
    if [ -f "$ODOO_SRC/odoo/release.py" ]; then
        grep -q "version_info = (18, 0" "$ODOO_SRC/odoo/release.py" \
            || die "$ODOO_SRC is not Odoo 18.0 (see odoo/release.py); set ODOO_SRC"
        return
    fi
    log "No Odoo source in $ODOO_SRC: cloning the official $ODOO_BRANCH branch (depth 1)"
    command -v git >/dev/null || as_root apt-get install -y git
    mkdir -p "$(dirname "$ODOO_SRC")"
    git clone --depth 1 --branch "$ODOO_BRANCH" "$ODOO_GIT_URL" "$ODOO_SRC"
}

# --- virtualenv with pinned dependencies -------------------------------------
ensure_venv() {
    command -v "$PYTHON" >/dev/null || PYTHON=python3
    "$PYTHON" -c 'import sys; assert sys.version_info[:2] >= (3, 10)' \
        || die "Python 3.10+ needed (3.11 recommended); set PYTHON"
    [ -x "$PY" ] || { log "Creating virtualenv $VENV"; "$PYTHON" -m venv "$VENV"; }
    local stamp="$VENV/.omni-requirements" want
    want="$(cat "$ROOT"/requirements*.txt | sha256sum | cut -d' ' -f1)"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        log "Installing pinned Python dependencies into $VENV"
        "$PY" -m pip install -q --disable-pip-version-check -r "$ROOT/requirements.txt" -r "$ROOT/requirements-dev.txt"
        "$PY" -m pip install -q --disable-pip-version-check --no-deps -r "$ROOT/requirements-oca.txt"
        echo "$want" > "$stamp"
    fi
    # `import odoo` from the venv (pytest-odoo needs it): a .pth file to the source
    local site; site="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    echo "$ODOO_SRC" > "$site/odoo-src.pth"
    OCA_ADDONS="$site/odoo/addons"
}

# --- PostgreSQL ----------------------------------------------------------------
# Uses what odoo.conf / libpq environment (PGHOST, PGPORT, PGUSER, PGPASSWORD)
# point at; where nothing answers, starts the local PostgreSQL 15 (installing the
# distribution package if missing) and creates a role for the current user.
pg_answers() { psql -d postgres -tAc 'select 1' >/dev/null 2>&1; }

ensure_postgres() {
    if command -v psql >/dev/null && pg_answers; then return; fi
    if [ -n "${PGHOST:-}" ] && [ "${PGHOST:0:1}" != "/" ] && [ "$PGHOST" != localhost ] && [ "$PGHOST" != 127.0.0.1 ]; then
        die "PostgreSQL at PGHOST=$PGHOST does not answer (check PGUSER/PGPASSWORD)"
    fi
    if ! command -v pg_ctlcluster >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
        log "Installing PostgreSQL 15 (Debian package)"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 postgresql-client-15 >/dev/null
    fi
    local ver; ver="$(ls /usr/lib/postgresql | sort -n | tail -1)"
    if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^$ver main$"; then
        log "Creating PostgreSQL $ver cluster 'main'"
        as_root pg_createcluster "$ver" main >/dev/null
    fi
    if ! pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $4}' | grep -q online; then
        log "Starting PostgreSQL $ver"
        as_root pg_ctlcluster "$ver" main start
    fi
    local me; me="${PGUSER:-$(id -un)}"
    if ! pg_answers; then
        log "Creating PostgreSQL role '$me'"
        as_root su postgres -c "psql -tAc \"select 1 from pg_roles where rolname='$me'\" | grep -q 1 || createuser --createdb '$me'"
        as_root su postgres -c "psql -tAc \"select 1 from pg_database where datname='$me'\" | grep -q 1 || createdb -O '$me' '$me'"
    fi
    pg_answers || die "PostgreSQL still does not answer for role '$me'"
}

# --- configuration -----------------------------------------------------------
# .local/odoo.conf = odoo.conf with this machine's absolute addons_path, data_dir
# and the master password (ODOO_ADMIN_PASSWD, or one generated once and kept in
# .local/admin_passwd). odoo.conf itself never holds a password.
render_config() {
    mkdir -p "$LOCAL"
    local secret_file="$LOCAL/admin_passwd" secret
    if [ -n "${ODOO_ADMIN_PASSWD:-}" ]; then
        secret="$ODOO_ADMIN_PASSWD"
    else
        [ -s "$secret_file" ] || { (umask 077; "$PY" -c 'import secrets; print(secrets.token_urlsafe(24))' > "$secret_file"); log "Generated a master password in $secret_file"; }
        secret="$(cat "$secret_file")"
    fi
    local addons_path="$ROOT/addons,$OCA_ADDONS,$ODOO_SRC/addons"
    (umask 077; "$PY" - "$ROOT/odoo.conf" "$RUN_CONF" "$addons_path" "$LOCAL/data" "$secret" <<'PYEOF'
import configparser, os, sys
src, dst, addons_path, data_dir, secret = sys.argv[1:]
cp = configparser.RawConfigParser()
cp.read(src)
cp["options"]["addons_path"] = addons_path
cp["options"]["data_dir"] = data_dir
cp["options"]["admin_passwd"] = secret
if os.environ.get("ODOO_HTTP_PORT"):
    cp["options"]["http_port"] = os.environ["ODOO_HTTP_PORT"]
with open(dst, "w") as fh:
    fh.write("; generated by scripts/_lib.sh from odoo.conf: edit odoo.conf instead\n")
    cp.write(fh)
PYEOF
    )
}

conf_get() {  # conf_get KEY [DEFAULT]
    "$PY" - "$RUN_CONF" "$1" "${2:-}" <<'PYEOF'
import configparser, sys
cp = configparser.RawConfigParser(); cp.read(sys.argv[1])
val = cp["options"].get(sys.argv[2], "") if cp.has_section("options") else ""
print(sys.argv[3] if val in ("", "False") else val)
PYEOF
}

# Modules every database of this project has besides its own addons: the
# job engine, so that its runner (loaded server-wide) has work to look at.
BASE_MODULES="queue_job"

# Addons that only make demo data: installed where demo data is asked for
# (ODOO_DEMO) and in the test databases (OMNI_WITH_DEMO_ADDONS=1, set by
# scripts/test.sh), never into a production database.
DEMO_ADDONS="omni_demo"

# Project addons: every folder of addons/ with an installable manifest (the
# demo addons only as said above), or the comma-separated list in OMNI_ADDONS
# (their dependencies come along).
project_addons() {
    if [ -n "${OMNI_ADDONS:-}" ]; then echo "$OMNI_ADDONS"; return; fi
    local skip="$DEMO_ADDONS"
    if [ -n "${ODOO_DEMO:-}" ] || [ -n "${OMNI_WITH_DEMO_ADDONS:-}" ]; then skip=""; fi
    "$PY" - "$ROOT/addons" "$skip" <<'PYEOF'
import ast, pathlib, sys
skip = set(filter(None, sys.argv[2].split(",")))
names = []
for manifest in sorted(pathlib.Path(sys.argv[1]).glob("*/__manifest__.py")):
    if ast.literal_eval(manifest.read_text()).get("installable", True) and manifest.parent.name not in skip:
        names.append(manifest.parent.name)
print(",".join(names))
PYEOF
}

# Folders of addons/ of these comma-separated modules (others, e.g. l10n_cn, are Odoo's).
addon_dirs() {
    local name
    for name in ${1//,/ }; do
        if [ -d "$ROOT/addons/$name" ]; then echo "addons/$name"; fi
    done
}

db_exists() { [ "$(psql -d postgres -tAc "select 1 from pg_database where datname='$1'")" = 1 ]; }

odoo_bin() { "$PY" "$ODOO_SRC/odoo-bin" -c "$RUN_CONF" "$@"; }

# Installs missing project addons and updates those whose code changed since the
# database last saw them (a content hash kept in ir_config_parameter).
ensure_database() {  # ensure_database DBNAME
    local db="$1" addons hash
    addons="$BASE_MODULES,$(project_addons)"
    hash="$(cd "$ROOT" && find $(addon_dirs "$(project_addons)") -type f -not -name '*.pyc' -not -path '*/__pycache__/*' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
    if ! db_exists "$db"; then
        log "Creating database '$db' with: $addons (no demo data${ODOO_DEMO:+; demo requested})"
        if [ -n "${ODOO_DEMO:-}" ]; then
            # the demo company keeps its books on the Chinese chart of
            # accounts: l10n_cn is installed before the addons whose demo uses it
            odoo_bin -d "$db" -i "$BASE_MODULES,l10n_cn" --stop-after-init --log-level=warn
            odoo_bin -d "$db" -i "$addons" --stop-after-init --log-level=warn
        else
            odoo_bin -d "$db" -i "$addons" --without-demo=all --stop-after-init --log-level=warn
        fi
    else
        local installed missing
        installed="$(psql -d "$db" -tAc "select name from ir_module_module where state='installed'")"
        missing="$(tr ',' '\n' <<<"$addons" | grep -vxF -f <(echo "$installed") | paste -sd, || true)"
        # one run installs what is missing and updates what changed: the
        # registry cannot load changed code (new fields) without the update
        local args=()
        if [ -n "$missing" ]; then
            log "Installing new addons into '$db': $missing"
            args+=(-i "$missing")
        fi
        if [ "$(psql -d "$db" -tAc "select value from ir_config_parameter where key='omni.addons_hash'")" != "$hash" ]; then
            log "Addon code changed: updating $(project_addons) in '$db'"
            args+=(-u "$(project_addons)")
        fi
        if [ ${#args[@]} -gt 0 ]; then
            odoo_bin -d "$db" "${args[@]}" --stop-after-init --log-level=warn
        fi
    fi
    psql -q -d "$db" -c "insert into ir_config_parameter (key, value, create_date, write_date) values ('omni.addons_hash', '$hash', now(), now()) on conflict (key) do update set value = excluded.value, write_date = now()"
}

# A program from the distribution, installed when missing (as root or with
# sudo). In CI a program that cannot be installed is an error; elsewhere a
# warning says what will not work.
#   ensure_debian_tool PACKAGE "what it is for" COMMAND [COMMAND...]
ensure_debian_tool() {
    local package="$1" purpose="$2" cmd; shift 2
    for cmd in "$@"; do command -v "$cmd" >/dev/null && return; done
    if [ "$(id -u)" = 0 ] || command -v sudo >/dev/null; then
        log "Installing $package ($purpose)"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null && return
    fi
    [ -n "${CI:-}" ] && die "$package is needed ($purpose) and could not be installed"
    log "WARNING: no $package: $purpose will not work"
}

# Headless Chromium for the Odoo tours (browser tests).
ensure_chromium() { ensure_debian_tool chromium "browser tests (tours)" chromium chromium-browser google-chrome; }

# wkhtmltopdf turns Odoo's reports (picking lists, waybills) into PDF.
ensure_wkhtmltopdf() { ensure_debian_tool wkhtmltopdf "PDF reports" wkhtmltopdf; }

# A Chinese (CJK) font: without one, wkhtmltopdf prints Chinese names and
# addresses on waybills and delivery slips as blanks or boxes.
has_cjk_font() { command -v fc-list >/dev/null && [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]; }
ensure_cjk_font() {
    has_cjk_font && return
    if [ "$(id -u)" = 0 ] || command -v sudo >/dev/null; then
        log "Installing fonts-noto-cjk (Chinese text in PDF reports)"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk fontconfig >/dev/null || true
    fi
    has_cjk_font && return
    [ -n "${CI:-}" ] && die "fonts-noto-cjk is needed (Chinese text in PDF reports) and could not be installed"
    log "WARNING: no Chinese font: PDF reports will print Chinese text as blanks"
}

setup_all() {
    ensure_odoo_src
    ensure_venv
    ensure_postgres
    ensure_wkhtmltopdf
    ensure_cjk_font
    render_config
}
