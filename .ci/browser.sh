#!/usr/bin/env bash
# The browser of the Web Console's test (WebConsoleIT): Debian's chromium and chromium-driver packages,
# which Selenium drives headless (/usr/bin/chromium, /usr/bin/chromedriver). Nothing is downloaded but
# the packages; Selenium Manager is never asked for a browser.
#
# usage: .ci/browser.sh install   installs them with apt-get (skipped when present)
set -euo pipefail

install() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    echo "browser: $(/usr/bin/chromedriver --version | cut -d' ' -f1-2) is installed"; return 0
  fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver
}

case "${1:-}" in
  install) install ;;
  *) echo "usage: $0 install" >&2; exit 2 ;;
esac
