#!/usr/bin/env bash
# Install the real .env consumers that tests/render reads rendered files with:
# PHP (vlucas/phpdotenv, symfony/dotenv) from Debian and Node's dotenv from npm.
# Idempotent: each step is skipped when what it installs is already there.
# CALDRON_NODE_TOOLS overrides where the npm packages go.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node_tools="${CALDRON_NODE_TOOLS:-$repo_root/.tools/node}"
node_dotenv_version="18.0.10"
as_root=""
if [ "$(id -u)" -ne 0 ]; then
    as_root="sudo"
fi

php_readers_present() {
    command -v php >/dev/null 2>&1 &&
        [ -f /usr/share/php/Dotenv/autoload.php ] &&
        [ -f /usr/share/php/Symfony/Component/Dotenv/autoload.php ]
}

if ! php_readers_present; then
    export DEBIAN_FRONTEND=noninteractive
    $as_root apt-get update -qq
    $as_root apt-get install -y -qq --no-install-recommends \
        php-cli php-vlucas-phpdotenv php-symfony-dotenv >/dev/null
fi

if ! command -v node >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    $as_root apt-get update -qq
    $as_root apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

installed_version() {
    node -p "require('$node_tools/node_modules/dotenv/package.json').version" \
        2>/dev/null || true
}

if [ "$(installed_version)" != "$node_dotenv_version" ]; then
    mkdir -p "$node_tools"
    npm install --silent --no-audit --no-fund --prefix "$node_tools" \
        "dotenv@$node_dotenv_version" >/dev/null
fi

echo "test tools ready: php $(php -r 'echo PHP_VERSION;'), node dotenv $(installed_version)"
