#!/usr/bin/env bash
# Stops what infra-up.sh started: every mongo-java-server it recorded (any port) and RabbitMQ when infra-up.sh
# started the node. Safe to run when nothing is running. The durable store's data stays (see infra-wipe.sh).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/mongo-process.sh"

shopt -s nullglob
# mongo-<port>.pid, and mongo-server.pid where earlier versions of infra-up.sh recorded their one server.
for pid_file in "$infra_state"/mongo-*.pid; do
  pid="$(cat "$pid_file" 2>/dev/null || true)"
  if is_mongo_server "$pid"; then
    stop_mongo_pid "$pid"
    log "mongo-java-server stopped (pid $pid, $(basename "$pid_file" .pid))"
  fi
  rm -f "$pid_file" "${pid_file%.pid}.store"
done

if [ -f "$infra_state/rabbitmq.started-here" ]; then
  PATH="$PATH:/usr/sbin"
  if command -v rabbitmqctl >/dev/null 2>&1 && as_root rabbitmqctl -q status >/dev/null 2>&1; then
    as_root rabbitmqctl -q stop >/dev/null && log "rabbitmq stopped"
  fi
  rm -f "$infra_state/rabbitmq.started-here"
fi
exit 0
