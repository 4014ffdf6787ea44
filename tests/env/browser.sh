#!/usr/bin/env bash
# Debian's Chromium for the page tests (Playwright for .NET drives it; no browser download):
#   tests/env/browser.sh install    installs the package if it is missing (root, no questions)
#   tests/env/browser.sh path       prints the browser's path
set -euo pipefail

readonly BROWSER=/usr/bin/chromium
readonly APT_OPTS=(-o DPkg::Lock::Timeout=120)

log() { echo "browser: $*" >&2; }

cmd_install() {
  if [[ "$(dpkg-query -W -f='${Status}' chromium 2>/dev/null)" == "install ok installed" && -x "$BROWSER" ]]; then
    log "chromium already installed: $("$BROWSER" --version 2>/dev/null || echo "$BROWSER")"
    return
  fi
  if [[ $EUID -ne 0 ]]; then
    log "installing chromium needs root (apt-get); run: sudo $0 install"
    exit 1
  fi
  if ! apt-cache policy chromium 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    log "package lists lack chromium, running apt-get update"
    apt-get "${APT_OPTS[@]}" update
  fi
  # Fonts with umlauts and the euro sign for the screenshots; nothing else is recommended.
  DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install -y --no-install-recommends chromium fonts-dejavu-core
  log "installed: $("$BROWSER" --version 2>/dev/null)"
}

case "${1:-}" in
  install) cmd_install ;;
  path) echo "$BROWSER" ;;
  *) echo "usage: $0 install|path" >&2; exit 2 ;;
esac
