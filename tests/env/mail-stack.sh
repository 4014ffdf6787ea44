#!/usr/bin/env bash
# install only (draft)
set -euo pipefail
PACKAGES=(postfix dovecot-imapd dovecot-lmtpd)
all_installed() {
  local p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || return 1
  done
}
cmd_install() {
  if all_installed; then echo "installed"; return 0; fi
  if ! apt-cache policy postfix 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    apt-get -o DPkg::Lock::Timeout=120 update
  fi
  debconf-set-selections <<'SEL'
postfix postfix/main_mailer_type select Local only
postfix postfix/mailname string mailstack.joecash.test
SEL
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 install -y --no-install-recommends "${PACKAGES[@]}"
}
"cmd_$1"
