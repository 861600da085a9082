#!/usr/bin/env bash
# Node.js for examples/hello-node (its build runs npm ci from package-lock.json; HelloNodeIT runs it):
# Debian's nodejs and npm packages when no node and npm are on the PATH.
#
# usage: .ci/node.sh install   installs them with apt-get (skipped when present)
set -euo pipefail

install() {
  if command -v node >/dev/null && command -v npm >/dev/null; then
    echo "node: $(node --version) with npm $(npm --version) is installed"; return 0
  fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm
}

case "${1:-}" in
  install) install ;;
  *) echo "usage: $0 install" >&2; exit 2 ;;
esac
