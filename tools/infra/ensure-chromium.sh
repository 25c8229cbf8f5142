#!/usr/bin/env bash
# Installs Debian's chromium when missing: reporting's browser test drives it headless through playwright-core
# (playwright's own browser download cannot be used here, so the distribution's build is the one we rely on).
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if command -v chromium >/dev/null 2>&1; then
  printf '[infra] chromium already installed\n'
  exit 0
fi
printf '[infra] installing chromium (Debian package)\n'
# A stale package list makes the first try fail; refresh it and try once more.
if ! DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
printf '[infra] chromium ready: %s\n' "$(command -v chromium)"
