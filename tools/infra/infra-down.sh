#!/usr/bin/env bash
# Stops what infra-up.sh started. Safe to run when nothing is running.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
state="${INFRA_STATE_DIR:-$root/.infra}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ -f "$state/mongo-server.pid" ]; then
  kill "$(cat "$state/mongo-server.pid")" 2>/dev/null && echo "[infra] mongo-java-server stopped"
  rm -f "$state/mongo-server.pid"
fi
if command -v rabbitmqctl >/dev/null 2>&1 && as_root rabbitmqctl -q status >/dev/null 2>&1; then
  as_root rabbitmqctl -q stop >/dev/null && echo "[infra] rabbitmq stopped"
fi
exit 0
