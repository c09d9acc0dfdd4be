#!/usr/bin/env bash
# Jobcenter's two commands. On a fresh machine (Python 3.11, root) each sets up everything:
#   ./dev.sh start   – install, migrate, load demo data, serve http://127.0.0.1:5000 (SQLite)
#   ./dev.sh test    – install, ruff, the whole suite on SQLite and on a real PostgreSQL,
#                      browser journeys in Chromium with axe-core
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
VENV="$ROOT/.venv"
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3

log() { printf '\n== %s\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  # Installs the Debian packages given when any of them is missing.
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if [ ${#missing[@]} -gt 0 ]; then
    log "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

setup_python() {
  if [ ! -x "$VENV/bin/python" ]; then
    log "Creating the virtual environment"
    "$PY" -m venv "$VENV"
  fi
  local stamp="$VENV/.installed-$(sha1sum pyproject.toml | cut -c1-12)"
  if [ ! -f "$stamp" ]; then
    log "Installing Jobcenter and its development tools"
    "$VENV/bin/pip" install -q --upgrade pip
    "$VENV/bin/pip" install -q -e ".[dev]"
    touch "$stamp"
  fi
  export PATH="$VENV/bin:$PATH"
  export FLASK_APP="$ROOT/wsgi.py"
}

start() {
  setup_python
  export JOBCENTER_INSTANCE_DIR="${JOBCENTER_INSTANCE_DIR:-$ROOT/instance}"
  export JOBCENTER_CONFIG=development
  log "Migrating the database"
  flask db upgrade
  log "Loading demo data"
  flask jobcenter demo
  log "Jobcenter runs at http://127.0.0.1:${PORT:-5000}  (Ctrl+C stops it)"
  exec flask run --host 127.0.0.1 --port "${PORT:-5000}"
}

PG_DIR=""
stop_postgres() {
  if [ -n "$PG_DIR" ] && [ -d "$PG_DIR" ]; then
    su postgres -c "$PGBIN/pg_ctl -D $PG_DIR -m fast stop" >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}

start_postgres() {
  apt_install postgresql
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PG_PORT=${PG_PORT:-54329}
  PG_DIR=$(mktemp -d)
  chown postgres "$PG_DIR"
  trap stop_postgres EXIT
  su postgres -c "$PGBIN/initdb -D $PG_DIR -A trust -U postgres" >/dev/null
  su postgres -c "$PGBIN/pg_ctl -D $PG_DIR -o '-k $PG_DIR -h 127.0.0.1 -p $PG_PORT -c fsync=off -c synchronous_commit=off -c full_page_writes=off' -l $PG_DIR/log -w start" >/dev/null
  psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -q -c 'create database jobcenter_test'
  export PG_TEST_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/jobcenter_test"
}

test_all() {
  apt_install chromium postgresql
  setup_python
  log "ruff"
  ruff check .
  ruff format --check .
  start_postgres
  local workers=${PYTEST_WORKERS:-2}
  log "Test suite on SQLite"
  env -u DATABASE_URL pytest -n "$workers" "$@"
  log "Test suite on PostgreSQL"
  DATABASE_URL="$PG_TEST_URL" pytest -n "$workers" -m "not e2e" "$@"
}

translations() {
  # Extract messages, merge them into the Finnish and Swedish catalogues, compile.
  setup_python
  local dir=jobcenter/translations
  pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
    --project Jobcenter -o "$dir/messages.pot" .
  for lang in fi sv; do
    if [ -f "$dir/$lang/LC_MESSAGES/messages.po" ]; then
      pybabel -q update --no-fuzzy-matching --ignore-obsolete -i "$dir/messages.pot" -d "$dir" -l "$lang"
    else
      pybabel -q init -i "$dir/messages.pot" -d "$dir" -l "$lang"
    fi
  done
  pybabel compile --statistics -d "$dir"
}

case "${1:-}" in
  translations) translations ;;
  start) shift; start "$@" ;;
  test) shift; test_all "$@" ;;
  *) echo "usage: ./dev.sh start | ./dev.sh test [pytest args] | ./dev.sh translations" >&2; exit 2 ;;
esac
