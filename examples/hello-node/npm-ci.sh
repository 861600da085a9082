#!/usr/bin/env bash
# Installs hello-node's node_modules from package-lock.json with npm ci: exactly the locked versions,
# each checked against its integrity hash; install scripts are not run, and no links are made in
# node_modules/.bin (a plugin's folder holds files only). Skipped when node_modules was
# installed from this very lock file (its SHA-256 is kept in node_modules/.dockevos-lock.sha256).
# Without node and npm: under CI=true that fails the build, otherwise the build says so and goes on.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  msg="hello-node: node_modules NOT INSTALLED: node and npm are missing (Debian: apt-get install nodejs npm)"
  if [ "${CI:-}" = true ]; then echo "$msg" >&2; exit 1; fi
  printf '\n*** %s ***\n\n' "$msg" >&2
  exit 0
fi
sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f node_modules/.dockevos-lock.sha256 ] && [ "$(cat node_modules/.dockevos-lock.sha256)" = "$sum" ]; then
  echo "hello-node: node_modules is installed from this package-lock.json"
  exit 0
fi
npm ci --prefer-offline --no-audit --no-fund --ignore-scripts --no-bin-links --loglevel=error
echo "$sum" > node_modules/.dockevos-lock.sha256
echo "hello-node: node_modules installed with npm ci (node $(node --version))"
