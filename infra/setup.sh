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
# Mozilla's ical.js checks our feeds in the tests, where Node.js is installed.
if command -v npm > /dev/null && [ ! -d tests/js/node_modules/ical.js ]; then
  npm ci --prefix tests/js --no-audit --no-fund --silent
fi
