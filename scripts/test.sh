#!/usr/bin/env bash
# Set-up plus the whole test suite: the README's second command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
