#!/usr/bin/env bash
# Checks the Prometheus alert rules and runs their unit tests with promtool (Debian package prometheus, installed
# when missing; only its promtool is used).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/tools/infra/lib/apt-install.sh"
if ! command -v promtool >/dev/null 2>&1; then apt_install prometheus; fi
cd "$root/deploy/prometheus"
promtool check rules alerts.yml
promtool test rules alerts.test.yml
