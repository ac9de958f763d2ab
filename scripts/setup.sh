#!/usr/bin/env bash
# Install everything docsys needs on a Debian machine (as root) and then run it or test it.
#   bash scripts/setup.sh run    install, load demo data, serve on http://127.0.0.1:5000
#   bash scripts/setup.sh test   install (plus PostgreSQL and the browser), run the test suite
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"; shift || true

# The archive import reads scans with tesseract (Spanish data) and Word 97-2003 files with
# antiword, falling back on LibreOffice for the ones antiword cannot read.
RUNTIME_PKGS=(python3 python3-venv python3-dev gcc libpango-1.0-0 libpangoft2-1.0-0
              libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2 poppler-utils
              tesseract-ocr tesseract-ocr-spa antiword libreoffice-writer-nogui)
TEST_PKGS=(postgresql chromium libnss3-tools)
# The browser tests check accessibility with axe-core, loaded from here (outside the repo).
AXE_PREFIX=/opt/docsys-test-node
AXE_VERSION=4.14.1

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    echo "==> apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

python_env() {
  if [[ ! -x .venv/bin/python ]]; then
    echo "==> creating .venv"
    python3 -m venv .venv
  fi
  local req="$1" stamp=".venv/.installed-$(sha256sum "$1" requirements.txt | sha256sum | cut -c1-16)"
  if [[ ! -f $stamp ]]; then
    echo "==> pip install -r $req"
    .venv/bin/pip install -q --upgrade pip
    .venv/bin/pip install -q -r "$req"
    touch "$stamp"
  fi
}

node_tools() {
  # npm comes with Node.js where Node.js is installed (NodeSource's package holds Debian's
  # npm back); Debian's npm only where there is none.
  command -v npm >/dev/null || apt_install npm
  if [[ ! -f $AXE_PREFIX/node_modules/axe-core/axe.min.js ]]; then
    echo "==> npm install axe-core@$AXE_VERSION"
    npm install --silent --no-audit --no-fund --prefix "$AXE_PREFIX" "axe-core@$AXE_VERSION" >/dev/null
  fi
}

ensure_postgres() {
  # Tests need a PostgreSQL server on 127.0.0.1:5432 with a database "test" that the
  # "postgres" role reaches without a password (trust on the loopback).
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  if ! psql -h 127.0.0.1 -U postgres -d test -c 'select 1' >/dev/null 2>&1; then
    local version hba
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    hba="/etc/postgresql/$version/main/pg_hba.conf"
    if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
      sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
      pg_ctlcluster --skip-systemctl-redirect "$version" main reload
    fi
    runuser -u postgres -- psql -tAc "select 1 from pg_database where datname='test'" | grep -q 1 \
      || runuser -u postgres -- createdb test
  fi
}

case "$mode" in
  run)
    apt_install "${RUNTIME_PKGS[@]}"
    python_env requirements.txt
    export FLASK_APP=wsgi
    # The demo certification authority is trusted only in this explicit demo mode.
    export DOCSYS_DEMO_PKI=1
    .venv/bin/flask --app wsgi docsys demo
    echo "==> docsys en http://127.0.0.1:${PORT:-5000}  (Ctrl+C para detener)"
    # gunicorn.conf.py picks the processes from the database: SQLite one with threads,
    # PostgreSQL several (DOCSYS_WORKERS).
    exec .venv/bin/gunicorn -c gunicorn.conf.py wsgi:app
    ;;
  test)
    apt_install "${RUNTIME_PKGS[@]}" "${TEST_PKGS[@]}"
    python_env requirements-dev.txt
    node_tools
    ensure_postgres
    # The layers (import-linter contracts in .importlinter) and the types (mypy.ini) first:
    # each fails the run on its own, as a failing test does.
    echo "==> lint-imports"
    .venv/bin/lint-imports --no-cache
    echo "==> mypy"
    .venv/bin/mypy
    # Two workers (pytest-xdist): every test owns its database schema, files and ports.
    exec .venv/bin/pytest -n 2 "$@"
    ;;
  *)
    echo "uso: bash scripts/setup.sh run|test [argumentos de pytest]" >&2
    exit 2
    ;;
esac
