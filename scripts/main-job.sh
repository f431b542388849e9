#!/usr/bin/env bash
# caldron's main job on its embedded local default, from a fresh clone:
# start the local OpenBao, push obviously fake credentials for every
# catalogued integration into dev, and render the application's .env.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[local]'
caldron=.venv/bin/caldron

env -u VAULT_ADDR -u VAULT_TOKEN "$caldron" vault local start

fake_values=$(mktemp)
trap 'rm -f "$fake_values"' EXIT
"$caldron" secrets example --env dev > "$fake_values"
env -u VAULT_ADDR -u VAULT_TOKEN "$caldron" secrets push --env dev "$fake_values"
env -u VAULT_ADDR -u VAULT_TOKEN "$caldron" env pull --env dev --output .env
env -u VAULT_ADDR -u VAULT_TOKEN "$caldron" secrets status --env dev
