#!/usr/bin/env bash
# Set-up command 2: install, then run every test (real PostgreSQL and Redis; embedded ones
# are started when the machine has none on 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."
bash infra/setup.sh
exec .venv/bin/python -m pytest "$@"
