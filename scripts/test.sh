#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh clone, then run it.
# Usage: scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'
bash .ci/test-tools.sh

exec .venv/bin/python -m pytest -n 2 "$@"
