#!/usr/bin/env bash
# Set-up command 1: install, then run API + worker + embedded PostgreSQL/Redis + demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash infra/setup.sh
exec .venv/bin/volops dev "$@"
