#!/usr/bin/env bash
# Installs the Debian packages the browser tests need (Chromium, CJK fonts) when they are missing and we
# are root; otherwise says what to install. Playwright drives Debian's /usr/bin/chromium (no browser download).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing ${missing[*]} from Debian ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing ${missing[*]}: run 'sudo apt-get install ${missing[*]}' for the browser tests." >&2
    exit 1
  fi
fi
