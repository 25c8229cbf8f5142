#!/usr/bin/env bash
# Installs Debian's chromium when missing: reporting's browser test drives it headless through playwright-core
# (playwright's own browser download cannot be used here, so the distribution's build is the one we rely on).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt-install.sh"

if command -v chromium >/dev/null 2>&1; then
  log "chromium already installed"
  exit 0
fi
apt_install chromium
log "chromium ready: $(command -v chromium)"
